#!/usr/bin/env bash
# The quota requires requests and limits; set them (2 replicas fit).
set -euo pipefail
kubectl set resources deployment search-api -n "$NS" -c api \
  --requests=cpu=250m,memory=512Mi --limits=cpu=1,memory=1Gi
