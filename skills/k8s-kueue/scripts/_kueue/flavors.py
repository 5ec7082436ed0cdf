"""Does a pod set fit a ResourceFlavor? Taints and node affinity, as Kueue checks them.

Mirrors checkFlavorForPodSets and flavorSelector in
pkg/scheduler/flavorassigner/flavorassigner.go (Kueue v0.19.2): only NoSchedule/NoExecute
taints count, the flavor's own tolerations are added to the pod's, and the pod's nodeSelector
and required node affinity are reduced to the label keys the flavor itself defines.
"""
from __future__ import annotations

from k8s_skillkit.objects import dig
from k8s_skillkit.scheduling import untolerated_taints
from k8s_skillkit.selectors import SelectorError, expression_matches


def flavor_problem(flavor: dict | None, flavor_name: str, pod_spec: dict) -> str:
    """'' when the pod set may use the flavor, else the reason in Kueue's words."""
    if flavor is None:
        return f"flavor {flavor_name} not found"
    spec = flavor.get("spec") or {}
    tolerations = list(pod_spec.get("tolerations") or []) + list(spec.get("tolerations") or [])
    # only NoSchedule/NoExecute taints count (the kit's default effects, as Kueue filters)
    untolerated = untolerated_taints(spec.get("nodeTaints") or [], tolerations)
    if untolerated:
        return f"untolerated taint {_taint_text(untolerated[0])} in flavor {flavor_name}"
    labels = spec.get("nodeLabels") or {}
    if not _selector_matches(pod_spec, labels):
        return f"flavor {flavor_name} doesn't match node affinity"
    return ""


def _taint_text(taint: dict) -> str:
    """Go's %s of a corev1.Taint value, as Kueue prints it: {key value Effect <nil>}."""
    return f"{{{taint.get('key', '')} {taint.get('value', '')} {taint.get('effect', '')} <nil>}}"


def _selector_matches(pod_spec: dict, labels: dict) -> bool:
    """Kueue's reduction (flavorSelector): only the label keys the flavor defines count; the
    reduced requirements are matched with the kit's apimachinery semantics."""
    keys = set(labels)
    for key, value in (pod_spec.get("nodeSelector") or {}).items():
        if key in keys and str(labels.get(key)) != str(value):
            return False
    terms = dig(pod_spec, "affinity", "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms",
                default=[]) or []
    reduced = []
    for term in terms:
        exprs = [e for e in term.get("matchExpressions") or [] if e.get("key") in keys]
        if not exprs:
            return True  # an ORed term with no relevant key matches any flavor
        reduced.append(exprs)
    return not reduced or any(all(_expr_matches(e, labels) for e in t) for t in reduced)


def _expr_matches(expr: dict, labels: dict) -> bool:
    try:
        return expression_matches(expr, labels)
    except SelectorError:  # an operator the apiserver rejects matches nothing
        return False


def node_matches(node: dict, flavor: dict | None) -> bool:
    """A node belongs to a flavor when it carries all the flavor's nodeLabels."""
    wanted = dig(flavor or {}, "spec", "nodeLabels", default={}) or {}
    labels = dig(node, "metadata", "labels", default={}) or {}
    return all(labels.get(k) == v for k, v in wanted.items())


def pasted_flavors_refuse(cluster, podsets: list[dict]) -> list[str]:
    """Kueue's reason for every ResourceFlavor in the input, when each of them refuses some pod
    set of the job (checkFlavorForPodSets: taints, then node affinity) and the ClusterQueue is
    not in the input: the flavors are the only ones the report shows. [] when any flavor takes
    every pod set, when there is no flavor, or when a ClusterQueue is in the input (then the
    Workload's own assignment is what counts)."""
    if not cluster.flavors or cluster.cluster_queues or not podsets:
        return []
    reasons = []
    for flavor_name, flavor in sorted(cluster.flavors.items()):
        found = [flavor_problem(flavor, flavor_name, dig(ps, "template", "spec", default={}) or {})
                 for ps in podsets]
        found = [r for r in found if r]
        if not found:
            return []
        reasons.append(found[0])
    return reasons
