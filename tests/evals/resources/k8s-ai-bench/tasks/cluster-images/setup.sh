#!/usr/bin/env bash
kubectl run db --image=mysql:8.0.36
