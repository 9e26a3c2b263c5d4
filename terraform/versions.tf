# The Qdrant cluster the functions talk to, on Kubernetes, through Qdrant's official Helm chart.
# Every provider is pinned to one version; upgrade them deliberately (terraform init -upgrade after editing).
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    helm = {
      source  = "hashicorp/helm"
      version = "= 2.17.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "= 2.36.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "= 3.7.1"
    }
  }
}

provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = var.kube_context
}

provider "helm" {
  kubernetes {
    config_path    = var.kubeconfig_path
    config_context = var.kube_context
  }
}
