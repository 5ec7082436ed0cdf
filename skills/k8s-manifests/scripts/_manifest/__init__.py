"""k8s-manifests' private modules, imported by the scripts beside this folder."""
