"""Kueue v0.19.2 admission webhook rules that its CRD schemas do not express.

Ported from sigs.k8s.io/kueue v0.19.2 (feature gates at their v0.19 defaults):
- pkg/webhooks/clusterqueue_webhook.go, cohort_webhook.go, common.go (resource groups,
  limits, fair sharing, preemption, flavor fungibility, onFlavors, totals)
- pkg/webhooks/resourceflavor_webhook.go (node labels, taints, tolerations)
- pkg/webhooks/workload_webhook.go (pod sets: the reserved "pods" resource, negative
  quantities, minCount, TAS slice size; labels and annotations of pod templates)
- pkg/controller/jobframework/validation.go and jobs/job/job_webhook.go (queue-name label,
  max-exec-time label, job-min-parallelism annotation) for jobs Kueue manages.

The webhooks see the v1beta2 form of an object (the apiserver converts v1beta1 first), so
paths name v1beta2 fields (spec.cohortName) whatever version the manifest uses.

    >>> cq = {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
    ...       "metadata": {"name": "a"}, "spec": {"resourceGroups": [{
    ...       "coveredResources": ["cpu"], "flavors": [{"name": "f", "resources": [
    ...       {"name": "cpu", "nominalQuota": "1", "lendingLimit": "2"}]}]}]}}
    >>> [str(v) for v in validate(cq)]
    ['spec.resourceGroups[0].flavors[0].resources[0].lendingLimit: Invalid value: "2": must be nil when cohort is empty', 'spec.resourceGroups[0].flavors[0].resources[0].lendingLimit: Invalid value: "2": must be less than or equal to the nominalQuota']
"""
from __future__ import annotations
from typing import Any

from fractions import Fraction

from . import field
from .meta import validate_label_name, validate_label_selector, validate_labels, \
    validate_annotations
from .names import is_dns1123_subdomain, is_label_key, is_label_value
from .quantities import parse_quantity_strict

GROUP = "kueue.x-k8s.io"
WEBHOOK = "webhook:kueue"
QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
MAX_EXEC_LABEL = "kueue.x-k8s.io/max-exec-time-seconds"
PREBUILT_LABEL = "kueue.x-k8s.io/prebuilt-workload-name"
MIN_PARALLELISM = "kueue.x-k8s.io/job-min-parallelism"
NEGATIVE = "must be greater than or equal to 0"  # apimachinery IsNegativeErrorMsg
FINALIZER = "kueue.x-k8s.io/resource-in-use"


# Custom resources Kueue's validating webhooks decode into Go structs (webhook manifests:
# vclusterqueue, vcohort, vresourceflavor, vworkload, vjobset, vleaderworkerset): an int32
# overflow or a malformed quantity fails there ("json: cannot unmarshal ...").
DECODED = {(GROUP, "ClusterQueue"), (GROUP, "Cohort"), (GROUP, "ResourceFlavor"),
           (GROUP, "Workload"), ("jobset.x-k8s.io", "JobSet"),
           ("leaderworkerset.x-k8s.io", "LeaderWorkerSet")}


MUTATED = {(GROUP, "ClusterQueue"), (GROUP, "ResourceFlavor"), (GROUP, "Workload"),
           ("jobset.x-k8s.io", "JobSet"), ("leaderworkerset.x-k8s.io", "LeaderWorkerSet")}


def decoded_by_webhook(obj: dict[str, Any]) -> bool:
    return (str(obj.get("apiVersion", "")).split("/")[0], obj.get("kind")) in DECODED


def decoding_webhook(obj: dict[str, Any]) -> str:
    """The first Kueue webhook that decodes the object (a mutating one runs first)."""
    key = (str(obj.get("apiVersion", "")).split("/")[0], obj.get("kind"))
    if key not in DECODED:
        return ""
    return f"{'m' if key in MUTATED else 'v'}{str(key[1]).lower()}.kb.io"


def rewritten_by_webhook(obj: dict[str, Any]) -> bool:
    """Does a Kueue mutating webhook re-encode this object on CREATE?

    controller-runtime's defaulter (admission/defaulter_custom.go) returns a patch only when
    Default() changed the object, and then the whole re-encoded Go struct (zero values of
    non-omitempty fields included). ClusterQueue and ResourceFlavor defaulters add the
    resource-in-use finalizer; the JobSet and LeaderWorkerSet ones suspend a job that
    carries the queue-name label."""
    group = str(obj.get("apiVersion", "")).split("/")[0]
    kind, meta = obj.get("kind"), obj.get("metadata") or {}
    if group == GROUP and kind in ("ClusterQueue", "ResourceFlavor"):
        return FINALIZER not in (meta.get("finalizers") or [])
    if (group, kind) in (("jobset.x-k8s.io", "JobSet"),
                         ("leaderworkerset.x-k8s.io", "LeaderWorkerSet")):
        labelled = QUEUE_LABEL in (meta.get("labels") or {})
        return labelled and not (obj.get("spec") or {}).get("suspend")
    return False


