#!/usr/bin/env bash
# The pods may only run on the dead node (hostname pin). Remove the pin; the other CPU nodes
# take them.
set -euo pipefail
kubectl patch deployment reranker -n "$NS" --type=json -p '[{"op": "remove",
  "path": "/spec/template/spec/nodeSelector"}]'
kubectl rollout status deployment/reranker -n "$NS" --timeout=60s
