locals {
  # The chart names its objects after the release, with "-qdrant" unless the release name contains it.
  fullname = strcontains(var.release_name, "qdrant") ? var.release_name : "${var.release_name}-qdrant"
  # The chart's selector labels: what the NetworkPolicy and the anti-affinity select Qdrant's pods by.
  qdrant_pods = {
    "app.kubernetes.io/name"     = "qdrant"
    "app.kubernetes.io/instance" = var.release_name
  }
  service_host = "${local.fullname}.${var.namespace}.svc.cluster.local"
  # Every node's REST endpoint, through the StatefulSet's headless Service: snapshots are per node.
  node_urls = [for i in range(var.replicas) : "http://${local.fullname}-${i}.${local.fullname}-headless.${var.namespace}.svc.cluster.local:6333"]
}

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

  values = [yamlencode({
    replicaCount = var.replicas
    image        = { tag = var.qdrant_image_tag }
    # Cluster mode: Raft consensus over the p2p port 6335, shards and replicas across the nodes.
    config = {
      cluster = {
        enabled   = true
        p2p       = { port = 6335 }
        consensus = { tick_period_ms = 100 }
      }
    }
    persistence = merge({ size = var.storage_size }, var.storage_class == null ? {} : { storageClassName = var.storage_class })
    # Snapshots on their own volume, so a large snapshot cannot fill the storage volume (chart's advice).
    snapshotPersistence = merge({ enabled = true, size = var.snapshot_storage_size }, var.storage_class == null ? {} : { storageClassName = var.storage_class })
    # At most one node down at a time for voluntary disruptions (drains, upgrades): with replication_factor
    # >= 2 every shard keeps a live replica, and Raft keeps its majority.
    podDisruptionBudget = { enabled = true, maxUnavailable = 1 }
    # One Qdrant node per Kubernetes node: two replicas of a shard on one machine would die together.
    affinity = {
      podAntiAffinity = {
        requiredDuringSchedulingIgnoredDuringExecution = [{
          labelSelector = { matchLabels = local.qdrant_pods }
          topologyKey   = "kubernetes.io/hostname"
        }]
      }
    }
    resources = {
      requests = { cpu = var.resources.cpu_request, memory = var.resources.memory_request }
      limits   = { cpu = var.resources.cpu_limit, memory = var.resources.memory_limit }
    }
    livenessProbe = { enabled = true }
    metrics       = { serviceMonitor = { enabled = var.service_monitor } }
  })]

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
  }
}
