#!/usr/bin/env bash
# Dodge: tolerate the unreachable taint. The scheduler then binds the pods to the dead node,
# where no kubelet will ever start them.
set -euo pipefail
kubectl patch deployment reranker -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      tolerations:
        - {key: node.kubernetes.io/unreachable, operator: Exists}
'
