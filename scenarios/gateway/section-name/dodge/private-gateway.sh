#!/usr/bin/env bash
# Dodge: give the route a Gateway of its own with an `https`-named listener: accepted, but
# not by the shared Gateway the clients use.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: rag
spec:
  gatewayClassName: eg
  listeners:
    - {name: https, port: 8443, protocol: HTTP}
YAML
kubectl patch httproute rag-api -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/parentRefs/0", "value": {"name": "rag", "sectionName": "https"}}]'
