#!/usr/bin/env bash
# Dodge: swap in an image that pulls (the toolbox's worker): pods run and stay Ready (no
# probe), but nothing serves the API on 8080.
set -euo pipefail
kubectl set image deployment/checkout-api -n "$NS" api=k8s-skills/toolbox:1.0
kubectl rollout status deployment/checkout-api -n "$NS" --timeout=90s
