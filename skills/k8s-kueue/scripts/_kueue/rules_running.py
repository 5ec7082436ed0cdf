"""Rules for the later stages: admission checks, waitForPodsReady, DRA, and pods that
never started after admission.

Sources (Kueue v0.19.2): workload status.admissionChecks[] {name, state, message}
(apis/kueue/v1beta2/workload_types.go, CheckState Pending|Ready|Retry|Rejected);
pkg/scheduler/scheduler.go waitForPodsReadyIfNeeded; pkg/dra/claims.go and
pkg/controller/core/workload_controller.go (DRA messages); PodsReady condition.
"""
from __future__ import annotations

import re

from k8s_skillkit.objects import conditions, dig, name_of, namespace_of

from _kueue.flavors import node_matches
from _kueue.objects import is_true
from _kueue.presence import kind_known


def check_admission_checks(wl: dict, cluster) -> tuple | None:
    """Quota is reserved but Admitted waits for AdmissionChecks."""
    pending = [c for c in dig(wl, "status", "admissionChecks", default=[]) or []
               if str(c.get("state", "Pending")) != "Ready"]
    if not pending:
        return None
    evidence = []
    for check in pending[:4]:
        line = f"AdmissionCheck {check.get('name')}: state {check.get('state', 'Pending')}"
        if check.get("message"):
            line += f', message "{check["message"]}"'
        obj = cluster.admission_checks.get(check.get("name", ""))
        if obj is not None:
            active = conditions(obj).get("Active", {})
            line += f"; controller {dig(obj, 'spec', 'controllerName', default='?')}, " \
                    f"Active={active.get('status', '?')}"
        evidence.append(line)
    names = ", ".join(str(c.get("name")) for c in pending)
    rejected = any(c.get("state") == "Rejected" for c in pending)
    verb = "was rejected by" if rejected else "waits for"
    return ("admission_check_pending",
            f"quota is reserved but admission {verb} AdmissionCheck(s) {names}",
            evidence,
            "look at the check's controller (e.g. ProvisioningRequest status for "
            "check.kueue.x-k8s.io/provisioning-request); a Rejected check deactivates the "
            "workload, fix its cause and resubmit")


def check_pods_ready_block(wl: dict, cluster) -> tuple | None:
    """waitForPodsReady.blockAdmission holds everyone while an admitted workload starts."""
    cond = conditions(wl).get("QuotaReserved", {})
    message = str(cond.get("message", ""))
    if cond.get("reason") not in ("Waiting", "WaitingForPodsReady") and \
            "waiting for all admitted workloads" not in message:
        return None
    blockers = _not_ready(cluster)
    shown = ", ".join(f"{namespace_of(w)}/{name_of(w)}" for w in blockers[:3]) or "unknown"
    return ("waiting_pods_ready",
            "admission is blocked until every admitted workload reaches PodsReady "
            f"(waitForPodsReady.blockAdmission); not ready yet: {shown}",
            [f"{len(blockers)} admitted workload(s) without PodsReady=True: {shown}"],
            "get the blocking workloads' pods running (see their admitted_not_started "
            "finding) or wait for waitForPodsReady.timeout to evict them; set "
            "blockAdmission: false in the Kueue config if sequential admission is not wanted")


def _not_ready(cluster) -> list[dict]:
    """Admitted Workloads without PodsReady, computed once per input (10k workloads)."""
    cached = getattr(cluster, "_not_ready", None)
    if cached is None:
        cached = [w for w in cluster.workloads if is_true(w, "Admitted")
                  and not is_true(w, "PodsReady") and not is_true(w, "Finished")]
        cluster._not_ready = cached
    return cached


# Claim features Kueue's DRA accounting refuses, and the v0.18+ device shortage it reports
# (pkg/dra/claims.go, counters.go, capacity.go at v0.19.2).
_DRA_REFUSED = re.compile(r"(?:AllocationMode 'All'|FirstAvailable device selection|AdminAccess"
                          r"|CEL selectors|device constraints \(MatchAttribute\)|device config)"
                          r" (?:is|are) not supported|unsupported allocation mode: \S+", re.I)
_DRA_SHORT = re.compile(r"insufficient matching devices for [^:]+: \d+ device\(s\) match"
                        r"[^,;]*? but \d+ requested", re.I)


# pkg/dra/counters.go v0.19.2 l.220-223
_DRA_NO_COUNTER = re.compile(r'matched devices have no consumesCounters entry for counter '
                             r'"?[^"\s]*"?')


