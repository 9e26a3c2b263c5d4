resource "kubernetes_namespace_v1" "qdrant" {
  metadata {
    name = var.namespace
    labels = {
      "app.kubernetes.io/part-of" = "vector-memory"
    }
  }
}

# The key every client sends to Qdrant: generated here, never typed by anyone, 48 characters of [A-Za-z0-9]
# (safe in headers and YAML). Rotate with: terraform apply -replace=random_password.qdrant_api_key
resource "random_password" "qdrant_api_key" {
  length  = 48
  special = false
}

# The key as a Kubernetes Secret in Qdrant's namespace: read by the snapshot job (snapshots.tf) and by
# operators (kubectl get secret). The chart keeps its own copy in its config Secret (<release>-apikey).
resource "kubernetes_secret_v1" "qdrant_api_key" {
  metadata {
    name      = "qdrant-api-key"
    namespace = kubernetes_namespace_v1.qdrant.metadata[0].name
  }
  data = {
    api-key = random_password.qdrant_api_key.result
  }
}

resource "helm_release" "qdrant" {
  name       = var.release_name
  namespace  = kubernetes_namespace_v1.qdrant.metadata[0].name
  repository = "https://qdrant.github.io/qdrant-helm"
  chart      = "qdrant"
  version    = var.chart_version
  wait       = true
  timeout    = 900

  values = [yamlencode(local.qdrant_values)]

  set_sensitive {
    name  = "apiKey"
    value = random_password.qdrant_api_key.result
    type  = "string"
  }

  lifecycle {
    precondition {
      condition     = var.shard_number >= var.replicas && var.shard_number % var.replicas == 0
      error_message = "shard_number must be a positive multiple of replicas, so every node holds as many shards."
    }
    precondition {
      condition     = var.replication_factor >= 2 && var.replication_factor <= var.replicas
      error_message = "replication_factor must be at least 2 (survive a node) and at most replicas."
    }
    precondition {
      condition     = var.write_consistency_factor >= 1 && var.write_consistency_factor <= var.replication_factor
      error_message = "write_consistency_factor must be between 1 and replication_factor."
    }
    precondition {
      condition     = local.snapshot_gib >= (var.snapshot_retention + 1) * local.storage_gib
      error_message = "snapshot_storage_size must hold snapshot_retention + 1 full copies of storage_size (the snapshots kept and the one being written); leave it null to have it computed."
    }
    precondition {
      condition     = var.qdrant_startup_seconds >= local.storage_gib * 1024 / 100
      error_message = "qdrant_startup_seconds must cover reading the whole storage volume at 100 MiB/s (Qdrant loads every collection before it listens)."
    }
  }
}
