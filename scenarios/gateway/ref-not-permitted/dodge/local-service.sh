#!/usr/bin/env bash
# Dodge: point the route at a same-named Service in its own namespace (no grant needed).
# It resolves, but selects no pod: the model server lives in the other namespace.
set -euo pipefail
kubectl apply -n "$NS_WEB" -f - <<YAML
apiVersion: v1
kind: Service
metadata:
  name: llm
spec:
  selector: {app: llm}
  ports: [{name: http, port: 8000, targetPort: 8000}]
YAML
kubectl patch httproute completions -n "$NS_WEB" --type=json -p '[{"op": "remove",
  "path": "/spec/rules/0/backendRefs/0/namespace"}]'
