#!/usr/bin/env bash
# A ResourceClaimTemplate's spec is immutable: write a corrected one under a new name and
# point the Deployment at it (a normal rollout; the Deployment object stays).
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: hopper-gpu-h200
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly:
            deviceClassName: gpu.nvidia.com
            selectors:
              - cel:
                  expression: >-
                    device.attributes["gpu.nvidia.com"].architecture == "Hopper" &&
                    device.capacity["gpu.nvidia.com"].memory.compareTo(quantity("140Gi")) >= 0
YAML
kubectl patch deployment embedder -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/resourceClaims/0/resourceClaimTemplateName",
  "value": "hopper-gpu-h200"}]'
