#!/usr/bin/env bash
# 1) the template under the same name (the Job's template is immutable) with the real class;
# 2) quota for the mapped DRA resource.
set -euo pipefail
kubectl delete resourceclaimtemplate one-gpu -n "$NS"
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
kubectl patch clusterqueue "$PREFIX-dra" --type=json -p '[
  {"op": "add", "path": "/spec/resourceGroups/0/coveredResources/-", "value": "nvidia.com/dra-gpu"},
  {"op": "add", "path": "/spec/resourceGroups/0/flavors/0/resources/-",
   "value": {"name": "nvidia.com/dra-gpu", "nominalQuota": "2"}}]'
# Kueue resolved the claim's DeviceClass when it made the Workload and marked it
# inadmissible; the Workload is Kueue's own object: delete it and Kueue makes it again from
# the (unchanged, still suspended) Job, now with the fixed template.
kubectl delete workloads.kueue.x-k8s.io -n "$NS" --all
