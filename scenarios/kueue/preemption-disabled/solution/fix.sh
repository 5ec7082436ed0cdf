#!/usr/bin/env bash
# Let a higher-priority Workload preempt lower-priority ones inside the queue.
set -euo pipefail
kubectl patch clusterqueue "$PREFIX-shared" --type=merge \
  -p '{"spec":{"preemption":{"withinClusterQueue":"LowerPriority"}}}'
