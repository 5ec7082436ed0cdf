#!/usr/bin/env bash
set -euo pipefail
kubectl patch deployment guardrails -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: guard
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
          resources:
            limits: {cpu: "1", memory: 2Gi}
'
