"""Queue plumbing rules: is the Workload's LocalQueue -> ClusterQueue path usable at all?

Order and meaning follow getQueueBlocker in pkg/controller/core/workload_controller.go and
the ClusterQueue Active condition (pkg/cache/scheduler/clusterqueue.go inactiveReason) of
Kueue v0.19.2. Each rule returns (cause, message, evidence, fix) or None.
"""
from __future__ import annotations

from k8s_skillkit.objects import conditions, dig, name_of, namespace_of
from k8s_skillkit.selectors import SelectorError
from k8s_skillkit.selectors import selector_matches as _kit_selector_matches

from _kueue.objects import admission_check_names, resource_groups, stop_policy, workload_queue
from _kueue.presence import ABSENT, get_command, kind_known, presence

# Set by the API server on every namespace since Kubernetes 1.21 (NamespaceDefaultLabelName,
# GA in 1.22): a pasted Namespace manifest may omit it, the live object never does.
NAME_LABEL = "kubernetes.io/metadata.name"


def check_queue_path(wl: dict, cluster, reported: str = "") -> tuple | None:
    """The queue path from state. `reported` is the cause Kueue already reported: an object
    Kueue says is missing is known to be missing, even when the dump is partial."""
    ns, lq_name = namespace_of(wl), workload_queue(wl)
    if not lq_name:
        # A status-only paste says nothing about the queue name; a spec that is in the
        # input without one does: spec.queueName is `omitempty` (apis/kueue/v1beta2/
        # workload_types.go v0.19.2) and `kubectl get workloads` prints it as QUEUE.
        return _no_queue_name(ns) if queue_name_known_empty(wl) else None
    lq = cluster.local_queues.get((ns, lq_name))
    if lq is None:
        if reported == "local_queue_missing" or \
                presence(cluster, "LocalQueue", lq_name, ns) == ABSENT:
            return _local_queue_missing(ns, lq_name, cluster)
        return not_in_dump("LocalQueue", lq_name, ns, "the Workload's LocalQueue")
    problem = _local_queue_inactive(lq)
    if problem:
        return problem
    cq_name = str(dig(lq, "spec", "clusterQueue", default=""))
    cq = cluster.cluster_queues.get(cq_name)
    lq_ref = f"{ns}/{lq_name}" if ns else lq_name  # a table row without -A names no namespace
    if cq is None:
        if reported != "cluster_queue_missing" and \
                presence(cluster, "ClusterQueue", cq_name) != ABSENT:
            return not_in_dump("ClusterQueue", cq_name, "", f"LocalQueue {lq_ref}'s "
                               "ClusterQueue")
        return ("cluster_queue_missing",
                f"LocalQueue {lq_ref} points to ClusterQueue {cq_name}, which does not exist",
                [f"LocalQueue {lq_ref} spec.clusterQueue: {cq_name}",
                 f"ClusterQueues present: {_names(cluster.cluster_queues)}"],
                f"create ClusterQueue {cq_name} (see references/causes.md), or recreate the "
                "LocalQueue pointing at an existing one (spec.clusterQueue is immutable)",
                get_command("ClusterQueue", cq_name))
    return _cluster_queue_inactive(cq, cluster) or _namespace_selector(cq, ns, cluster)


def not_in_dump(kind: str, name: str, namespace: str, role: str) -> tuple:
    """An object the diagnosis needs is not in the input: say so, never call it missing."""
    command = get_command(kind, name, namespace)
    return ("not_in_dump",
            f"{role} ({kind} {name}) is not in the input, so the queue path cannot be checked; "
            "Kueue's own status was not in the input either",
            [f"{kind} {name}: not in the dump (a dump is partial; absence proves nothing)"],
            f"run `{command}` (and `kubectl describe workload`) and re-run with that output",
            command)


def queue_name_known_empty(wl: dict) -> bool:
    """The input shows the Workload's spec, and it names no LocalQueue."""
    spec = wl.get("spec")
    return isinstance(spec, dict) and not spec.get("queueName") and \
        ("queueName" in spec or bool(spec.get("podSets")))


