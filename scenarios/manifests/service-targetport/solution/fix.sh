#!/usr/bin/env bash
# Forward to the container's named port (8080).
set -euo pipefail
kubectl patch service feature-store -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/ports/0/targetPort", "value": "http"}]'
