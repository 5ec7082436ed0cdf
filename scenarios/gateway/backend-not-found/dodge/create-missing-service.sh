#!/usr/bin/env bash
# Dodge: create a Service with the name the route wants. ResolvedRefs turns True, but the
# Service selects no pod: the route still has nothing to send traffic to.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: v1
kind: Service
metadata:
  name: chat-api-svc
spec:
  selector: {app: chat-api-svc}
  ports: [{name: http, port: 8000, targetPort: 8000}]
YAML
