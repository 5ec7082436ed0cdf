#!/usr/bin/env bash
kubectl delete namespace scale-demo
