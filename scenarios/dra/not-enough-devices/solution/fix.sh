#!/usr/bin/env bash
# 12 devices on one node can never be allocated (8 per node); tensor parallelism 4 needs 4.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: tp4-gpus
spec:
  spec:
    devices:
      requests:
        - name: gpus
          exactly: {deviceClassName: gpu.nvidia.com, allocationMode: ExactCount, count: 4}
YAML
kubectl patch deployment chat -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/resourceClaims/0/resourceClaimTemplateName", "value": "tp4-gpus"}]'
