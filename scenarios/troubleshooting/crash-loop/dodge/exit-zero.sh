#!/usr/bin/env bash
# Dodge (issue 16's example): `exit 1` -> `exit 0`. Under restartPolicy Always the kubelet
# restarts a container that exits 0 too: it still crash loops, now as "Completed".
set -euo pipefail
kubectl patch deployment queue-worker -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/containers/0/args", "value": ["echo checking broker connection; exit 0"]}]'