def check_dra(wl: dict, cluster, message: str = "") -> tuple | None:
    """DRA problems are reported only by Kueue's message (the Kueue Configuration is not an
    API object); the ResourceClaimTemplates add the classes the pods ask for."""
    classes = _device_classes(wl, cluster)
    unmapped = sorted(set(re.findall(r"DeviceClass (\S+) is not mapped", message)))
    if unmapped:
        summary = (f"DeviceClass {', '.join(unmapped)} is not listed in the Kueue "
                   "Configuration's resources.deviceClassMappings, so Kueue cannot count it "
                   "against quota")
    else:
        summary = ("the pod template requests devices through DRA in a form Kueue cannot "
                   "account (unmapped DeviceClass, resourceClaimName, or allocationMode All)")
    classes = sorted(set(classes) | set(unmapped))
    short = _DRA_SHORT.search(message)
    if short and not unmapped:
        return ("dra_class_unmapped", f"Kueue counts too few devices for the claim: "
                f"{short.group(0)} (pkg/dra v0.18+)",
                [f"DeviceClass(es) requested: {', '.join(classes) or 'unknown'}"],
                "Kueue waits until the driver publishes enough matching devices (kubectl get "
                "resourceslices): check the DRA driver runs on the nodes, or request fewer "
                "devices")
    uncounted = _DRA_NO_COUNTER.search(message)
    if uncounted and not unmapped:
        return ("dra_class_unmapped", "Kueue charges this DeviceClass by a counter "
                f"(deviceClassMappings sources[].counter) and {uncounted.group(0)} "
                "(pkg/dra/counters.go v0.19)",
                [f"DeviceClass(es) requested: {', '.join(classes) or 'unknown'}"],
                "set sources[].counter.name to a counter the devices consume (their "
                "spec.devices[].consumesCounters[].counters in kubectl get resourceslices -o "
                "yaml), or narrow its deviceSelector / the request to the partitions that "
                "consume it; restart Kueue after changing its Configuration")
    refused = _DRA_REFUSED.search(message)
    if refused and not unmapped:
        return ("dra_class_unmapped", f"Kueue's DRA integration refuses the claim: "
                f"{refused.group(0)} (pkg/dra/claims.go v0.15+)",
                [f"DeviceClass(es) requested: {', '.join(classes) or 'unknown'}"],
                "remove that feature from the ResourceClaimTemplate of the job's pods (Kueue "
                "counts only ExactCount requests of a mapped DeviceClass), or run the job in "
                "a namespace Kueue does not manage")
    return ("dra_class_unmapped", summary,
            [f"DeviceClass(es) requested: {', '.join(classes) or 'unknown'}"],
            "add a deviceClassMappings entry {name: RESOURCE, deviceClassNames: ["
            f"{', '.join(classes) or 'CLASS'}]}} to the Kueue Configuration, restart Kueue, and "
            "cover that resource name in the ClusterQueue; use resourceClaimTemplateName, "
            "not resourceClaimName, and allocationMode ExactCount")


def _device_classes(wl: dict, cluster) -> list[str]:
    out = set()
    for ps in dig(wl, "spec", "podSets", default=[]) or []:
        for claim in dig(ps, "template", "spec", "resourceClaims", default=[]) or []:
            tpl = cluster.claim_templates.get((namespace_of(wl),
                                               claim.get("resourceClaimTemplateName", "")))
            for req in dig(tpl or {}, "spec", "spec", "devices", "requests", default=[]) or []:
                cls = dig(req, "exactly", "deviceClassName") or req.get("deviceClassName")
                if cls:
                    out.add(cls)
    return sorted(out)


# Kueue's own gates (pkg/controller/jobs/pod/constants: kueue.x-k8s.io/admission; TAS
# kueue.x-k8s.io/topology; elastic jobs kueue.x-k8s.io/elastic-job, v0.19).
KUEUE_GATE_PREFIX = "kueue.x-k8s.io/"
FOREIGN_GATE_FIX = ("the controller (or person) that added the gate must remove it: Kueue's "
                    "Admitted means quota is reserved, not that the pod may schedule "
                    "(kubernetes-sigs/kueue#9482); kubectl patch the pod to drop the gate only "
                    "if nothing owns it")


def foreign_gates(pod: dict) -> list[str]:
    """Scheduling gates on a pod that are not Kueue's."""
    return sorted(str(g.get("name", "")) for g in dig(pod, "spec", "schedulingGates",
                                                     default=[]) or []
                  if not str(g.get("name", "")).startswith(KUEUE_GATE_PREFIX))


