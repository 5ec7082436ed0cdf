"""An indexed view of Kueue and Kubernetes objects, reading v1beta1 and v1beta2 alike.

The raw dicts stay the truth; this module only indexes them and hides the field renames
between kueue.x-k8s.io/v1beta1 and v1beta2 (apis/kueue/v1beta1 vs apis/kueue/v1beta2 in
kubernetes-sigs/kueue v0.19.2): cohort -> cohortName, admissionChecks -> admissionChecksStrategy,
Cohort parent -> parentName.
"""
from __future__ import annotations

import os
import sys
from fractions import Fraction
from functools import lru_cache

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                             "_shared"))

from k8s_skillkit.objects import conditions, dig, name_of, namespace_of
from k8s_skillkit.quantity import parse_quantity
from k8s_skillkit.requests import pod_requests as kit_pod_requests

from _kueue.tables import empty_listings, objects_from_tables

KUEUE_GROUP = "kueue.x-k8s.io"
QUEUE_LABEL = "kueue.x-k8s.io/queue-name"
QUEUE_ANNOTATION = "kueue.x-k8s.io/queue-name"  # the pre-v0.? annotation form, still honoured
JOB_UID_LABEL = "kueue.x-k8s.io/job-uid"
POD_GROUP_LABEL = "kueue.x-k8s.io/pod-group-name"

# Job kinds Kueue integrates with (pkg/controller/jobs/*), keyed by kind.
JOB_KINDS = {
    "Job": "job", "JobSet": "jobset", "LeaderWorkerSet": "leaderworkerset",
    "RayJob": "rayjob", "RayCluster": "raycluster", "PyTorchJob": "pytorchjob",
    "TrainJob": "trainjob", "MPIJob": "mpijob", "TFJob": "tfjob", "XGBoostJob": "xgboostjob",
    "PaddleJob": "paddlejob", "JAXJob": "jaxjob", "AppWrapper": "appwrapper",
}


def kind_is(obj: dict, kind: str, group: str | None = None) -> bool:
    """Kind (and group, when the object says it: describe text of a CRD may not)."""
    if obj.get("kind") != kind:
        return False
    api = str(obj.get("apiVersion") or "")
    return group is None or not api or api.startswith(group + "/")


# Condition types only a Workload has: a pasted status fragment without kind is a Workload's.
_WORKLOAD_CONDITIONS = {"QuotaReserved", "Admitted", "Evicted", "PodsReady", "Requeued",
                        "Preempted", "DeactivationTarget"}


def workload_status(obj: dict) -> bool:
    """A mapping that is a Workload's status itself (`kubectl get wl -o yaml | yq .status`,
    or the block under `status:` pasted alone): Workload condition types at the top, beside
    nothing of an object (kubernetes-sigs/kueue#10807 pasted admissionChecks and
    conditions)."""
    if any(k in obj for k in ("spec", "metadata", "status")):
        return False
    conditions = obj.get("conditions")
    if not isinstance(conditions, list):
        return check_states(obj)
    return bool({c.get("type") for c in conditions if isinstance(c, dict)}
                & _WORKLOAD_CONDITIONS) or check_states(obj)


# status.admissionChecks[].state of a Workload (apis/kueue v1beta1/v1beta2 CheckState)
_CHECK_STATES = {"Pending", "Ready", "Retry", "Rejected"}


def check_states(status: dict) -> bool:
    """A status with a Workload's admissionChecks list (name and state per check): no other
    kind has that field."""
    checks = status.get("admissionChecks")
    return isinstance(checks, list) and bool(checks) and all(
        isinstance(c, dict) and c.get("name") and c.get("state") in _CHECK_STATES
        for c in checks)


