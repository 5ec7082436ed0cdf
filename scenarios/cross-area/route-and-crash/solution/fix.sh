#!/usr/bin/env bash
set -euo pipefail
kubectl patch httproute moderation -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/rules/0/backendRefs/0/name", "value": "moderation"}]'
kubectl set env deployment/moderation -n "$NS" POLICY_FILE=/etc/moderation/policy.yaml
kubectl rollout status deployment/moderation -n "$NS" --timeout=90s
