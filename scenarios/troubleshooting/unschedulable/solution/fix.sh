#!/usr/bin/env bash
# No node has disktype=ssd; select the CPU pool by its instance type instead.
set -euo pipefail
kubectl patch deployment report-renderer -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/nodeSelector",
  "value": {"node.kubernetes.io/instance-type": "m7i.8xlarge"}}]'
