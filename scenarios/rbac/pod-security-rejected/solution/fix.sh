#!/usr/bin/env bash
# What restricted requires: runAsNonRoot, seccomp RuntimeDefault, no privilege escalation,
# all capabilities dropped.
set -euo pipefail
kubectl patch deployment tokenizer-api -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: api
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {drop: [ALL]}
'
kubectl rollout status deployment/tokenizer-api -n "$NS" --timeout=90s
