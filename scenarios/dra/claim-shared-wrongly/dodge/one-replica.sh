#!/usr/bin/env bash
# Dodge: scale to one replica: nobody shares the GPU any more, and half the capacity is gone.
set -euo pipefail
kubectl scale deployment whisper -n "$NS" --replicas=1