def check_started(wl: dict, cluster, pods: list[dict], job: dict | None = None) -> tuple | None:
    """Admitted: is the job unsuspended, are the pods there and scheduled? Silence once
    PodsReady is True. (cause, message, evidence, fix, basis)"""
    if is_true(wl, "PodsReady") or is_true(wl, "Finished"):
        return None
    if job is not None and dig(job, "spec", "suspend") is True:
        kind = job.get("kind", "job")
        return ("admitted_not_started",
                f"admitted by Kueue, but the {kind} is still suspended (spec.suspend: true): "
                "Kueue's unsuspend did not stick, so no pods are created",
                [f"{kind} {namespace_of(job)}/{name_of(job)} spec.suspend: true",
                 f"admitted to ClusterQueue {dig(wl, 'status', 'admission', 'clusterQueue')}"]
                + _refusals(cluster, job),
                f"read the {kind} controller's and Kueue's logs for a rejected update (a "
                "validating webhook or an outdated job controller often denies it; upgrade "
                "it), and the job's events",
                "reported")
    if not pods:
        if not kind_known(cluster, "Pod", namespace_of(wl)):
            return None  # pods not in the input: nothing to say about them
        return ("admitted_not_started",
                "admitted by Kueue, but no pods exist: the job controller has not created them",
                [f"admitted to ClusterQueue {dig(wl, 'status', 'admission', 'clusterQueue')}"],
                "kubectl describe the job (events: webhook denials, ResourceQuota, "
                "missing ServiceAccount); check the job is unsuspended (spec.suspend false)",
                "inferred")
    stuck = [p for p in pods if dig(p, "status", "phase") == "Pending"]
    if not stuck:
        return None
    return _stuck_pods(wl, cluster, pods, stuck)


def _refusals(cluster, job: dict) -> list[str]:
    """Pasted log lines where the apiserver refused an update of this job (the unsuspend):
    `<Kind>.<group> "<name>" is invalid: ...`."""
    name = name_of(job)
    out = []
    for line in getattr(cluster, "texts", []):
        text = " ".join(line.replace('\\"', '"').split())
        at = text.find(f'"{name}" is invalid')
        if name and at >= 0:
            start = max(text.rfind('"error"', 0, at), 0)
            out.append("refused by the apiserver: " + text[start:at + 240].split('","')[0])
    return out[:2]


def _stuck_pods(wl, cluster, pods, stuck):
    evidence, gates = [], set()
    for pod in stuck[:2]:
        sched = conditions(pod).get("PodScheduled", {})
        for gate in dig(pod, "spec", "schedulingGates", default=[]) or []:
            gates.add(gate.get("name", ""))
        if sched.get("message"):
            evidence.append(f"pod {name_of(pod)} PodScheduled={sched.get('status')} "
                            f"({sched.get('reason', '')}): \"{sched['message']}\"")
    evidence.extend(_flavor_nodes(wl, cluster))
    summary = f"admitted, but {len(stuck)} of {len(pods)} pod(s) are Pending"
    empty = [line.split()[1] for line in evidence if line.endswith(" match 0 node(s)")]
    if empty:
        summary += f": flavor {', '.join(empty)} has quota but its nodeLabels match no node"
    foreign = sorted(g for g in gates if not g.startswith(KUEUE_GATE_PREFIX))
    if foreign:
        summary += (f", held by scheduling gate(s) {', '.join(foreign)} that Kueue does not own:"
                    " Kueue removes only its own gates at admission")
        return ("admitted_not_started", summary, evidence, FOREIGN_GATE_FIX, "inferred")
    if gates:
        summary += f" with scheduling gates {', '.join(sorted(gates))}"
    return ("admitted_not_started", summary, evidence,
            "quota is not capacity: make sure nodes with the flavor's nodeLabels and enough "
            "allocatable resources exist (or fix the flavor's nodeLabels); if gated by "
            "kueue.x-k8s.io/topology, check the Topology and node labels",
            "reported" if any("PodScheduled=" in line for line in evidence) else "inferred")


def _flavor_nodes(wl, cluster) -> list[str]:
    """How many nodes carry each assigned flavor's labels: quota without nodes is a trap."""
    if not cluster.nodes and not kind_known(cluster, "Node"):
        return []
    lines = []
    for psa in dig(wl, "status", "admission", "podSetAssignments", default=[]) or []:
        for flavor_name in sorted(set((psa.get("flavors") or {}).values())):
            flavor = cluster.flavors.get(flavor_name)
            if flavor is None:
                continue
            count = sum(1 for n in cluster.nodes if node_matches(n, flavor))
            labels = dig(flavor, "spec", "nodeLabels", default={}) or {}
            lines.append(f"flavor {flavor_name} nodeLabels {labels or '{}'} match {count} node(s)")
    return lines
