#!/usr/bin/env bash
# Onboarding = the namespace label the listener's selector wants.
set -euo pipefail
kubectl label namespace "$NS_APPS" "gateway-access=$PREFIX-internal" --overwrite
