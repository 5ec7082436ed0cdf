#!/usr/bin/env bash
# No cluster-autoscaler on-prem: the provisioning check can never pass. Drop it from the queue.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-onprem" --type=json -p '[{"op": "remove",
  "path": "/spec/admissionChecksStrategy"}]'
