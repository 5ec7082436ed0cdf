"""Kueue queue objects as the apiserver and Kueue's webhooks judge them, without a cluster.

Webhook rules come from the shared kit (k8s_skillkit.admission.kueue: Kueue v0.19.2
pkg/webhooks), the same code validate_manifest.py runs. This skill ships without the
compiled CRD schemas, so the few CRD rules a queue generator can break are restated here
with the CRD's own messages (sigs.k8s.io/kueue v0.19.2 config/components/crd/bases,
v1beta2 x-kubernetes-validations and limits):
- ClusterQueue spec: borrowingLimit nil without a cohort; resourceGroups[] flavors have as
  many resources as coveredResources; at most 16 resourceGroups
- ResourceFlavor spec: a nodeLabel when topologyName is set; at most 8 nodeLabels,
  nodeTaints and tolerations
- Topology spec.levels: kubernetes.io/hostname only as the last level; 1 to 16 levels
- LocalQueue spec.clusterQueue required
Messages read like the apiserver's: "<path>: <what>: <why>".
"""
from __future__ import annotations

from k8s_skillkit.admission import kueue as kueue_webhooks
from k8s_skillkit.admission.field import OMIT as _OMIT, invalid, required, too_many
from k8s_skillkit.objects import dig, name_of

HOSTNAME = "kubernetes.io/hostname"


def validate(obj: dict) -> list[str]:
    """`Kind name: path: message` for every rule the object breaks (empty when valid)."""
    kind = obj.get("kind")
    crd_rules = {"ClusterQueue": _cluster_queue, "ResourceFlavor": _flavor,
                 "Topology": _topology, "LocalQueue": _local_queue}.get(kind)
    errors = crd_rules(obj) if crd_rules else []
    if not errors:  # the apiserver stops at CRD errors: the webhook never sees the object
        errors = kueue_webhooks.validate(obj)
    return [f"{kind} {name_of(obj)}: {e}" for e in errors]


def _cluster_queue(cq: dict) -> list:
    spec = cq.get("spec") or {}
    groups = spec.get("resourceGroups") or []
    errors = []
    if len(groups) > 16:
        errors.append(too_many("spec.resourceGroups", len(groups), 16, "crd-schema"))
    has_cohort = bool(spec.get("cohortName") or spec.get("cohort"))
    if not has_cohort and any(r.get("borrowingLimit") is not None for g in groups
                              for f in g.get("flavors") or [] for r in f.get("resources") or []):
        errors.append(invalid("spec", _OMIT, "borrowingLimit must be nil when cohort is empty",
                              "crd-rule"))
    for i, group in enumerate(groups):
        covered = len(group.get("coveredResources") or [])
        if any(len(f.get("resources") or []) != covered for f in group.get("flavors") or []):
            errors.append(invalid(f"spec.resourceGroups[{i}]", _OMIT, "flavors must have the "
                                  "same number of resources as the coveredResources",
                                  "crd-rule"))
    return errors


def _flavor(flavor: dict) -> list:
    spec = flavor.get("spec") or {}
    errors = []
    for key in ("nodeLabels", "nodeTaints", "tolerations"):
        count = len(spec.get(key) or [])
        if count > 8:
            errors.append(too_many(f"spec.{key}", count, 8, "crd-schema"))
    rule = "at least one nodeLabel is required when topology is set"
    if spec.get("topologyName") and "nodeLabels" not in spec:
        # The CEL rule reads self.nodeLabels.size(): without the field it fails to evaluate.
        errors.append(invalid("spec", "object", f"no such key: nodeLabels evaluating rule: "
                              f"{rule}", "crd-rule"))
    elif spec.get("topologyName") and not spec.get("nodeLabels"):
        errors.append(invalid("spec", _OMIT, rule, "crd-rule"))
    return errors


def _topology(topology: dict) -> list:
    levels = dig(topology, "spec", "levels", default=[]) or []
    labels = [level.get("nodeLabel") for level in levels]
    if not labels:
        return [required("spec.levels", "", "crd-schema")]
    errors = [too_many("spec.levels", len(labels), 16, "crd-schema")] if len(labels) > 16 else []
    if HOSTNAME in labels and labels[-1] != HOSTNAME:
        errors.append(invalid("spec.levels", _OMIT, "the kubernetes.io/hostname label can only "
                              "be used at the lowest level of topology", "crd-rule"))
    return errors


def _local_queue(lq: dict) -> list:
    return [] if dig(lq, "spec", "clusterQueue") else [required("spec.clusterQueue")]
