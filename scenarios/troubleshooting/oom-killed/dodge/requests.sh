#!/usr/bin/env bash
# Dodge: raise the memory request only. The scheduler reserves more, but the 128Mi limit is
# what the OOM killer enforces: the container is still killed while loading the index.
set -euo pipefail
kubectl patch deployment embedder -n "$NS" --type=strategic -p '
spec:
  template:
    spec:
      containers:
        - name: embedder
          resources:
            requests: {memory: 128Mi}
'
