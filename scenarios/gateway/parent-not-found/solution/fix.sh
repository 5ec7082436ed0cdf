#!/usr/bin/env bash
# The parentRef has no namespace, so it names a Gateway `shared` in the route's namespace.
set -euo pipefail
kubectl patch httproute embeddings -n "$NS" --type=json -p '[{"op": "add",
  "path": "/spec/parentRefs/0/namespace", "value": "gateway-infra"}]'
