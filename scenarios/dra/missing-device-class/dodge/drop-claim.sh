#!/usr/bin/env bash
# Dodge: remove the claim from the pod: it schedules at once, with no GPU at all.
set -euo pipefail
kubectl patch deployment reranker -n "$NS" --type=json -p '[
  {"op": "remove", "path": "/spec/template/spec/resourceClaims"},
  {"op": "remove", "path": "/spec/template/spec/containers/0/resources/claims"}]'