def validate(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[field.Violation]:
    """Every Kueue webhook violation of `obj` (already defaulted by its schema)."""
    kind = obj.get("kind")
    group = str(obj.get("apiVersion", "")).split("/")[0]
    if group == GROUP:
        check = {"ClusterQueue": cluster_queue, "Cohort": cohort,
                 "ResourceFlavor": resource_flavor, "Workload": workload}.get(str(kind))
        undecodable = _undecodable_quantities(obj)
        if undecodable:
            return undecodable  # the webhook cannot even read the object
        return check(obj, old) if check else []
    return managed_job(obj, old)


# ---------------------------------------------------------------- ClusterQueue and Cohort

def cluster_queue(cq: dict[str, Any], old: dict[str, Any] | None = None) -> list[field.Violation]:
    spec = cq.get("spec") or {}
    has_cohort = bool(spec.get("cohortName") or spec.get("cohort"))
    groups = spec.get("resourceGroups") or []
    errs = resource_groups(groups, has_cohort, "spec.resourceGroups", is_cohort=False)
    if spec.get("namespaceSelector") is not None:
        errs += validate_label_selector(spec["namespaceSelector"], "spec.namespaceSelector",
                                        WEBHOOK)
    errs += _preemption(spec.get("preemption"))
    errs += _fungibility(spec.get("flavorFungibility"))
    errs += fair_sharing(spec.get("fairSharing"), "spec.fairSharing")
    errs += _totals(groups)
    errs += _on_flavors(spec, groups)
    return errs


def cohort(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[field.Violation]:
    spec = obj.get("spec") or {}
    has_parent = bool(spec.get("parentName") or spec.get("parent"))
    errs = fair_sharing(spec.get("fairSharing"), "spec.fairSharing")
    return errs + resource_groups(spec.get("resourceGroups") or [], has_parent,
                                  "spec.resourceGroups", is_cohort=True)


def resource_groups(groups: list[Any], has_parent: bool, path: str,
                    is_cohort: bool) -> list[field.Violation]:
    """validateResourceGroups: names, duplicates across groups, per-flavor quotas."""
    errs, seen_resources, seen_flavors = [], set(), set()
    for i, group in enumerate(groups):
        covered = [str(r) for r in group.get("coveredResources") or []]
        for j, name in enumerate(covered):
            where = f"{path}[{i}].coveredResources[{j}]"
            errs += [field.invalid(where, name, m, WEBHOOK) for m in is_label_key(name)]
            if name in seen_resources:
                errs.append(field.duplicate(where, name, WEBHOOK))
            seen_resources.add(name)
        for j, flavor in enumerate(group.get("flavors") or []):
            where = f"{path}[{i}].flavors[{j}]"
            errs += _flavor_quotas(flavor, covered, has_parent, where, is_cohort)
            name = flavor.get("name")
            if name in seen_flavors:
                errs.append(field.duplicate(f"{where}.name", name, WEBHOOK))
            seen_flavors.add(name)
    return errs


def _flavor_quotas(flavor: dict[str, Any], covered: list[Any], has_parent: bool, path: str,
                   is_cohort: bool) -> list[field.Violation]:
    errs = []
    for i, quota in enumerate((flavor.get("resources") or [])[:len(covered)]):
        where = f"{path}.resources[{i}]"
        if quota.get("name") != covered[i]:
            errs.append(field.invalid(f"{where}.name", quota.get("name"),
                                      "must match the name in coveredResources", WEBHOOK))
        nominal = _quantity(quota.get("nominalQuota", "0"))
        errs += _non_negative(quota.get("nominalQuota", "0"), nominal, f"{where}.nominalQuota")
        for key in ("borrowingLimit", "lendingLimit"):
            if quota.get(key) is None:
                continue
            errs += _limit(quota[key], key, has_parent, where, is_cohort)
            if key == "lendingLimit" and not is_cohort and nominal is not None:
                lend = _quantity(quota[key])
                if lend is not None and lend > nominal:
                    errs.append(field.invalid(f"{where}.{key}", _canonical(quota[key]),
                                              "must be less than or equal to the nominalQuota",
                                              WEBHOOK))
    return errs


def _limit(raw: object, key: str, has_parent: bool, where: str,
           is_cohort: bool) -> list[field.Violation]:
    """borrowingLimit/lendingLimit: non-negative, and only with a parent (cohort)."""
    value = _quantity(raw)
    errs = []
    if key == "borrowingLimit":
        errs += _empty_parent(raw, has_parent, f"{where}.{key}", is_cohort)
        errs += _non_negative(raw, value, f"{where}.{key}")
    else:  # validateFlavorQuotas checks the lending limit's sign first
        errs += _non_negative(raw, value, f"{where}.{key}")
        errs += _empty_parent(raw, has_parent, f"{where}.{key}", is_cohort)
    return errs


def _empty_parent(raw: object, has_parent: bool, where: str,
                  is_cohort: bool) -> list[field.Violation]:
    if has_parent:
        return []
    word = "parent" if is_cohort else "cohort"
    return [field.invalid(where, _canonical(raw), f"must be nil when {word} is empty", WEBHOOK)]


def _non_negative(raw: object, value: Fraction | None, where: str) -> list[field.Violation]:
    if value is not None and value < 0:
        return [field.invalid(where, _canonical(raw), NEGATIVE, WEBHOOK)]
    return []


def fair_sharing(spec: object, path: str) -> list[field.Violation]:
    if not isinstance(spec, dict) or spec.get("weight") is None:
        return []
    weight = _quantity(spec["weight"])
    if weight is None:
        return []
    if weight < 0:
        return [field.invalid(path, _canonical(spec["weight"]), NEGATIVE, WEBHOOK)]
    if 0 < weight <= Fraction(1, 10 ** 9):
        return [field.invalid(path, _canonical(spec["weight"]),
                              "When not 0, weight must be > 10e-9", WEBHOOK)]
    return []


def _preemption(preemption: object) -> list[field.Violation]:
    if not isinstance(preemption, dict):
        return []
    borrow = preemption.get("borrowWithinCohort")
    if preemption.get("reclaimWithinCohort") == "Never" and isinstance(borrow, dict) and \
            borrow.get("policy") != "Never":
        return [field.invalid("spec.preemption", field.OMIT,
                              "reclaimWithinCohort=Never and borrowWithinCohort.Policy!=Never",
                              WEBHOOK)]
    return []


def _fungibility(fungibility: object) -> list[field.Violation]:
    if not isinstance(fungibility, dict) or fungibility.get("preference") is None:
        return []
    if fungibility.get("whenCanBorrow") != "TryNextFlavor" or \
            fungibility.get("whenCanPreempt") != "TryNextFlavor":
        pref = fungibility["preference"]
        return [field.invalid("spec.flavorFungibility.preference", pref,
                              f'preference "{pref}" requires both whenCanBorrow and '
                              "whenCanPreempt to be TryNextFlavor", WEBHOOK)]
    return []


def _totals(groups: list[Any]) -> list[field.Violation]:
    errs = []
    flavors = sum(len(g.get("flavors") or []) for g in groups)
    covered = sum(len(g.get("coveredResources") or []) for g in groups)
    if flavors > 256:
        errs.append(field.invalid("spec.resourceGroups", flavors, "total number of flavors "
                                  f"across all resourceGroups must be ≤ 256, got {flavors}",
                                  WEBHOOK))
    if covered > 256:
        errs.append(field.invalid("spec.resourceGroups", covered, "total number of covered "
                                  f"resources across all resourceGroups must be ≤ 256, got "
                                  f"{covered}", WEBHOOK))
    for i, group in enumerate(groups):
        combos = sum(len(f.get("resources") or []) for f in group.get("flavors") or [])
        if combos > 512:
            errs.append(field.invalid(f"spec.resourceGroups[{i}]", combos, "number of "
                                      "flavor-resource combinations in a resourceGroup must "
                                      f"be ≤ 512, got {combos}", WEBHOOK))
    return errs


def _on_flavors(spec: dict[str, Any], groups: list[Any]) -> list[field.Violation]:
    strategy = spec.get("admissionChecksStrategy")
    if not isinstance(strategy, dict):
        return []
    flavors = [f.get("name") for g in groups for f in g.get("flavors") or []]
    errs = []
    for i, check in enumerate(strategy.get("admissionChecks") or []):
        for j, name in enumerate(check.get("onFlavors") or []):
            if name not in flavors:
                errs.append(field.not_supported(
                    f"spec.admissionChecksStrategy.admissionChecks[{i}].onFlavors[{j}]", name,
                    flavors, WEBHOOK))
    return errs


# ---------------------------------------------------------------- ResourceFlavor

def resource_flavor(rf: dict[str, Any], old: dict[str, Any] | None = None) -> list[field.Violation]:
    spec = rf.get("spec") or {}
    errs = validate_labels(spec.get("nodeLabels") or {}, "spec.nodeLabels", WEBHOOK)
    seen: dict[str, Any] = {}
    for i, taint in enumerate(spec.get("nodeTaints") or []):
        where = f"spec.nodeTaints[{i}]"
        errs += validate_label_name(str(taint.get("key", "")), f"{where}.key", WEBHOOK)
        value = str(taint.get("value", "") or "")
        messages = is_label_value(value)
        if messages:
            errs.append(field.invalid(f"{where}.value", value, ";".join(messages), WEBHOOK))
        keys = seen.setdefault(taint.get("effect"), set())
        if taint.get("key") in keys:
            errs.append(field.Violation(where, "Duplicate value", taint,
                                        "taints must be unique by key and effect pair",
                                        WEBHOOK))
            continue
        keys.add(taint.get("key"))
    errs += _tolerations(spec.get("tolerations") or [], "spec.tolerations")
    return errs


def _tolerations(tolerations: list[Any], path: str) -> list[field.Violation]:
    errs = []
    for i, toleration in enumerate(tolerations):
        key = str((toleration or {}).get("key") or "")
        if key:
            errs += validate_label_name(key, f"{path}[{i}].key", WEBHOOK)
    return errs


# ---------------------------------------------------------------- Workload

def workload(wl: dict[str, Any], old: dict[str, Any] | None = None) -> list[field.Violation]:
    spec = wl.get("spec") or {}
    errs, variable = [], 0
    for i, pod_set in enumerate(spec.get("podSets") or []):
        errs += _pod_set(pod_set or {}, f"spec.podSets[{i}]")
        variable += (pod_set or {}).get("minCount") is not None
    if variable > 1:
        errs.append(field.invalid("spec.podSets", variable, "at most one podSet can use "
                                  "minCount", WEBHOOK))
    return errs


def _pod_set(pod_set: dict[str, Any], path: str) -> list[field.Violation]:
    template = pod_set.get("template") or {}
    meta = template.get("metadata") or {}
    errs = validate_labels(meta.get("labels") or {}, f"{path}.template.metadata.labels",
                           WEBHOOK)
    errs += validate_annotations(meta.get("annotations") or {},
                                 f"{path}.template.metadata.annotations", WEBHOOK)
    pod = template.get("spec") or {}
    for section in ("initContainers", "containers"):
        for i, container in enumerate(pod.get(section) or []):
            where = f"{path}.template.spec.{section}[{i}].resources"
            resources = (container or {}).get("resources") or {}
            errs += _resource_list(resources.get("requests"), f"{where}.requests")
            errs += _resource_list(resources.get("limits"), f"{where}.limits")
    if isinstance(pod.get("resources"), dict):
        where = f"{path}.template.spec.resources"
        errs += _resource_list(pod["resources"].get("requests"), f"{where}.requests")
        errs += _resource_list(pod["resources"].get("limits"), f"{where}.limits")
    return errs + _slice_size(pod_set.get("topologyRequest"), f"{path}.topologyRequest")


def _resource_list(resources: object, path: str) -> list[field.Violation]:
    errs = []
    for name, raw in (resources if isinstance(resources, dict) else {}).items():
        where = f"{path}[{name}]"
        if name == "pods":
            errs.append(field.invalid(where, "pods", "the key is reserved for internal kueue "
                                      "use", WEBHOOK))
        errs += _non_negative(raw, _quantity(raw), where)
    return errs


def _slice_size(request: object, path: str) -> list[field.Violation]:
    if not isinstance(request, dict):
        return []
    errs, size = [], request.get("podSetSliceSize")
    if request.get("podSetSliceRequiredTopology") is not None:
        if size is None:
            errs.append(field.required(f"{path}.podSetSliceSize", "must be set when "
                                       "podSetSliceRequiredTopology is specified", WEBHOOK))
        elif size <= 0:
            errs.append(field.invalid(f"{path}.podSetSliceSize", size, "must be greater than 0",
                                      WEBHOOK))
    elif size is not None:
        errs.append(field.forbidden(f"{path}.podSetSliceSize", "may not be set when "
                                    "podSetSliceRequiredTopology is not specified", WEBHOOK))
    return errs


# ---------------------------------------------------------------- jobs Kueue manages

def managed_job(obj: dict[str, Any], old: dict[str, Any] | None = None) -> list[field.Violation]:
    """jobframework.ValidateJobOnCreate for a batch/v1 Job carrying the queue-name label
    (the shipped configuration manages only labelled jobs)."""
    if obj.get("kind") != "Job" or obj.get("apiVersion") != "batch/v1":
        return []
    labels = (obj.get("metadata") or {}).get("labels") or {}
    if QUEUE_LABEL not in labels:
        return []
    errs = []
    for label in (QUEUE_LABEL, PREBUILT_LABEL):
        if label in labels:
            messages = is_dns1123_subdomain(str(labels[label]))
            if messages:
                errs.append(field.invalid(f"metadata.labels[{label}]", labels[label],
                                          ",".join(messages), WEBHOOK))
    errs += _max_exec_time(labels)
    return errs + _min_parallelism(obj)


def _atoi(raw: object, where: str) -> tuple[int | None, list[field.Violation]]:
    """(int, []) or (None, [the webhook's strconv.Atoi error])."""
    text = str(raw)
    try:
        return int(text, 10), []
    except ValueError:
        return None, [field.invalid(where, text, f'strconv.Atoi: parsing "{text}": invalid '
                                    "syntax", WEBHOOK)]


def _max_exec_time(labels: dict[str, Any]) -> list[field.Violation]:
    if MAX_EXEC_LABEL not in labels:
        return []
    where = f"metadata.labels[{MAX_EXEC_LABEL}]"
    value, errs = _atoi(labels[MAX_EXEC_LABEL], where)
    if value is None or value > 0:
        return errs
    return [field.invalid(where, value, "should be greater than 0", WEBHOOK)]


def _min_parallelism(job: dict[str, Any]) -> list[field.Violation]:
    annotations = (job.get("metadata") or {}).get("annotations") or {}
    if MIN_PARALLELISM not in annotations:
        return []
    where = f"metadata.annotations[{MIN_PARALLELISM}]"
    value, errs = _atoi(annotations[MIN_PARALLELISM], where)
    if value is None:
        return errs
    spec = job.get("spec") or {}
    pods = spec.get("parallelism", 1)
    pods = 1 if pods is None else pods
    if value >= pods or value <= 0:
        return [field.invalid(where, value, f"should be between 0 and {pods - 1}", WEBHOOK)]
    return []


# No v1beta1 kind is refused for conversion: Kueue v0.19.2's release chart
# (charts/kueue/templates/crd/*.yaml) asks for a conversion webhook only on the CRDs whose
# v1beta1 types implement conversion.Convertible; ResourceFlavor's CRD keeps strategy None, so
# the apiserver stores a v1beta1 ResourceFlavor as v1beta2 with the same fields (seen live:
# tests/live/test_kueue_crds_live.py, tests/live/test_validator_live.py).


def _undecodable_quantities(obj: dict[str, Any]) -> list[field.Violation]:
    """Quota quantities the webhook's Go decoder refuses (resource.ParseQuantity)."""
    spec = obj.get("spec") or {}
    values = [((spec.get("fairSharing") or {}).get("weight"))]
    for group in spec.get("resourceGroups") or []:
        for flavor in (group or {}).get("flavors") or []:
            for row in (flavor or {}).get("resources") or []:
                values += [(row or {}).get(k) for k in ("nominalQuota", "borrowingLimit",
                                                        "lendingLimit")]
    for value in values:
        if isinstance(value, str):
            try:
                parse_quantity_strict(value)
            except ValueError as err:
                hook = decoding_webhook(obj) or f"v{str(obj.get('kind')).lower()}.kb.io"
                return [field.Violation("", f'admission webhook "{hook}" denied the request: '
                                        f"{err}", origin=WEBHOOK)]
    return []


# ---------------------------------------------------------------- helpers

def _quantity(raw: object) -> Fraction | None:
    try:
        return parse_quantity_strict(raw if isinstance(raw, str) else str(raw))
    except ValueError:
        return None


def _canonical(raw: object) -> str:
    """The quantity as the webhook prints it (Quantity.String(): canonical form)."""
    from .quantities import canonical
    return canonical(raw)
