#!/usr/bin/env bash
# The vision queue lends 0; the agreement is 2.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-vision" --type=json -p '[{"op": "replace",
  "path": "/spec/resourceGroups/0/flavors/0/resources/2/lendingLimit", "value": "2"}]'
