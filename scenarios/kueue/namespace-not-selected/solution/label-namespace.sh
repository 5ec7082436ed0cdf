#!/usr/bin/env bash
# The ClusterQueue selects namespaces labelled team=<prefix>-nlp; ours has no such label.
set -euo pipefail
kubectl label namespace "$NS" "team=$PREFIX-nlp" --overwrite
