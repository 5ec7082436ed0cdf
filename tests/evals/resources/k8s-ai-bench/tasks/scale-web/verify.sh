#!/usr/bin/env bash
NAMESPACE="scale-demo"
replicas=$(kubectl get deployment web -n $NAMESPACE -o jsonpath='{.spec.replicas}')
if [[ "$replicas" != "3" ]]; then
  echo "spec.replicas is $replicas, want 3"
  exit 1
fi
kubectl rollout status deployment/web -n $NAMESPACE --timeout=60s
