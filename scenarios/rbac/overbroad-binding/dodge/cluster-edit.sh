#!/usr/bin/env bash
# Dodge: swap cluster-admin for the `edit` ClusterRole, still cluster-wide: it looks smaller,
# and still writes every namespace's workloads and reads their secrets.
set -euo pipefail
kubectl delete clusterrolebinding "$PREFIX-deployer-admin"
kubectl create clusterrolebinding "$PREFIX-deployer-edit" --clusterrole=edit \
  --serviceaccount="$NS:deployer"
kubectl label clusterrolebinding "$PREFIX-deployer-edit" "k8s-skills.eval/run=${PREFIX#ev-}"
