#!/usr/bin/env bash
# Completions stream for up to 10 minutes: raise the /v1 rule's request timeout to 15m.
set -euo pipefail
kubectl patch httproute llm -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/rules/0/timeouts/request", "value": "15m"}]'
