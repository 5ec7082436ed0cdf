#!/usr/bin/env bash
# Dodge: remove the claim from the pod: it schedules at once, on a node, with no GPU.
set -euo pipefail
kubectl patch deployment embedder -n "$NS" --type=json -p '[
  {"op": "remove", "path": "/spec/template/spec/resourceClaims"},
  {"op": "remove", "path": "/spec/template/spec/containers/0/resources/claims"}]'
