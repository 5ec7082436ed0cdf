#!/usr/bin/env bash
# A strategic merge patch keyed by container name: a rolling update of the same Deployment.
set -euo pipefail
kubectl patch deployment storefront -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      containers:
        - name: storefront
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 5
          livenessProbe:
            httpGet: {path: /healthz, port: http}
            initialDelaySeconds: 10
            periodSeconds: 10
            failureThreshold: 3
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {cpu: "1", memory: 512Mi}
'
kubectl rollout status deployment/storefront -n "$NS" --timeout=60s
