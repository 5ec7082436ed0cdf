#!/usr/bin/env bash
kubectl wait --for=condition=Ready pod -l app=app -n crashy --timeout=25s
