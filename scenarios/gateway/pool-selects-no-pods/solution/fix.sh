#!/usr/bin/env bash
# The model servers are labelled app=llama-3-8b; select them by that label.
set -euo pipefail
kubectl patch inferencepool llama -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/selector/matchLabels", "value": {"app": "llama-3-8b"}}]'
