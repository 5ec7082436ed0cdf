#!/usr/bin/env bash
# Dodge: add the quota Kueue's message is about and stop there; the claim's class still
# does not exist.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-dra" --type=json -p '[
  {"op": "add", "path": "/spec/resourceGroups/0/coveredResources/-", "value": "nvidia.com/dra-gpu"},
  {"op": "add", "path": "/spec/resourceGroups/0/flavors/0/resources/-",
   "value": {"name": "nvidia.com/dra-gpu", "nominalQuota": "2"}}]'
