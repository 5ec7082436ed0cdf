#!/usr/bin/env bash
kubectl delete pod db --ignore-not-found
