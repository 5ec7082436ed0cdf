#!/usr/bin/env bash
# 2048 sequences of 8192 tokens do not fit in 80 GB; 256 per step does (the throughput
# change raised it 8x). Same Deployment, one GPU.
set -euo pipefail
kubectl patch deployment batch-embedder -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/containers/0/args",
  "value": ["embed.py", "--model", "bge-large-en", "--batch-size", "256", "--max-length", "8192"]}]'
kubectl rollout status deployment/batch-embedder -n "$NS" --timeout=60s