def _no_queue_name(ns: str):
    """getQueueBlocker (pkg/controller/core/workload_controller.go v0.19.2) looks the empty
    name up like any other: `LocalQueue  doesn't exist`; releases before it left such a
    Workload without status (kueue#5048). Either way no LocalQueue ever admits it: the job's
    queue-name label did not reach it (created without one, or, in v0.3.0, cleared by the Job
    integration reconciling a child Job: kueue#697)."""
    where = f" in namespace {ns}" if ns else ""
    return ("no_queue_label",
            "the Workload names no LocalQueue (spec.queueName is empty), so no queue can "
            "admit it; Kueue reports this as `LocalQueue  doesn't exist`",
            ["workload spec.queueName: ''"],
            "label the job kueue.x-k8s.io/queue-name=<a LocalQueue" + where + "> and recreate "
            "it (the Workload keeps the name it was created with), or create a LocalQueue "
            "named `default` with the LocalQueueDefaulting feature",
            "kubectl get workloads.kueue.x-k8s.io -A -o custom-columns=NAME:.metadata.name,"
            "QUEUE:.spec.queueName")


def _local_queue_missing(ns: str, lq_name: str, cluster):
    here = sorted(name for (q_ns, name) in cluster.local_queues if q_ns == ns)
    evidence = [f"workload spec.queueName: {lq_name!r}",
                f"LocalQueues in namespace {ns}: {', '.join(here) or 'none'}"]
    fix = (f"create LocalQueue {lq_name} in namespace {ns} pointing at a ClusterQueue "
           "(references/causes.md has the YAML), or relabel the job "
           f"kueue.x-k8s.io/queue-name={here[0]}" if here else
           f"create LocalQueue {lq_name} in namespace {ns} pointing at a ClusterQueue "
           "(references/causes.md has the YAML)")
    return ("local_queue_missing",
            f"LocalQueue {lq_name!r} does not exist in namespace {ns}", evidence, fix,
            get_command("LocalQueue", lq_name, ns))


def _local_queue_inactive(lq: dict):
    policy = stop_policy(lq)
    active = conditions(lq).get("Active", {})
    if policy == "None" and str(active.get("status", "True")) != "False":
        return None
    ref = f"{namespace_of(lq)}/{name_of(lq)}"
    evidence = [f"LocalQueue {ref} spec.stopPolicy: {policy}"]
    if active:
        evidence.append(f"LocalQueue Active={active.get('status')} ({active.get('reason', '')}):"
                        f" {active.get('message', '')}")
    if policy != "None":
        return ("queue_inactive", f"LocalQueue {ref} is stopped (stopPolicy {policy})",
                evidence, f"kubectl patch localqueue -n {namespace_of(lq)} {name_of(lq)} "
                "--type merge -p '{\"spec\":{\"stopPolicy\":\"None\"}}' (dry-run first)")
    # pkg/controller/core/localqueue_controller.go: these mirror the ClusterQueue's state,
    # which the ClusterQueue check below explains with its real cause.
    if active.get("reason") in ("ClusterQueueDoesNotExist", "ClusterQueueIsInactive"):
        return None
    return ("queue_inactive", f"LocalQueue {ref} is inactive", evidence,
            "fix what the LocalQueue Active condition names, then the workload is requeued")


def _cluster_queue_inactive(cq: dict, cluster):
    name = name_of(cq)
    problems, evidence = [], []
    policy = stop_policy(cq)
    if policy != "None":
        problems.append(f"it is stopped (stopPolicy {policy})")
    missing_flavors = sorted({f for g in resource_groups(cq) for f in g["flavors"]
                              if f not in cluster.flavors})
    # Only trust absence when flavors were listed in full (a partial dump may omit them).
    # Absence is trusted when flavors were listed in full, or when Kueue's own Active
    # condition says a flavor is missing (reason FlavorNotFound).
    said = str(conditions(cq).get("Active", {}).get("reason", ""))
    if missing_flavors and ("FlavorNotFound" in said or kind_known(cluster, "ResourceFlavor")):
        problems.append(f"it references missing ResourceFlavor(s) {', '.join(missing_flavors)}")
    missing_checks = _missing_checks(cq, cluster, "CheckNotFound" in said)
    if missing_checks:
        problems.append(f"it references missing or inactive AdmissionCheck(s) "
                        f"{', '.join(missing_checks)}")
    active = conditions(cq).get("Active", {})
    if active and str(active.get("status")) == "False":
        evidence.append(f"ClusterQueue {name} Active=False ({active.get('reason', '')}): "
                        f"{active.get('message', '')}")
        if not problems:
            problems.append(f"Kueue reports it inactive ({active.get('reason', '')})")
    if not problems:
        return None
    evidence.insert(0, f"ClusterQueue {name} spec.stopPolicy: {policy}")
    return ("queue_inactive", f"ClusterQueue {name} is inactive: {'; '.join(problems)}",
            evidence, _inactive_fix(name, policy, missing_flavors, missing_checks))


