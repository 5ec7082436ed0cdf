#!/usr/bin/env bash
# Dodge: a smaller maxUnavailable still takes a serving pod down before its replacement is
# warm (25% of 4 = 1 pod), just less of them.
set -euo pipefail
kubectl patch deployment chat -n "$NS" --type=merge \
  -p '{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":"25%","maxSurge":0}}}}'
