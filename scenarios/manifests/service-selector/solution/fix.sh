#!/usr/bin/env bash
# Select by the Deployment's own selector label.
set -euo pipefail
kubectl patch service prompt-cache -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/selector", "value": {"app.kubernetes.io/name": "prompt-cache"}}]'
