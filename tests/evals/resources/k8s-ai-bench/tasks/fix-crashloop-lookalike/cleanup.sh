#!/usr/bin/env bash
kubectl delete namespace crashy
