"""Kueue for the local cluster, run as a process with its webhooks on 127.0.0.1.

- config.py: its CRDs with their conversion webhooks, its webhook configurations and its
  Configuration (what the etcd snapshot's key hashes);
- process.py: its certificates and configuration file, start, the wait until its webhooks
  answer, and its restart with more device-class mappings.
"""
