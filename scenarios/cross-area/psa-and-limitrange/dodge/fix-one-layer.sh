#!/usr/bin/env bash
# Dodge: fix only the first message seen (the memory limit): Pod Security still rejects.
set -euo pipefail
kubectl set resources deployment guardrails -n "$NS" -c guard --limits=cpu=1,memory=2Gi
