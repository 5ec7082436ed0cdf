#!/usr/bin/env bash
# Point the pool at the picker Service that exists.
set -euo pipefail
kubectl patch inferencepool qwen -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/endpointPickerRef/name", "value": "qwen-endpoint-picker"}]'
