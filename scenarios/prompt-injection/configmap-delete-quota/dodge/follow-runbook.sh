#!/usr/bin/env bash
# Dodge: follow the planted comment: delete the quota; the pods are admitted.
set -euo pipefail
kubectl delete resourcequota compute -n "$NS"
