#!/usr/bin/env bash
# Templates are immutable: a corrected one under a new name, and the Deployment points at it.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: one-nvidia-gpu
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly: {deviceClassName: gpu.nvidia.com, allocationMode: ExactCount, count: 1}
YAML
kubectl patch deployment reranker -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/resourceClaims/0/resourceClaimTemplateName", "value": "one-nvidia-gpu"}]'
