#!/usr/bin/env bash
# 700Mi peak: a 1Gi limit (the LimitRange max) leaves headroom.
set -euo pipefail
kubectl set resources deployment doc-parser -n "$NS" -c parser --limits=cpu=1,memory=1Gi
