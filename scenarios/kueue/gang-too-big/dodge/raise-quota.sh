#!/usr/bin/env bash
# Dodge: grow the fixed quota to fit the gang instead of shrinking the elastic gang.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-research" --type=json -p '[{"op": "replace",
  "path": "/spec/resourceGroups/0/flavors/0/resources/2/nominalQuota", "value": "6"}]'
