# Every variable is typed and described; none holds a secret (the Qdrant API key is generated, main.tf).

variable "kubeconfig_path" {
  type        = string
  description = "Path of the kubeconfig of the cluster to deploy to."
  default     = "~/.kube/config"
}

variable "kube_context" {
  type        = string
  description = "kubeconfig context to use; null means the current context."
  default     = null
}

variable "namespace" {
  type        = string
  description = "Namespace of the Qdrant cluster."
  default     = "qdrant"
}

variable "release_name" {
  type        = string
  description = "Helm release name; also the name of Qdrant's Service (QDRANT_URL host)."
  default     = "qdrant"
}

variable "functions_namespace" {
  type        = string
  description = "Namespace of the vector-memory functions (knative/base/namespace.yaml): the only one allowed to reach Qdrant's API."
  default     = "vector-memory"
}

variable "monitoring_namespace" {
  type        = string
  description = "Namespace of Prometheus, allowed to scrape Qdrant's /metrics on 6333."
  default     = "monitoring"
}

variable "chart_version" {
  type        = string
  description = "Version of the qdrant/qdrant Helm chart (https://qdrant.github.io/qdrant-helm)."
  default     = "1.16.3"
}

variable "qdrant_image_tag" {
  type        = string
  description = "Qdrant server image tag: the version the client module is tested against (pom.xml qdrant.image; QdrantVersionTest keeps them equal)."
  default     = "v1.16.3"
}

variable "replicas" {
  type        = number
  description = "Qdrant nodes (StatefulSet replicas) in cluster mode."
  default     = 3

  validation {
    condition     = var.replicas >= 3 && floor(var.replicas) == var.replicas
    error_message = "A Qdrant cluster needs at least 3 nodes: Raft keeps a majority when one is down."
  }
}

variable "shard_number" {
  type        = number
  description = "Shards of every collection the functions create (QDRANT_SHARD_NUMBER); a multiple of replicas, so shards spread evenly and leave room to add nodes."
  default     = 6
}

variable "replication_factor" {
  type        = number
  description = "Copies of every shard (QDRANT_REPLICATION_FACTOR); at least 2, so a node can be lost or restarted without losing data or availability."
  default     = 2
}

variable "write_consistency_factor" {
  type        = number
  description = "Replicas that must apply a write before it is acknowledged (QDRANT_WRITE_CONSISTENCY_FACTOR). 1 keeps writes available during a rolling restart; raise it up to replication_factor for stricter durability."
  default     = 1
}

variable "storage_size" {
  type        = string
  description = "Persistent volume size of each Qdrant node's storage, in Gi or Ti."
  default     = "50Gi"

  validation {
    condition     = can(regex("^[1-9][0-9]*(Gi|Ti)$", var.storage_size))
    error_message = "storage_size is a whole number of Gi or Ti, e.g. 50Gi."
  }
}

variable "snapshot_storage_size" {
  type        = string
  description = "Persistent volume size of each node's snapshot volume, in Gi or Ti; null means (snapshot_retention + 1) x storage_size: the snapshots kept plus the one being written, each up to a full copy of the node's data."
  default     = null

  validation {
    condition     = var.snapshot_storage_size == null || can(regex("^[1-9][0-9]*(Gi|Ti)$", var.snapshot_storage_size))
    error_message = "snapshot_storage_size is null or a whole number of Gi or Ti, e.g. 400Gi."
  }
}

variable "qdrant_startup_seconds" {
  type        = number
  description = "How long a Qdrant node may take to load its collections before it answers (startup probe); liveness checks start only then. At least the time to read storage_size at 100 MiB/s."
  default     = 1800
}

variable "storage_class" {
  type        = string
  description = "StorageClass of both volumes; null means the cluster's default class."
  default     = null
}

variable "resources" {
  type = object({
    cpu_request    = string
    memory_request = string
    cpu_limit      = string
    memory_limit   = string
  })
  description = "Resources of each Qdrant node. Memory should hold the vectors and HNSW graphs of its shards."
  default = {
    cpu_request    = "1"
    memory_request = "4Gi"
    cpu_limit      = "4"
    memory_limit   = "4Gi"
  }
}

variable "snapshot_schedule" {
  type        = string
  description = "Cron schedule (UTC) of the snapshot job."
  default     = "17 3 * * *"
}

variable "snapshot_retention" {
  type        = number
  description = "Snapshots kept per collection and node; older ones are deleted after each run."
  default     = 7

  validation {
    condition     = var.snapshot_retention >= 1
    error_message = "Keep at least one snapshot."
  }
}

variable "snapshot_collections" {
  type        = list(string)
  description = "Collections to snapshot; empty means every collection on the cluster (namespace collections included)."
  default     = []
}

variable "snapshot_job_image" {
  type        = string
  description = "Image that runs terraform/snapshots/qdrant_snapshots.py (Python standard library only)."
  default     = "python:3.13-slim"
}

variable "service_monitor" {
  type        = bool
  description = "Create the chart's ServiceMonitor for Qdrant's own metrics (needs the Prometheus Operator CRDs)."
  default     = false
}
