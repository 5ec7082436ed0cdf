"""k8s-gateway-gaie's private modules, imported by the scripts beside this folder."""
