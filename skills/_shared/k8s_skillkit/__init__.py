"""Helpers shared by every skill's scripts: standard library and PyYAML only.

This folder lives once in the repo (skills/_shared/); `k8s-skills skills build` copies it
next to each bundle's scripts so an uploaded skill is self-contained.

Modules (one job each):
- cli, errors, findings      the output contract: text/--json, exit 0/1/2, finding shape
- loading                    -f FILE / stdin / live kubectl -> a `Dump` (list of dicts)
  paste                      ...splitting a mixed paste: YAML/JSON, events tables, describe
  event_table                ...`kubectl get events` tables and describe Events sections
  describe, describe_core,   ...`kubectl describe` text (Pod, Node, Job; the generic
  describe_generic,             describer for Workload, ClusterQueue, LocalQueue,
  describe_outline              ResourceClaim, HTTPRoute, Gateway, InferencePool)
- dump                       what a dump can prove: present / absent / not in the dump
- objects, events            getters; events and conditions about an object
- selectors, scheduling,     the scheduling model: label selectors, node affinity, taints
  requests, quantity            and tolerations, effective pod requests, quantities
- crd                        "this resource type is not installed" in every kubectl wording

Objects read from describe text carry `_source: describe` (fields describe does not print,
such as affinity, are absent, not empty); keys starting with `_` are the kit's, not the API's.
"""

SCHEMA_VERSION = 1
