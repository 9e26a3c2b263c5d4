data "qdrant-cloud_booking_packages" "available" {
  cloud_provider = var.cloud_provider
  cloud_region   = var.cloud_region
}

locals {
  packages = [
    for p in data.qdrant-cloud_booking_packages.available.packages : p
    if p.resource_configuration[0].cpu == var.package_cpu && p.resource_configuration[0].ram == var.package_ram
  ]
}

resource "qdrant-cloud_accounts_cluster" "vector_memory" {
  name           = var.cluster_name
  cloud_provider = data.qdrant-cloud_booking_packages.available.cloud_provider
  cloud_region   = data.qdrant-cloud_booking_packages.available.cloud_region

  configuration {
    number_of_nodes = var.nodes
    node_configuration {
      package_id = local.packages[0].id
    }
  }

  lifecycle {
    precondition {
      condition     = length(local.packages) > 0
      error_message = "No booking package with package_cpu and package_ram in this region."
    }
    precondition {
      condition     = var.shard_number >= var.nodes && var.shard_number % var.nodes == 0
      error_message = "shard_number must be a positive multiple of nodes."
    }
    precondition {
      condition     = var.replication_factor >= 2 && var.replication_factor <= var.nodes && var.write_consistency_factor >= 1 && var.write_consistency_factor <= var.replication_factor
      error_message = "Need 2 <= replication_factor <= nodes and 1 <= write_consistency_factor <= replication_factor."
    }
  }
}

# The database key the functions send (QDRANT_API_KEY), scoped to this cluster.
resource "qdrant-cloud_accounts_database_api_key_v2" "functions" {
  cluster_id = qdrant-cloud_accounts_cluster.vector_memory.id
  name       = "vector-memory-functions"
}

# Backups with retention, managed by Qdrant Cloud.
resource "qdrant-cloud_accounts_backup_schedule" "daily" {
  cluster_id       = qdrant-cloud_accounts_cluster.vector_memory.id
  cron_expression  = var.backup_schedule
  retention_period = var.backup_retention
}
