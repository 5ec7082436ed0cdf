#!/usr/bin/env bash
# This Gateway's only listener is `http`.
set -euo pipefail
kubectl patch httproute rag-api -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/parentRefs/0/sectionName", "value": "http"}]'
