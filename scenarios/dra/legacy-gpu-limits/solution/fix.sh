#!/usr/bin/env bash
# The H200 nodes publish GPUs as DRA devices (ResourceSlices of driver gpu.nvidia.com), not
# as the nvidia.com/gpu extended resource: claim one device instead of the limit.
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
        - name: gpu
          exactly: {deviceClassName: gpu.nvidia.com, allocationMode: ExactCount, count: 1}
YAML
kubectl patch deployment summarizer -n "$NS" --type=json -p '[
  {"op": "remove", "path": "/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu"},
  {"op": "add", "path": "/spec/template/spec/resourceClaims",
   "value": [{"name": "gpu", "resourceClaimTemplateName": "one-gpu"}]},
  {"op": "add", "path": "/spec/template/spec/containers/0/resources/claims",
   "value": [{"name": "gpu"}]}]'
