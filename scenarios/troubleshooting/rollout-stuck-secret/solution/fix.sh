#!/usr/bin/env bash
# The certificate was issued as Secret llm-proxy-tls; the template mounts llm-proxy-tls-v2.
set -euo pipefail
kubectl patch deployment llm-proxy -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      volumes:
        - {name: tls, secret: {secretName: llm-proxy-tls}}
'
kubectl rollout status deployment/llm-proxy -n "$NS" --timeout=90s
