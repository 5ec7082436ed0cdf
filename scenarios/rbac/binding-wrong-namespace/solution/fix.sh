#!/usr/bin/env bash
# subjects are mutable (roleRef is not): point the subject at this namespace's account.
set -euo pipefail
kubectl patch rolebinding runner-job-launcher -n "$NS" --type=json -p "[{\"op\": \"replace\",
  \"path\": \"/subjects/0/namespace\", \"value\": \"$NS\"}]"
