#!/usr/bin/env bash
# Dodge: mark the reference optional. The container is created, but without MODEL_NAME
# the retriever refuses to start and crash loops.
set -euo pipefail
kubectl patch deployment retriever -n "$NS" --type=json -p '[{"op": "add",
  "path": "/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef/optional",
  "value": true}]'
