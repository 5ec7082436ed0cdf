"""Validation of Kueue queue objects, the rules Kueue's CEL and webhooks enforce.

Sources (v0.19.2): apis/kueue/v1beta2/clusterqueue_types.go (XValidation: borrowingLimit
nil without cohort; flavors have as many resources as coveredResources; max 16 groups),
pkg/webhooks/clusterqueue_webhook.go (names must match coveredResources in order, a flavor
or resource once across groups, lendingLimit and borrowingLimit need a cohort,
lendingLimit <= nominalQuota), apis/kueue/v1beta2/topology_types.go (hostname level last,
unique levels) and resourceflavor_types.go (topologyName needs a nodeLabel, max 8 labels /
taints / tolerations).
"""
from __future__ import annotations

from k8s_skillkit.objects import dig, name_of
from k8s_skillkit.quantity import parse_quantity

from _kueue_objects import cohort_of

HOSTNAME = "kubernetes.io/hostname"


def validate(obj: dict) -> list[str]:
    kind = obj.get("kind")
    check = {"ClusterQueue": validate_cluster_queue, "Cohort": validate_cohort,
             "ResourceFlavor": validate_flavor, "Topology": validate_topology,
             "LocalQueue": validate_local_queue}.get(kind)
    return [f"{kind} {name_of(obj)}: {e}" for e in check(obj)] if check else []


def validate_cluster_queue(cq: dict) -> list[str]:
    return _groups(dig(cq, "spec", "resourceGroups", default=[]) or [], bool(cohort_of(cq)),
                   "cohort")


def validate_cohort(cohort: dict) -> list[str]:
    spec = cohort.get("spec") or {}
    has_parent = bool(spec.get("parentName") or spec.get("parent"))
    return _groups(spec.get("resourceGroups") or [], has_parent, "parent")


def _groups(groups: list, has_parent: bool, parent_word: str) -> list[str]:
    errors = []
    if len(groups) > 16:
        errors.append(f"{len(groups)} resourceGroups, at most 16 allowed")
    seen_res, seen_flavor = set(), set()
    for gi, group in enumerate(groups):
        covered = [str(r) for r in group.get("coveredResources") or []]
        for res in covered:
            if res in seen_res:
                errors.append(f"resource {res} appears in more than one resourceGroup")
            seen_res.add(res)
        for flavor in group.get("flavors") or []:
            fname = flavor.get("name", "")
            if fname in seen_flavor:
                errors.append(f"flavor {fname} appears more than once")
            seen_flavor.add(fname)
            names = [r.get("name") for r in flavor.get("resources") or []]
            if names != covered:
                errors.append(f"resourceGroups[{gi}] flavor {fname} lists {names}, must list "
                              f"exactly coveredResources {covered} in the same order")
            for res in flavor.get("resources") or []:
                errors += _limits(res, fname, has_parent, parent_word)
    return errors


def _limits(res: dict, flavor: str, has_parent: bool, parent_word: str) -> list[str]:
    errors, where = [], f"flavor {flavor} resource {res.get('name')}"
    for field in ("borrowingLimit", "lendingLimit"):
        if res.get(field) is not None and not has_parent:
            errors.append(f"{where}: {field} must be nil when {parent_word} is empty")
    try:
        nominal = parse_quantity(res.get("nominalQuota", 0))
        if res.get("lendingLimit") is not None and parse_quantity(res["lendingLimit"]) > nominal:
            errors.append(f"{where}: lendingLimit must be less than or equal to nominalQuota")
    except ValueError as err:
        errors.append(f"{where}: {err}")
    return errors


def validate_flavor(flavor: dict) -> list[str]:
    spec = flavor.get("spec") or {}
    errors = []
    for field in ("nodeLabels", "nodeTaints", "tolerations"):
        if len(spec.get(field) or []) > 8:
            errors.append(f"{field} has more than 8 entries")
    if spec.get("topologyName") and not spec.get("nodeLabels"):
        errors.append("at least one nodeLabel is required when topologyName is set")
    return errors


def validate_topology(topology: dict) -> list[str]:
    labels = [lvl.get("nodeLabel") for lvl in dig(topology, "spec", "levels", default=[]) or []]
    errors = []
    if len(set(labels)) != len(labels):
        errors.append("levels must be unique")
    if HOSTNAME in labels and labels[-1] != HOSTNAME:
        errors.append(f"{HOSTNAME} can only be the lowest (last) level")
    if not labels:
        errors.append("at least one level is required")
    return errors


def validate_local_queue(lq: dict) -> list[str]:
    return [] if dig(lq, "spec", "clusterQueue") else ["spec.clusterQueue is required"]
