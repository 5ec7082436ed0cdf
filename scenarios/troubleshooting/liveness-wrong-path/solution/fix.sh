#!/usr/bin/env bash
# The server answers /healthz (the readiness probe uses it) and 404 on /health.
set -euo pipefail
kubectl patch deployment catalog -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/containers/0/livenessProbe/httpGet/path", "value": "/healthz"}]'
kubectl rollout status deployment/catalog -n "$NS" --timeout=90s