def _missing_checks(cq: dict, cluster, reported: bool = False) -> list[str]:
    out = []
    for check in admission_check_names(cq):
        obj = cluster.admission_checks.get(check)
        if obj is None:
            if reported or kind_known(cluster, "AdmissionCheck"):
                out.append(check)
        elif str(conditions(obj).get("Active", {}).get("status", "True")) == "False":
            out.append(f"{check} (inactive)")
    return out


def _inactive_fix(name, policy, missing_flavors, missing_checks) -> str:
    steps = []
    if policy != "None":
        steps.append(f"kubectl patch clusterqueue {name} --type merge -p "
                     "'{\"spec\":{\"stopPolicy\":\"None\"}}' (dry-run first)")
    if missing_flavors:
        steps.append(f"create ResourceFlavor {', '.join(missing_flavors)} "
                     "or fix the flavor name in the ClusterQueue")
    if missing_checks:
        steps.append("create/repair the AdmissionCheck(s) or remove them from the "
                     "ClusterQueue (spec.admissionChecksStrategy; v1beta1 also "
                     "spec.admissionChecks)")
    return "; ".join(steps) or "fix what the ClusterQueue Active condition names"


def _namespace_selector(cq: dict, ns: str, cluster):
    """nil selects NO namespace in both v1beta1 and v1beta2 (apis/kueue/v1beta*/
    clusterqueue_types.go: "Defaults to null which is a nothing selector"; apimachinery
    LabelSelectorAsSelector(nil) == labels.Nothing()); {} selects all."""
    if cq.get("_source") == "table":
        return None  # a `kubectl get clusterqueue` row shows no spec: the selector is unknown
    spec = cq.get("spec") or {}
    name = name_of(cq)
    selector = spec.get("namespaceSelector")
    if "namespaceSelector" not in spec or selector is None:
        return ("namespace_not_selected",
                f"ClusterQueue {name} has no namespaceSelector, which selects NO namespace "
                f"(so not {ns})",
                [f"ClusterQueue {name} spec.namespaceSelector: <unset> (nil = nothing selected; "
                 "{} = all namespaces)"],
                f"kubectl patch clusterqueue {name} --type merge -p "
                "'{\"spec\":{\"namespaceSelector\":{}}}' (or a selector matching "
                f"{ns}'s labels; dry-run first)")
    ns_obj = cluster.namespaces.get(ns)
    if ns_obj is None:
        return None  # cannot evaluate without the namespace's labels
    labels = {NAME_LABEL: ns, **(dig(ns_obj, "metadata", "labels", default={}) or {})}
    if selector_matches(selector, labels):
        return None
    return ("namespace_not_selected",
            f"namespace {ns} does not match ClusterQueue {name}'s namespaceSelector",
            [f"ClusterQueue {name} spec.namespaceSelector: {selector}",
             f"namespace {ns} labels: {labels or '{}'}"],
            f"label the namespace to match (kubectl label namespace {ns} "
            f"{_wanted_labels(selector)}) or widen "
            f"ClusterQueue {name}'s namespaceSelector")


def _wanted_labels(selector: dict) -> str:
    pairs = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    return " ".join(pairs) or "KEY=VALUE"


def selector_matches(selector: dict, labels: dict) -> bool:
    """metav1.LabelSelector semantics (the kit's); a selector the apiserver would reject
    selects nothing."""
    try:
        return _kit_selector_matches(selector, labels)
    except SelectorError:
        return False

def _names(mapping: dict, limit: int = 5) -> str:
    names = sorted(mapping)
    more = f" (+{len(names) - limit} more)" if len(names) > limit else ""
    return (", ".join(names[:limit]) or "none") + more
