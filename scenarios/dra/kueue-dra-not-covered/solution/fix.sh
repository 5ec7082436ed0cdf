#!/usr/bin/env bash
# Cover the mapped DRA resource in the h200-dra flavor with the approved 4 devices.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-dra" --type=json -p '[
  {"op": "add", "path": "/spec/resourceGroups/0/coveredResources/-", "value": "nvidia.com/dra-gpu"},
  {"op": "add", "path": "/spec/resourceGroups/0/flavors/0/resources/-",
   "value": {"name": "nvidia.com/dra-gpu", "nominalQuota": "4"}}]'
