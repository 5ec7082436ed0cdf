#!/usr/bin/env bash
# An Indexed Job whose completions equal its parallelism is elastic: scale both together
# while it is suspended and Kueue re-evaluates the smaller gang (same Job, same UID).
set -euo pipefail
kubectl patch job llm-pretrain -n "$NS" --type=merge \
  -p '{"spec":{"parallelism":2,"completions":2}}'
