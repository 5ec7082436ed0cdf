#!/usr/bin/env bash
# The new revision only adds TOKENIZER_SIMD=avx512; the kernels segfault on load. Remove the
# variable (auto picks kernels the CPU has); the same Deployment rolls out again.
set -euo pipefail
kubectl set env deployment/tokenizer -n "$NS" TOKENIZER_SIMD-
kubectl rollout status deployment/tokenizer -n "$NS" --timeout=90s
