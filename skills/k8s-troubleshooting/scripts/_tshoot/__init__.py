"""k8s-troubleshooting's private modules, imported by the scripts beside this folder."""
