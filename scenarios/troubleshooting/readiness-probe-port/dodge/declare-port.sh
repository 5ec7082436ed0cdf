#!/usr/bin/env bash
# Dodge (issue 16's example): declare the probe's port 8081 on the container. Declaring a
# port opens nothing: the server still listens on 8080 only.
set -euo pipefail
kubectl patch deployment model-router -n "$NS" --type=json -p '[{"op": "add",
  "path": "/spec/template/spec/containers/0/ports/-", "value": {"name": "ready", "containerPort": 8081}}]'
