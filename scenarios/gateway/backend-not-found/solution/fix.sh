#!/usr/bin/env bash
# The Service is chat-api; the route names chat-api-svc (BackendNotFound).
set -euo pipefail
kubectl patch httproute chat -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/rules/0/backendRefs/0/name", "value": "chat-api"}]'
