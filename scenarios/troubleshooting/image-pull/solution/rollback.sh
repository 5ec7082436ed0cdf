#!/usr/bin/env bash
# The tag v9.9.9 does not exist in the registry (ErrImagePull: not found); go back to the
# tag the previous revision ran.
set -euo pipefail
kubectl rollout undo deployment/checkout-api -n "$NS"
kubectl rollout status deployment/checkout-api -n "$NS" --timeout=60s
