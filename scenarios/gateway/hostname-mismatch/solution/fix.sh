#!/usr/bin/env bash
# example.org -> example.com: the listener only serves *.<ns>.example.com.
set -euo pipefail
kubectl patch httproute assistant -n "$NS" --type=json -p "[{\"op\": \"replace\",
  \"path\": \"/spec/hostnames/0\", \"value\": \"assistant.$NS.example.com\"}]"