def as_kueue_object(obj: dict) -> dict:
    """Give a kindless paste fragment the kind it must have: a status with Workload condition
    types is a Workload; a controller log record about an object ("msg" + "object" or
    "workload") is an Event about that object."""
    if kind_is(obj, "QueuedWorkload", KUEUE_GROUP):
        return {**obj, "kind": "Workload"}
    if obj.get("kind"):
        return obj
    types = {c.get("type") for c in dig(obj, "status", "conditions", default=[]) or []
             if isinstance(c, dict)}
    status = obj.get("status")
    if types & _WORKLOAD_CONDITIONS or (isinstance(status, dict) and check_states(status)):
        return {**obj, "kind": "Workload", "metadata": obj.get("metadata") or {}}
    if workload_status(obj):  # the status's own fields, pasted without `status:`
        return {"kind": "Workload", "metadata": {}, "status": obj}
    regarding = obj.get("object") or obj.get("workload")
    message = " ".join(str(obj.get(k, "")) for k in ("msg", "error") if obj.get(k))
    if isinstance(regarding, dict) and message:
        return {"kind": "Event", "involvedObject": {"kind": "Workload", **regarding},
                "reason": obj.get("reason", ""), "message": message,
                "type": obj.get("type", ""), "source": {"component": "log"}}
    return obj


