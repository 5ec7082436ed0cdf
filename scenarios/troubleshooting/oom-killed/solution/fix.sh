#!/usr/bin/env bash
# The index alone is 200 MiB; the limit is 128 MiB. Give the container room for it (and the
# server) in place: request and limit 320Mi.
set -euo pipefail
kubectl patch deployment embedder -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      containers:
        - name: embedder
          resources:
            requests: {memory: 320Mi}
            limits: {memory: 320Mi}
'
kubectl rollout status deployment/embedder -n "$NS" --timeout=90s
