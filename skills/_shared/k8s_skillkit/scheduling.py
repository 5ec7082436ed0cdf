"""Where a pod may run: node selector, node affinity, taints and tolerations.

Semantics follow the scheduler's own helpers at v0.37.2 (cite these when testing):
- k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go: nodeSelectorTerms
  are ORed, requirements inside a term ANDed; a term with neither matchExpressions nor
  matchFields is skipped (so only-empty terms match no node); matchFields supports only
  `metadata.name` with In/NotIn and exactly one value; pod.spec.nodeSelector AND the required
  terms must both hold (RequiredNodeAffinity.Match).
- k8s.io/api/core/v1/toleration.go (ToleratesTaint): an empty toleration effect matches every
  effect, an empty key (operator Exists) every key; operator "" means Equal; Gt/Lt compare
  int64 values (feature gate TaintTolerationComparisonOperators, 1.35+).
- pkg/scheduler/framework/plugins/tainttoleration: the Filter looks only at NoSchedule and
  NoExecute taints; PreferNoSchedule only lowers the score.
"""
from __future__ import annotations
from collections.abc import Collection
from typing import Any

from .objects import dig
from .selectors import SelectorError, requirement_matches, set_matches

FILTERED_EFFECTS = ("NoSchedule", "NoExecute")


# --- node affinity ------------------------------------------------------------------

def term_matches(term: dict[str, Any] | None, node: dict[str, Any]) -> bool:
    """One NodeSelectorTerm; an empty term matches nothing (it is skipped upstream)."""
    term = term or {}
    expressions = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not expressions and not fields:
        return False
    labels = dig(node, "metadata", "labels", default={}) or {}
    for expression in expressions:
        if str(expression.get("operator")) not in ("In", "NotIn", "Exists", "DoesNotExist",
                                                  "Gt", "Lt"):
            return False  # a parse error: the term never matches
        if not requirement_matches(str(expression.get("key", "")), str(expression["operator"]),
                                   expression.get("values"), labels):
            return False
    node_name = dig(node, "metadata", "name", default="")
    for expression in fields:
        if not _field_matches(expression, node_name):
            return False
    return True


def _field_matches(expression: dict[str, Any], node_name: str) -> bool:
    values = expression.get("values") or []
    operator = expression.get("operator")
    if expression.get("key") != "metadata.name" or len(values) != 1 or operator not in ("In",
                                                                                          "NotIn"):
        return False  # upstream: a parse error, the term does not match
    if not node_name:
        return True  # extractNodeFields is empty: field selectors are not applied
    return bool((node_name == values[0]) == (operator == "In"))


def node_selector_matches(node_selector: dict[str, Any] | None, node: dict[str, Any]) -> bool:
    """A v1.NodeSelector (required affinity, PV node affinity, DRA): any non-empty term."""
    terms = (node_selector or {}).get("nodeSelectorTerms") or []
    return any(term_matches(term, node) for term in terms)


def pod_spec(pod: dict[str, Any]) -> dict[str, Any]:
    """The pod spec of a Pod, or of a pod template (Job, Deployment, PodTemplate)."""
    if pod.get("kind") in (None, "", "Pod"):
        return pod.get("spec") or {}
    return dig(pod, "spec", "template", "spec", default=None) or pod.get("spec") or {}


def required_affinity_matches(pod: dict[str, Any], node: dict[str, Any]) -> bool:
    """RequiredNodeAffinity.Match: spec.nodeSelector AND required node affinity."""
    spec = pod_spec(pod)
    labels = dig(node, "metadata", "labels", default={}) or {}
    if spec.get("nodeSelector") and not set_matches(spec["nodeSelector"], labels):
        return False
    required = dig(spec, "affinity", "nodeAffinity",
                   "requiredDuringSchedulingIgnoredDuringExecution")
    if required is not None:
        return node_selector_matches(required, node)
    return True


