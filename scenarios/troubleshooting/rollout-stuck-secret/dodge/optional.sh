#!/usr/bin/env bash
# Dodge: mark the secret volume optional, so the pod is created without it. The proxy then
# finds no certificate and exits, and the rollout still does not finish.
set -euo pipefail
kubectl patch deployment llm-proxy -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      volumes:
        - {name: tls, secret: {secretName: llm-proxy-tls-v2, optional: true}}
'
