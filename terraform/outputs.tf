# What the functions need (knative/base/kustomization.yaml, README Deploy).

output "qdrant_url" {
  description = "QDRANT_URL of the functions: Qdrant's gRPC port on every ready node (headless Service, grpc-service.tf)."
  value       = "http://${local.grpc_host}:6334"
}

output "qdrant_rest_url" {
  description = "Qdrant's REST endpoint inside the cluster (dashboard, snapshots API)."
  value       = "http://${local.service_host}:6333"
}

output "qdrant_api_key" {
  description = "QDRANT_API_KEY of the functions (knative/overlays/*/secrets/qdrant-api-key.env)."
  value       = random_password.qdrant_api_key.result
  sensitive   = true
}

output "qdrant_api_key_secret" {
  description = "The Kubernetes Secret holding the key (namespace/name, key api-key)."
  value       = "${kubernetes_secret_v1.qdrant_api_key.metadata[0].namespace}/${kubernetes_secret_v1.qdrant_api_key.metadata[0].name}"
}

output "functions_config" {
  description = "Non-secret settings of the functions' ConfigMap (vector-memory-config): the collection layout they create collections with on this cluster."
  value = {
    QDRANT_URL                      = "http://${local.grpc_host}:6334"
    QDRANT_SHARD_NUMBER             = tostring(var.shard_number)
    QDRANT_REPLICATION_FACTOR       = tostring(var.replication_factor)
    QDRANT_WRITE_CONSISTENCY_FACTOR = tostring(var.write_consistency_factor)
  }
}
