"""k8s-rbac's private modules (RBAC analysis, agent roles, pod security), imported
by the scripts beside this folder. The command guard is the `_guard` package.
"""
