#!/usr/bin/env bash
# Unweighted refs each weigh 1: 50/50. Weigh them 90/10.
set -euo pipefail
kubectl patch httproute ranker -n "$NS" --type=json -p '[
  {"op": "add", "path": "/spec/rules/0/backendRefs/0/weight", "value": 90},
  {"op": "add", "path": "/spec/rules/0/backendRefs/1/weight", "value": 10}]'
