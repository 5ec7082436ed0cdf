#!/usr/bin/env bash
kubectl create namespace crashy
kubectl create deployment app -n crashy --image=busybox:1.36 -- sh -c 'exit 3'
for i in {1..30}; do
  if kubectl get pods -n crashy -o jsonpath='{.items[0].status.containerStatuses[0].restartCount}' | grep -q "[1-9]"; then
    exit 0
  fi
  sleep 1
done
