# Backups (production checklist): a CronJob takes a snapshot of every collection on every Qdrant node through
# Qdrant's snapshots API and keeps the newest var.snapshot_retention of each (snapshots/qdrant_snapshots.py,
# tested in CI against a stand-in of the API). Snapshots land on each node's snapshot volume, sized for them in
# locals.tf; copy them off the cluster (Qdrant's S3 snapshot storage, or your volume backup) for disaster
# recovery.
resource "kubernetes_config_map_v1" "snapshot_script" {
  metadata {
    name      = "qdrant-snapshots"
    namespace = kubernetes_namespace_v1.qdrant.metadata[0].name
  }
  data = {
    "qdrant_snapshots.py" = file("${path.module}/snapshots/qdrant_snapshots.py")
  }
}

resource "kubernetes_cron_job_v1" "snapshots" {
  metadata {
    name      = "qdrant-snapshots"
    namespace = kubernetes_namespace_v1.qdrant.metadata[0].name
  }

  spec {
    schedule                      = var.snapshot_schedule
    concurrency_policy            = "Forbid"
    successful_jobs_history_limit = 3
    failed_jobs_history_limit     = 3

    job_template {
      metadata {}
      spec {
        backoff_limit = 2
        template {
          metadata {
            labels = { "app.kubernetes.io/component" = "qdrant-snapshots" }
          }
          spec {
            restart_policy                  = "Never"
            automount_service_account_token = false
            security_context {
              run_as_non_root = true
              run_as_user     = 65532
            }
            container {
              name    = "snapshots"
              image   = var.snapshot_job_image
              command = ["python3", "/scripts/qdrant_snapshots.py"]
              env {
                name  = "QDRANT_NODES"
                value = join(",", local.node_urls)
              }
              env {
                name  = "SNAPSHOT_RETENTION"
                value = tostring(var.snapshot_retention)
              }
              env {
                name  = "SNAPSHOT_COLLECTIONS"
                value = join(",", var.snapshot_collections)
              }
              env {
                name = "QDRANT_API_KEY"
                value_from {
                  secret_key_ref {
                    name = kubernetes_secret_v1.qdrant_api_key.metadata[0].name
                    key  = "api-key"
                  }
                }
              }
              volume_mount {
                name       = "scripts"
                mount_path = "/scripts"
                read_only  = true
              }
              security_context {
                allow_privilege_escalation = false
                read_only_root_filesystem  = true
                capabilities {
                  drop = ["ALL"]
                }
              }
              resources {
                requests = { cpu = "50m", memory = "64Mi" }
                limits   = { memory = "128Mi" }
              }
            }
            volume {
              name = "scripts"
              config_map {
                name = kubernetes_config_map_v1.snapshot_script.metadata[0].name
              }
            }
          }
        }
      }
    }
  }

  depends_on = [helm_release.qdrant]
}
