"""k8s-dra's private modules, imported by the scripts beside this folder."""
