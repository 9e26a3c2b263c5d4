# Typed and described; the secrets (management key, account) have no default and are passed as
# TF_VAR_management_key / TF_VAR_account_id, never written in a file.

variable "management_key" {
  type        = string
  description = "Qdrant Cloud management key (Access Management > Cloud Management Keys). Pass as TF_VAR_management_key."
  sensitive   = true
}

variable "account_id" {
  type        = string
  description = "Qdrant Cloud account id. Pass as TF_VAR_account_id."
  sensitive   = true
}

variable "cluster_name" {
  type        = string
  description = "Name of the Qdrant Cloud cluster."
  default     = "vector-memory"
}

variable "cloud_provider" {
  type        = string
  description = "Cloud provider of the cluster (aws, gcp, azure); near the Kubernetes cluster of the functions."
  default     = "aws"
}

variable "cloud_region" {
  type        = string
  description = "Region of the cluster, the same as the functions' to keep gRPC round trips short."
  default     = "eu-central-1"
}

variable "nodes" {
  type        = number
  description = "Nodes of the cluster."
  default     = 3

  validation {
    condition     = var.nodes >= 3
    error_message = "Use at least 3 nodes: replication must survive the loss of one."
  }
}

variable "package_cpu" {
  type        = string
  description = "CPU of each node's booking package, as Qdrant Cloud lists it (e.g. 2000m)."
  default     = "2000m"
}

variable "package_ram" {
  type        = string
  description = "Memory of each node's booking package, as Qdrant Cloud lists it (e.g. 8Gi)."
  default     = "8Gi"
}

variable "shard_number" {
  type        = number
  description = "QDRANT_SHARD_NUMBER for the functions: a multiple of nodes."
  default     = 6
}

variable "replication_factor" {
  type        = number
  description = "QDRANT_REPLICATION_FACTOR for the functions: at least 2."
  default     = 2
}

variable "write_consistency_factor" {
  type        = number
  description = "QDRANT_WRITE_CONSISTENCY_FACTOR for the functions: between 1 and replication_factor."
  default     = 1
}

variable "backup_schedule" {
  type        = string
  description = "Cron schedule (UTC) of Qdrant Cloud's managed backups."
  default     = "17 3 * * *"
}

variable "backup_retention" {
  type        = string
  description = "How long managed backups are kept (Go duration)."
  default     = "168h"
}
