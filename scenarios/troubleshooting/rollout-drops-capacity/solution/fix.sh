#!/usr/bin/env bash
# Surge one new pod and take an old one down only once the new one is Ready.
set -euo pipefail
kubectl patch deployment chat -n "$NS" --type=merge \
  -p '{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":0,"maxSurge":1}}}}'
