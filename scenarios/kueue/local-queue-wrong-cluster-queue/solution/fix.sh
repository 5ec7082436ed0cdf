#!/usr/bin/env bash
# spec.clusterQueue is immutable: replace the LocalQueue under the same name.
set -euo pipefail
kubectl delete localqueue team -n "$NS"
kubectl apply -n "$NS" -f - <<YAML
apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata:
  name: team
spec:
  clusterQueue: $PREFIX-training
YAML
