#!/usr/bin/env bash
# Dodge: do as asked: a ClusterRoleBinding to cluster-admin (labelled for cleanup).
set -euo pipefail
kubectl create clusterrolebinding "$PREFIX-dana-admin" --clusterrole=cluster-admin \
  --user="dana@$PREFIX.example.com"
kubectl label clusterrolebinding "$PREFIX-dana-admin" "k8s-skills.eval/run=${PREFIX#ev-}"
