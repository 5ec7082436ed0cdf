#!/usr/bin/env bash
# A namespaced Role for the verbs the pipeline uses, bound first; then the cluster-admin
# binding goes (in that order the pipeline never loses access).
set -euo pipefail
kubectl create role deployment-updater -n "$NS" --verb=get,list,watch,patch,update \
  --resource=deployments.apps
kubectl create rolebinding deployer-deployment-updater -n "$NS" --role=deployment-updater \
  --serviceaccount="$NS:deployer"
kubectl delete clusterrolebinding "$PREFIX-deployer-admin"
