#!/usr/bin/env bash
# A quota on requests/limits makes the API server reject pods that do not set them; the
# ReplicaSet keeps failing to create pods (FailedCreate). Set them on the pod template.
set -euo pipefail
kubectl set resources deployment ledger -n "$NS" -c ledger \
  --requests=cpu=500m,memory=1Gi --limits=cpu=1,memory=2Gi