def preferred_affinity_score(pod: dict[str, Any], node: dict[str, Any]) -> int:
    """Sum of the weights of the preferred terms the node matches (zero-weight terms skipped)."""
    terms = dig(pod_spec(pod), "affinity", "nodeAffinity",
                "preferredDuringSchedulingIgnoredDuringExecution", default=[]) or []
    return sum(int(t.get("weight") or 0) for t in terms
               if int(t.get("weight") or 0) and term_matches(t.get("preference"), node))


# --- taints and tolerations -------------------------------------------------------------

def tolerates(toleration: dict[str, Any], taint: dict[str, Any]) -> bool:
    """Toleration.ToleratesTaint."""
    effect = toleration.get("effect") or ""
    if effect and effect != (taint.get("effect") or ""):
        return False
    key = toleration.get("key") or ""
    if key and key != (taint.get("key") or ""):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Equal":
        return str(toleration.get("value") or "") == str(taint.get("value") or "")
    if operator == "Exists":
        return True
    if operator in ("Gt", "Lt"):
        try:
            # Lt tolerates taints whose value is below the toleration's (compareNumericValues).
            return requirement_matches("v", operator, [str(toleration.get("value") or "")],
                                       {"v": str(taint.get("value") or "")})
        except SelectorError:
            return False
    return False


def untolerated_taints(taints: list[dict[str, Any]] | None,
                       tolerations: list[dict[str, Any]] | None,
                       effects: Collection[str] = FILTERED_EFFECTS) -> list[dict[str, Any]]:
    """Taints (of the given effects) that no toleration tolerates, in node order."""
    tolerations = tolerations or []
    return [t for t in taints or [] if (not effects or t.get("effect") in effects)
            and not any(tolerates(tol, t) for tol in tolerations)]


def node_taints(node: dict[str, Any]) -> list[dict[str, Any]]:
    return dig(node, "spec", "taints", default=[]) or []


def pod_tolerations(pod: dict[str, Any]) -> list[dict[str, Any]]:
    return pod_spec(pod).get("tolerations") or []


def taint_text(taint: dict[str, Any]) -> str:
    """kubectl's form: key=value:Effect (Taint.ToString)."""
    text: str = taint.get("key", "")
    if taint.get("value"):
        text += "=" + str(taint["value"])
    return text + ":" + str(taint.get("effect", ""))


def eviction_seconds(tolerations: list[dict[str, Any]] | None,
                     taint: dict[str, Any]) -> int | None:
    """For a NoExecute taint: 0 = evicted at once, None = never, else seconds until eviction.

    pkg/controller/tainteviction/taint_eviction.go getMinTolerationTime over the matching
    tolerations: none match -> 0; any tolerationSeconds <= 0 -> 0; else the smallest given
    tolerationSeconds; no matching toleration gives seconds -> forever.
    """
    matching = [t for t in tolerations or [] if tolerates(t, taint)]
    if not matching:
        return 0
    seconds = [int(t["tolerationSeconds"]) for t in matching
               if t.get("tolerationSeconds") is not None]
    if not seconds:
        return None
    return max(0, min(seconds))


# --- one verdict ----------------------------------------------------------------------

def node_rejections(pod: dict[str, Any], node: dict[str, Any]) -> list[str]:
    """Why the scheduler's Filter plugins (NodeUnschedulable, NodeAffinity, TaintToleration)
    would reject the node, in their v1.37 reason wording; [] when none of them would.
    (pkg/scheduler/framework/plugins/{nodeunschedulable,nodeaffinity,tainttoleration})"""
    reasons = []
    spec = pod_spec(pod)
    if dig(node, "spec", "unschedulable") and not any(
            tolerates(t, {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"})
            for t in spec.get("tolerations") or []):
        reasons.append("node(s) were unschedulable")
    if not required_affinity_matches(pod, node):
        reasons.append("node(s) didn't match Pod's node affinity/selector")
    bad = untolerated_taints(node_taints(node), spec.get("tolerations"))
    if bad:
        reasons.append("node(s) had untolerated taint(s)")
    return reasons
