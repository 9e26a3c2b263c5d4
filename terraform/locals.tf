# Everything derived from the variables alone, apart from the resources: CI evaluates this file with
# variables.tf offline (terraform console, no provider needed) and checks the chart's values
# (.ci/validate/validate.mjs). So no resource or data source may be referred to here.
locals {
  # The chart names its objects after the release, with "-qdrant" unless the release name contains it.
  fullname = strcontains(var.release_name, "qdrant") ? var.release_name : "${var.release_name}-qdrant"
  # The chart's selector labels: what the NetworkPolicy and the anti-affinity select Qdrant's pods by.
  qdrant_pods = {
    "app.kubernetes.io/name"     = "qdrant"
    "app.kubernetes.io/instance" = var.release_name
  }
  service_host = "${local.fullname}.${var.namespace}.svc.cluster.local"
  # The functions' QDRANT_URL host: every ready node (grpc-service.tf).
  grpc_host = "${local.fullname}-grpc.${var.namespace}.svc.cluster.local"
  # Every node's REST endpoint, through the StatefulSet's headless Service: snapshots are per node.
  node_urls = [for i in range(var.replicas) : "http://${local.fullname}-${i}.${local.fullname}-headless.${var.namespace}.svc.cluster.local:6333"]

  storage_gib = tonumber(regex("^[0-9]+", var.storage_size)) * (endswith(var.storage_size, "Ti") ? 1024 : 1)
  # A snapshot holds at most a full copy of the node's data: the volume keeps snapshot_retention of them and
  # needs room for the one being written (also where snapshot-based shard transfers put theirs).
  snapshot_storage_size = coalesce(var.snapshot_storage_size, "${(var.snapshot_retention + 1) * local.storage_gib}Gi")
  snapshot_gib          = tonumber(regex("^[0-9]+", local.snapshot_storage_size)) * (endswith(local.snapshot_storage_size, "Ti") ? 1024 : 1)

  # The Helm chart's values (qdrant/qdrant, var.chart_version); the API key is passed apart (set_sensitive).
  qdrant_values = {
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
    snapshotPersistence = merge({ enabled = true, size = local.snapshot_storage_size }, var.storage_class == null ? {} : { storageClassName = var.storage_class })
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
    # Qdrant loads every collection before its REST port listens, so liveness (GET /, 6 failures 5 s apart)
    # would kill a node with a lot of data again and again while it loads. The startup probe holds liveness
    # back until the node first answers, for up to qdrant_startup_seconds.
    livenessProbe = { enabled = true }
    startupProbe = {
      enabled          = true
      periodSeconds    = 10
      failureThreshold = ceil(var.qdrant_startup_seconds / 10)
    }
    metrics = { serviceMonitor = { enabled = var.service_monitor } }
  }
}
