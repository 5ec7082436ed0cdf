#!/usr/bin/env bash
set -euo pipefail
kubectl patch localqueue serving -n "$NS" --type=merge -p '{"spec":{"stopPolicy":"None"}}'
