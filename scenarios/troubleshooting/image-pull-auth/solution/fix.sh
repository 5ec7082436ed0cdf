#!/usr/bin/env bash
# The registry answers 401: the pod presents no credentials. Reference the existing Secret.
set -euo pipefail
kubectl patch deployment model-server -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      imagePullSecrets: [{name: model-registry}]
'
kubectl rollout status deployment/model-server -n "$NS" --timeout=90s
