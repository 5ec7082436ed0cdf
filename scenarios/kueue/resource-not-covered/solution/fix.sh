#!/usr/bin/env bash
# A second resource group: the GPU, on flavor a100, 2 devices as approved.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-data" --type=json -p '[{"op": "add",
  "path": "/spec/resourceGroups/-", "value": {"coveredResources": ["nvidia.com/gpu"],
  "flavors": [{"name": "a100", "resources": [{"name": "nvidia.com/gpu", "nominalQuota": "2"}]}]}}]'
