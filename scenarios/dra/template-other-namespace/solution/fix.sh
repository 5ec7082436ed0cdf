#!/usr/bin/env bash
# Copy the platform's template spec into our namespace under the same name.
set -euo pipefail
kubectl get resourceclaimtemplate standard-gpu -n "$NS_PLATFORM" -o json \
  | python3 -c 'import json, sys; t = json.load(sys.stdin); print(json.dumps({"apiVersion": t["apiVersion"], "kind": t["kind"], "metadata": {"name": t["metadata"]["name"]}, "spec": t["spec"]}))' \
  | kubectl apply -n "$NS_APP" -f -