class Cluster:
    """All objects of one dump or one live read, indexed for O(1) look-ups."""

    def __init__(self, objects: list[dict], fetched_kinds=(), texts=(), lines=()):
        self.workloads: list[dict] = []
        self.cluster_queues: dict[str, dict] = {}
        self.local_queues: dict[tuple[str, str], dict] = {}
        self.flavors: dict[str, dict] = {}
        self.admission_checks: dict[str, dict] = {}
        self.cohorts: dict[str, dict] = {}
        self.namespaces: dict[str, dict] = {}
        self.nodes: list[dict] = []
        self.pods: list[dict] = []
        self.events: list[dict] = []
        self.jobs: list[dict] = []
        self.claim_templates: dict[tuple[str, str], dict] = {}
        # Kinds read live: a missing object of these kinds does not exist.
        self.live_kinds: set[str] = set(fetched_kinds)
        self.seen_kinds: set[str] = set(fetched_kinds)
        self.source = objects  # the kit's Dump knows which kinds it holds in full
        self.texts: list[str] = list(texts)  # paste lines that are not objects (logs)
        self.others: list[dict] = []
        for obj in objects:
            if isinstance(obj, dict):
                self._add(as_kueue_object(obj))
        for record in getattr(objects, "records", ()):  # JSON log lines the kit decoded
            event = as_kueue_object(record) if isinstance(record, dict) else {}
            if event.get("kind") == "Event":
                self._add(event)
        for fragment in getattr(objects, "fragments", ()):  # kind-less YAML the kit kept
            found = as_kueue_object(fragment) if isinstance(fragment, dict) else {}
            if found.get("kind"):
                self._add(found)
        lines = list(lines) or self.texts  # the paste's lines, in order
        self.lines: list[str] = lines
        self.empty_kinds = empty_listings(lines)  # "No resources found" answers
        for obj in objects_from_tables(lines, self.texts):  # `kubectl get` tables
            if self.find(obj["kind"], name_of(obj), namespace_of(obj)) is None:
                self._add(obj)
        self.cq_members = self._cohort_members()

    def _add(self, obj: dict) -> None:
        kind = obj.get("kind", "")
        self.seen_kinds.add(kind)
        if obj.get("_source") == "table" and self._full_object(kind, obj):
            return  # a `kubectl get` row beside the object's YAML: the YAML says more
        key_ns = (namespace_of(obj), name_of(obj))
        if kind_is(obj, "Workload", KUEUE_GROUP):
            self.workloads.append(obj)
        elif kind_is(obj, "ClusterQueue", KUEUE_GROUP):
            self.cluster_queues[name_of(obj)] = obj
        elif kind_is(obj, "LocalQueue", KUEUE_GROUP):
            self.local_queues[key_ns] = obj
        elif kind_is(obj, "ResourceFlavor", KUEUE_GROUP):
            self.flavors[name_of(obj)] = obj
        elif kind_is(obj, "AdmissionCheck", KUEUE_GROUP):
            self.admission_checks[name_of(obj)] = obj
        elif kind_is(obj, "Cohort", KUEUE_GROUP):
            self.cohorts[name_of(obj)] = obj
        elif kind == "Namespace":
            self.namespaces[name_of(obj)] = obj
        elif kind == "Node":
            self.nodes.append(obj)
        elif kind == "Pod":
            self.pods.append(obj)
        elif kind == "Event":
            self.events.append(obj)
        elif kind == "ResourceClaimTemplate":
            self.claim_templates[key_ns] = obj
        elif kind in JOB_KINDS:
            self.jobs.append(obj)
        else:
            self.others.append(obj)

    def find(self, kind: str, name: str, namespace: str = "") -> dict | None:
        """One object of the input by kind and name (namespace when it is namespaced)."""
        index = {"ClusterQueue": self.cluster_queues, "ResourceFlavor": self.flavors,
                 "AdmissionCheck": self.admission_checks, "Cohort": self.cohorts,
                 "Namespace": self.namespaces}.get(kind)
        if index is not None:
            return index.get(name)
        if kind == "LocalQueue":
            return self.local_queues.get((namespace, name))
        pool = self.workloads if kind == "Workload" else self.jobs + self.pods + self.others
        return next((o for o in pool if o.get("kind") == kind and name_of(o) == name and
                     (not namespace or namespace_of(o) in ("", namespace))), None)

    def _full_object(self, kind: str, row: dict) -> bool:
        """The input already holds this row's object in full (not as a table row)."""
        found = self.find(kind, name_of(row), namespace_of(row)) if kind else None
        return found is not None and found.get("_source") != "table"

    def _cohort_members(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {}
        for name, cq in self.cluster_queues.items():
            cohort = cohort_of(cq)
            if cohort:
                members.setdefault(cohort, []).append(name)
        return members

    def has_kind(self, kind: str) -> bool:
        return kind in self.seen_kinds


def cohort_of(cq: dict) -> str:
    """spec.cohortName (v1beta2) or spec.cohort (v1beta1)."""
    spec = cq.get("spec") or {}
    return spec.get("cohortName") or spec.get("cohort") or ""


def cohort_parent(cohort: dict) -> str:
    spec = cohort.get("spec") or {}
    return spec.get("parentName") or spec.get("parent") or ""


def admission_check_names(cq: dict) -> list[str]:
    """Names from admissionChecksStrategy (both versions) and v1beta1 admissionChecks."""
    spec = cq.get("spec") or {}
    names = [str(n) for n in spec.get("admissionChecks") or []]
    for item in dig(spec, "admissionChecksStrategy", "admissionChecks", default=[]) or []:
        if isinstance(item, dict) and item.get("name"):
            names.append(item["name"])
    return names


def stop_policy(queue: dict) -> str:
    return str(dig(queue, "spec", "stopPolicy", default="None") or "None")


def flavor_quotas(cq: dict) -> dict[tuple[str, str], dict]:
    """{(flavor, resource): {nominal, borrowing_limit, lending_limit}} as Fractions/None."""
    out = {}
    for group in dig(cq, "spec", "resourceGroups", default=[]) or []:
        for flavor in group.get("flavors") or []:
            for res in flavor.get("resources") or []:
                out[(flavor.get("name", ""), res.get("name", ""))] = {
                    "nominal": _qty(res.get("nominalQuota")),
                    "borrowing_limit": _qty_or_none(res.get("borrowingLimit")),
                    "lending_limit": _qty_or_none(res.get("lendingLimit")),
                }
    return out


def resource_groups(cq: dict) -> list[dict]:
    """[{resources: [...], flavors: [...]}] in spec order (Kueue tries flavors in order)."""
    groups = []
    for group in dig(cq, "spec", "resourceGroups", default=[]) or []:
        groups.append({
            "resources": [str(r) for r in group.get("coveredResources") or []],
            "flavors": [f.get("name", "") for f in group.get("flavors") or []],
        })
    return groups


def cq_usage(cq: dict) -> dict[tuple[str, str], Fraction] | None:
    """Reserved quota from status.flavorsReservation (falls back to flavorsUsage)."""
    status = cq.get("status") or {}
    rows = status.get("flavorsReservation") or status.get("flavorsUsage")
    if rows is None:
        return None
    out = {}
    for flavor in rows:
        for res in flavor.get("resources") or []:
            out[(flavor.get("name", ""), res.get("name", ""))] = _qty(res.get("total"))
    return out


def workload_queue(wl: dict) -> str:
    return str(dig(wl, "spec", "queueName", default="") or "")


_TRUE_CACHE: dict[int, tuple] = {}


def is_true(obj: dict, ctype: str) -> bool:
    """Condition status True; memoized per object (checked many times on 10k Workloads)."""
    key = id(obj)
    true_types = _TRUE_CACHE.get(key)
    if true_types is None or true_types[0] is not obj:
        true_types = (obj, {t for t, c in conditions(obj).items()
                            if str(c.get("status", "")) == "True"})
        _TRUE_CACHE[key] = true_types
    return ctype in true_types[1]


def is_finished(wl: dict) -> bool:
    return is_true(wl, "Finished")


def pod_requests(spec: dict) -> dict[str, Fraction]:
    """Per-pod requests as Kueue totals them: resourcehelpers.PodRequests since v0.9 (the
    kit's requests.pod_requests: sidecars, init peak, pod-level resources, overhead; limits
    stand in for missing requests). A value the API server would reject (a paste's `...`)
    is left out instead of failing the whole diagnosis."""
    try:
        return kit_pod_requests({"spec": spec})
    except ValueError:
        return kit_pod_requests({"spec": _without_bad_quantities(spec)})


def _without_bad_quantities(spec: dict) -> dict:
    def clean(resources: dict) -> dict:
        out = {}
        for key in ("requests", "limits"):
            values = {}
            for name, value in ((resources or {}).get(key) or {}).items():
                try:
                    parse_quantity(value)
                except (ValueError, TypeError):
                    continue
                values[name] = value
            out[key] = values
        return out

    cleaned = dict(spec)
    for field in ("containers", "initContainers"):
        cleaned[field] = [{**c, "resources": clean(c.get("resources") or {})}
                          for c in spec.get(field) or []]
    cleaned["overhead"] = clean({"requests": spec.get("overhead") or {}})["requests"]
    if spec.get("resources"):
        cleaned["resources"] = clean(spec["resources"])
    return cleaned


def podset_requests(podset: dict, use_min: bool = False) -> dict[str, Fraction]:
    """Total requests of one pod set (count x per-pod), pods counted as a resource too."""
    count = podset.get("count", 1)
    if use_min and podset.get("minCount") is not None:
        count = podset["minCount"]
    per_pod = pod_requests(dig(podset, "template", "spec", default={}) or {})
    return {name: value * count for name, value in per_pod.items()}


def workload_requests(wl: dict) -> dict[str, Fraction]:
    total: dict[str, Fraction] = {}
    for podset in dig(wl, "spec", "podSets", default=[]) or []:
        for name, value in podset_requests(podset).items():
            total[name] = total.get(name, Fraction(0)) + value
    return total


def admitted_usage(wl: dict) -> list[tuple[str, str, Fraction]]:
    """[(flavor, resource, quantity)] a workload holding quota reserves."""
    out = []
    for psa in dig(wl, "status", "admission", "podSetAssignments", default=[]) or []:
        flavors = psa.get("flavors") or {}
        for res, value in (psa.get("resourceUsage") or {}).items():
            out.append((flavors.get(res, ""), res, _qty(value)))
    return out


def _qty(value) -> Fraction:
    if value is None:
        return Fraction(0)
    return _parsed(str(value)) if isinstance(value, str) else _parsed_number(value)


@lru_cache(maxsize=4096)
def _parsed(text: str) -> Fraction:
    """Quantities repeat across thousands of objects: parse each spelling once."""
    try:
        return parse_quantity(text)
    except ValueError:
        return Fraction(0)


def _parsed_number(value) -> Fraction:
    try:
        return parse_quantity(value)
    except (ValueError, TypeError):
        return Fraction(0)


def _qty_or_none(value):
    return None if value is None else _qty(value)
