#!/usr/bin/env bash
# Dodge: bind the Role to every ServiceAccount of the namespace (the group
# system:serviceaccounts:<ns>): the runner works, and so does every other pod's account.
set -euo pipefail
kubectl create rolebinding job-launcher-all -n "$NS" --role=job-launcher \
  --group="system:serviceaccounts:$NS"
