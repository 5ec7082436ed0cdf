#!/usr/bin/env bash
# borrowingLimit 0 forbids borrowing from the cohort; allow borrowing the 2 GPUs missing.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-vision" --type=json -p '[{"op": "replace",
  "path": "/spec/resourceGroups/0/flavors/0/resources/2/borrowingLimit", "value": "2"}]'
