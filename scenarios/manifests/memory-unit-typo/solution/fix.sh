#!/usr/bin/env bash
set -euo pipefail
kubectl set resources deployment router -n "$NS" -c router --limits=memory=256Mi
kubectl rollout status deployment/router -n "$NS" --timeout=90s
