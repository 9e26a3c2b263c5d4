# The functions' way to Qdrant (QDRANT_URL): a headless Service over Qdrant's gRPC port, so the name resolves to
# every ready node and each function pod keeps one connection per node, calls going round-robin
# (shared/qdrant QdrantConnection). Reads prefer a node's local shard replicas, so the node a call reaches does most
# of its work; through the chart's ClusterIP Service each pod would hold one connection to one node, and a handful
# of pods could load one node and leave the others idle. Ready nodes only: unlike the chart's own headless Service
# (peer discovery, which lists nodes still loading), a node joins when its readiness probe passes. The functions
# look the name up again every 30 s and reconnect when the nodes behind it change.
resource "kubernetes_service_v1" "qdrant_grpc" {
  metadata {
    name      = "${local.fullname}-grpc"
    namespace = kubernetes_namespace_v1.qdrant.metadata[0].name
    labels = {
      "app.kubernetes.io/part-of" = "vector-memory"
    }
  }

  spec {
    cluster_ip                  = "None"
    publish_not_ready_addresses = false
    selector                    = local.qdrant_pods

    port {
      name        = "grpc"
      port        = 6334
      target_port = 6334
      protocol    = "TCP"
    }
  }
}
