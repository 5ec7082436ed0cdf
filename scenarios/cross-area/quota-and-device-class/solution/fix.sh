#!/usr/bin/env bash
# 1) resources the quota requires; 2) a template with the driver's DeviceClass.
set -euo pipefail
kubectl apply -n "$NS" -f - <<YAML
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: gpu-nvidia
spec:
  spec:
    devices:
      requests:
        - name: gpu
          exactly: {deviceClassName: gpu.nvidia.com, allocationMode: ExactCount, count: 1}
YAML
kubectl patch deployment tts -n "$NS" --type=json -p '[
  {"op": "replace", "path": "/spec/template/spec/resourceClaims/0/resourceClaimTemplateName", "value": "gpu-nvidia"},
  {"op": "add", "path": "/spec/template/spec/containers/0/resources/requests", "value": {"cpu": "1", "memory": "4Gi"}},
  {"op": "add", "path": "/spec/template/spec/containers/0/resources/limits", "value": {"cpu": "2", "memory": "8Gi"}}]'
