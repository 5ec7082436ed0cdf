#!/usr/bin/env bash
# Revision 1 ran fine; the new template's command exits 1. Roll back (same Deployment).
set -euo pipefail
kubectl rollout undo deployment/queue-worker -n "$NS"
kubectl rollout status deployment/queue-worker -n "$NS" --timeout=60s
