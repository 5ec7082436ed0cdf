#!/usr/bin/env bash
# The image now reads MODEL_PATH; the Deployment still sets MODEL_DIR.
set -euo pipefail
kubectl set env deployment/summarizer -n "$NS" MODEL_PATH=/models/summarizer-v3 MODEL_DIR-
kubectl rollout status deployment/summarizer -n "$NS" --timeout=90s
