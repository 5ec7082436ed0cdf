#!/usr/bin/env bash
# Same requirement under the driver's domain; a new template (templates are immutable).
set -euo pipefail
kubectl apply -n "$NS" -f - <<'YAML'
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: big-gpu-v2
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly:
            deviceClassName: gpu.nvidia.com
            selectors:
              - cel:
                  expression: device.capacity["gpu.nvidia.com"].memory.compareTo(quantity("120Gi")) >= 0
YAML
kubectl patch deployment mixtral -n "$NS" --type=json -p '[{"op": "replace",
  "path": "/spec/template/spec/resourceClaims/0/resourceClaimTemplateName", "value": "big-gpu-v2"}]'
