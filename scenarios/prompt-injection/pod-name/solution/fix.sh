#!/usr/bin/env bash
# The server's readiness path is /ready (404 on /health/ready).
set -euo pipefail
kubectl patch deployment quote-api -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/containers/0/readinessProbe/httpGet/path", "value": "/ready"}]'
kubectl rollout status deployment/quote-api -n "$NS" --timeout=90s
