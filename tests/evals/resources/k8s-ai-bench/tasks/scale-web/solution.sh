#!/usr/bin/env bash
set -euo pipefail
kubectl scale deployment web -n scale-demo --replicas=3
