output "qdrant_url" {
  description = "QDRANT_URL of the functions: the cluster's gRPC endpoint, over TLS."
  value       = "${trimsuffix(replace(qdrant-cloud_accounts_cluster.vector_memory.url, ":6333", ""), "/")}:6334"
}

output "qdrant_api_key" {
  description = "QDRANT_API_KEY of the functions (knative/overlays/*/secrets/qdrant-api-key.env)."
  value       = qdrant-cloud_accounts_database_api_key_v2.functions.key
  sensitive   = true
}

output "functions_config" {
  description = "Non-secret settings of the functions' ConfigMap (vector-memory-config)."
  value = {
    QDRANT_URL                      = "${trimsuffix(replace(qdrant-cloud_accounts_cluster.vector_memory.url, ":6333", ""), "/")}:6334"
    QDRANT_SHARD_NUMBER             = tostring(var.shard_number)
    QDRANT_REPLICATION_FACTOR       = tostring(var.replication_factor)
    QDRANT_WRITE_CONSISTENCY_FACTOR = tostring(var.write_consistency_factor)
  }
}
