#!/usr/bin/env bash
# Dodge: take the canary out of the route: v2 no longer gets half, it gets nothing.
set -euo pipefail
kubectl patch httproute ranker -n "$NS" --type=json -p '[{"op": "remove",
  "path": "/spec/rules/0/backendRefs/1"}]'
