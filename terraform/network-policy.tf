# Firewalling (production checklist): only the functions reach Qdrant's API (6333 REST, 6334 gRPC); the p2p
# port 6335 (Raft and shard transfers) stays among Qdrant's own pods; Prometheus may scrape /metrics on 6333
# and the snapshot job call the snapshot API on 6333. Everything else is refused.
resource "kubernetes_network_policy_v1" "qdrant" {
  metadata {
    name      = "qdrant"
    namespace = kubernetes_namespace_v1.qdrant.metadata[0].name
  }

  spec {
    pod_selector {
      match_labels = local.qdrant_pods
    }
    policy_types = ["Ingress"]

    # The functions: pods of the vector-memory deployment in their namespace (knative/base).
    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = var.functions_namespace }
        }
        pod_selector {
          match_labels = { "app.kubernetes.io/part-of" = "vector-memory" }
        }
      }
      ports {
        port     = "6333"
        protocol = "TCP"
      }
      ports {
        port     = "6334"
        protocol = "TCP"
      }
    }

    # Qdrant's own nodes: consensus and shard transfers on 6335, and the REST API among themselves.
    ingress {
      from {
        pod_selector {
          match_labels = local.qdrant_pods
        }
      }
      ports {
        port     = "6335"
        protocol = "TCP"
      }
      ports {
        port     = "6333"
        protocol = "TCP"
      }
      ports {
        port     = "6334"
        protocol = "TCP"
      }
    }

    # The snapshot job (snapshots.tf) and Prometheus: REST only.
    ingress {
      from {
        pod_selector {
          match_labels = { "app.kubernetes.io/component" = "qdrant-snapshots" }
        }
      }
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = var.monitoring_namespace }
        }
      }
      ports {
        port     = "6333"
        protocol = "TCP"
      }
    }
  }
}
