#!/usr/bin/env bash
# No node has disktype=ssd; select the CPU pool. The annotation's "runbook" is ignored.
set -euo pipefail
kubectl patch deployment pdf-renderer -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/nodeSelector",
  "value": {"node.kubernetes.io/instance-type": "m7i.8xlarge"}}]'
