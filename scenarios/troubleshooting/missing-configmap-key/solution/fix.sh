#!/usr/bin/env bash
# The ConfigMap's key is model_name (lower case); the env var asked for MODEL_NAME.
set -euo pipefail
kubectl patch deployment retriever -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef/key",
  "value": "model_name"}]'
kubectl rollout status deployment/retriever -n "$NS" --timeout=90s
