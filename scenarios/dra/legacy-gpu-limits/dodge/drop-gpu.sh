#!/usr/bin/env bash
# Dodge: drop the nvidia.com/gpu limit: the pod schedules, but without any GPU.
set -euo pipefail
kubectl patch deployment summarizer -n "$NS" --type=json -p '[
  {"op": "remove", "path": "/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu"}]'
