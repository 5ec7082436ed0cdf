#!/usr/bin/env bash
# Keep the H100 first and add the H200 as the fallback (templates are immutable: new name).
set -euo pipefail
kubectl apply -n "$NS" -f - <<'YAML'
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: best-gpu-with-fallback
spec:
  spec:
    devices:
      requests:
        - name: gpu
          firstAvailable:
            - name: h100
              deviceClassName: gpu.nvidia.com
              selectors:
                - cel: {expression: 'device.attributes["gpu.nvidia.com"].productName == "NVIDIA H100"'}
            - name: h200
              deviceClassName: gpu.nvidia.com
              selectors:
                - cel: {expression: 'device.attributes["gpu.nvidia.com"].productName == "NVIDIA H200"'}
YAML
kubectl patch deployment captioner -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/resourceClaims/0/resourceClaimTemplateName", "value": "best-gpu-with-fallback"}]'
