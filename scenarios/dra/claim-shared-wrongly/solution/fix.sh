#!/usr/bin/env bash
# A template gives every pod its own claim.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: gpu-per-pod
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly: {deviceClassName: gpu.nvidia.com, allocationMode: ExactCount, count: 1}
YAML
kubectl patch deployment whisper -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/resourceClaims/0",
  "value": {"name": "gpu", "resourceClaimTemplateName": "gpu-per-pod"}}]'
kubectl rollout status deployment/whisper -n "$NS" --timeout=90s
