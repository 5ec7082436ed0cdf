#!/usr/bin/env bash
# Dodge: a ClusterRoleBinding to `view`: the Forbidden is gone, and the reporter reads every
# namespace's ConfigMaps.
set -euo pipefail
kubectl create clusterrolebinding "$PREFIX-reporter-view" --clusterrole=view \
  --serviceaccount="$NS_JOBS:reporter"
kubectl label clusterrolebinding "$PREFIX-reporter-view" "k8s-skills.eval/run=${PREFIX#ev-}"
