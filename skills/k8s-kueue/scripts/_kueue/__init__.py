"""k8s-kueue's private modules, imported by the scripts beside this folder."""
