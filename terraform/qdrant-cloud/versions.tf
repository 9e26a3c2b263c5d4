# Optional alternative to ../ : the Qdrant cluster as a managed Qdrant Cloud cluster instead of the Helm chart
# on your own Kubernetes. The functions are deployed the same way (knative/); only QDRANT_URL (https, TLS) and
# QDRANT_API_KEY come from here.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    qdrant-cloud = {
      source  = "qdrant/qdrant-cloud"
      version = "= 1.28.0"
    }
  }
}

provider "qdrant-cloud" {
  api_key    = var.management_key
  account_id = var.account_id
}
