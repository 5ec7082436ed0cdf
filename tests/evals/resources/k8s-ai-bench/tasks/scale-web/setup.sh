#!/usr/bin/env bash
kubectl delete namespace scale-demo --ignore-not-found
kubectl create namespace scale-demo
kubectl apply -f artifacts/deployment.yaml
kubectl rollout status deployment/web -n scale-demo --timeout=60s
