#!/usr/bin/env bash
# The probe targets 8081; the container listens on 8080 (port name http).
set -euo pipefail
kubectl patch deployment model-router -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/containers/0/readinessProbe/httpGet/port", "value": "http"}]'
kubectl rollout status deployment/model-router -n "$NS" --timeout=60s
