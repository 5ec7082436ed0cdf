#!/usr/bin/env bash
# The maintenance hold is still set; release it.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-training" --type=merge -p '{"spec":{"stopPolicy":"None"}}'
