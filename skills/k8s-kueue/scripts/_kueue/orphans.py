"""Kueue's words that are not attached to a Workload of the input.

A paste often lacks the Workload itself but carries what Kueue said about it: events about
a Workload (or its job) that is not in the input, a controller log line, a pod condition
Kueue set when it stopped the pod (TerminationTarget StoppedByKueue), a queue whose Active
condition is False. Each is reported evidence and gets its own finding.
"""
from __future__ import annotations

import json
import re
from typing import Any

from k8s_skillkit.findings import finding, object_ref
from k8s_skillkit.objects import conditions, dig, name_of, namespace_of

from _kueue.multikueue import (disconnected_clusters, other_workers_usable,
                               queue_check_evidence)
from _kueue.diagnose import severity_of
from _kueue.explain import (EXEC_CREDENTIALS, EXEC_LEAD, FIXES, RUNTIME_PATCH, RUNTIME_PATCH_LEAD,
                           UPDATE_LEAD, UPDATE_REFUSED, fix_for, message_notes, signature)
from _kueue.messages import clauses, message_span, normalize, rank
from _kueue import prose, reclaimable_denied
from _kueue.jobs import queue_name_of
from _kueue.presence import get_command, kind_known
from _kueue.rules_running import FOREIGN_GATE_FIX, foreign_gates
from _kueue.reported import Verdict, event_line, verdict

_JSON_FIELD = r'"{}"\s*:\s*"((?:[^"\\]|\\.)*)"'
# The same field in a record whose inner quotes lost their backslashes (a log pasted through a
# tool that unescaped it): the value runs to the quote before the next `"key":` or the `}`.
_LOOSE_FIELD = r'"{}"\s*:\s*"(.*?)"\s*(?=,\s*"[\w.]+"\s*:|\}})'
# couldn''t: YAML's single-quoted style (kubectl -o yaml) doubles the apostrophe
# messages that go on over lines (a terminal's wrap, or a webhook's reason kubectl printed
# after "denied the request:"): read with the rest of their paragraph
_PODSET_START = re.compile(r"(?:couldn(?:''|')?t|failed to) assign flavors to pod set"
                           r"|admission webhook \S+ denied the request:?\s*$", re.I | re.M)
_WORKLOAD_REF = re.compile(r'"(?:workload|object)"\s*:\s*\{[^}]*?"name"\s*:\s*"([^"]*)"'
                           r'(?:[^}]*?"namespace"\s*:\s*"([^"]*)")?')
# The job a jobframework log record is about: "job":"<ns>/<name>", "gvk":"batch/v1, Kind=Job"
# (pkg/controller/jobframework/reconciler.go, logger values since v0.3).
_JOB_REF = re.compile(r'"job"\s*:\s*"(?P<ns>[^"/\s]+)/(?P<name>[^"/\s]+)"')
_GVK_KIND = re.compile(r'"gvk"\s*:\s*"[^"]*Kind=(\w+)"')
# controller-runtime's "Reconciler error" record: "controller":"v1_pod",...,"namespace","name"
# (controller-runtime v0.15+ puts the object under its kind's key before them,
# `"Job":{"name":...,"namespace":...}`, and names the kind in "controllerKind":
# pkg/builder/controller.go:440-449@v0.24.1; kueue#1215 quotes it from v0.15.0)
_CTRL_REF = re.compile(r'"controller"\s*:\s*"(?P<ctrl>[^"]+)"(?:[^{}]|\{[^{}]*\})*?"namespace"'
                       r'\s*:\s*"(?P<ns>[^"]+)"\s*,\s*"name"\s*:\s*"(?P<name>[^"]+)"')
_CTRL_KIND = re.compile(r'"controllerKind"\s*:\s*"(\w+)"')
# Kueue's job reconcilers by controller name (pkg/controller/jobs/*: the pod integration
# registers "v1_pod", batch Jobs "job", JobSets "jobset", ...).
_JOB_CONTROLLERS = {"v1_pod": "Pod", "job": "Job", "jobset": "JobSet", "rayjob": "RayJob",
                    "raycluster": "RayCluster", "pytorchjob": "PyTorchJob", "mpijob": "MPIJob",
                    "trainjob": "TrainJob", "leaderworkerset": "LeaderWorkerSet",
                    "statefulset": "StatefulSet", "deployment": "Deployment"}
# Pod conditions Kueue sets when it stops pods (pkg/controller/jobs/pod, failure recovery).
_KUEUE_POD_REASONS = ("StoppedByKueue", "PreemptedByKueue", "EvictedByKueue")


def orphan_findings(cluster, covered: set[tuple[str, str]], explained: bool = True) -> list[dict]:
    """Findings from Kueue reports about Workloads not in the input. `covered` holds the
    (namespace, name) of Workloads already explained (and of their jobs); `explained` is
    False when none of them gave a finding, so Kueue's words in free text still count."""
    out = _event_groups(cluster, covered)
    out += _child_job_reports(cluster, covered)
    out += _pod_reports(cluster, covered)
    out += _gated_pods(cluster, covered)
    out += _queue_reports(cluster) + _worker_reports(cluster)
    if not out and not (covered and explained):
        out += text_reports(cluster)
    return out


def _event_groups(cluster, covered) -> list[dict]:
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for event in cluster.events:
        ref = event.get("involvedObject") or event.get("regarding") or {}
        ns = ref.get("namespace") or dig(event, "metadata", "namespace", default="")
        key = (ref.get("kind", ""), ns, ref.get("name", ""))
        if (ns, key[2]) in covered and key[2]:
            continue
        if key[0] == "Workload" and any(name_of(w) == key[2] for w in cluster.workloads):
            continue
        groups.setdefault(key, []).append(event)
    out = []
    for (kind, ns, name), events in groups.items():
        said = verdict({"kind": "Workload", "metadata": {"name": name}}, events)
        if said is None:
            said = _loop_from_events(events)
        if said is not None:
            out.append(_finding(said, {"kind": kind or "Workload", "namespace": ns,
                                       "name": name}))
    return out


def _worker_reports(cluster) -> list[dict]:
    """MultiKueue workers Kueue reports not connected (MultiKueueCluster Active=False: the
    multikueuecluster controller's updateStatus, reasons BadConfig / ClientConnectionFailed
    in v0.6-v0.14, BadKubeConfig ... ClientConnectionFailed since v0.15,
    pkg/controller/admissionchecks/multikueue/multikueuecluster.go:398-403@v0.6.3,
    :900-923@v0.19.2). The cause, whether or not a Workload is in the input: a Workload the
    MultiKueue check would dispatch there only shows the symptom (its check stays Pending).
    An error when no other worker is shown usable; a warning beside one that is."""
    severity = "warning" if other_workers_usable(cluster.others, cluster.admission_checks) \
        else "error"
    out = []
    for worker, line in disconnected_clusters(cluster.others):
        said = Verdict("multikueue_cluster_disconnected", "MultiKueueCluster not connected",
                       line)
        found = _finding(said, worker)
        found["severity"] = severity
        out.append(found)
    return out


def fold_workers(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A ClusterQueue Kueue stopped because its MultiKueue check has no usable worker
    (Active=False AdmissionCheckInactive; the check's NoUsableClusters names the cluster,
    admissioncheck.go:91-104@v0.19.2) stops every workload of that queue and carries the
    disconnected cluster, with Kueue's reason, as its evidence: the cluster's own finding is
    folded into it (kueue#3582). Without that chain in the input the cluster stays first."""
    carried = " ".join(e for f in findings if f["cause"] == "queue_inactive"
                       for e in f["evidence"])
    return [f for f in findings if f["cause"] != "multikueue_cluster_disconnected"
            or f"MultiKueueCluster {f['object']['name']}: " not in carried]


def _queue_reports(cluster) -> list[dict]:
    """ClusterQueues and LocalQueues whose Active condition Kueue set to False, when the
    input holds no Workload that would carry the finding."""
    if cluster.workloads:
        return []
    out = []
    for queue in list(cluster.cluster_queues.values()) + list(cluster.local_queues.values()):
        active = conditions(queue).get("Active", {})
        if str(active.get("status")) != "False":
            continue
        reason = str(active.get("reason", ""))
        cause = "cluster_queue_missing" if reason == "ClusterQueueDoesNotExist" else \
            "queue_inactive"
        said = Verdict(cause, f"{queue.get('kind')} Active=False ({reason})",
                       normalize(active.get("message", "")))
        found = _finding(said, queue)
        # a MultiKueue check it names as inactive: its workers and why (the check's Active)
        found["evidence"] += queue_check_evidence(queue, cluster.admission_checks,
                                                  cluster.others)
        out.append(found)
    return out


def _loop_from_events(events: list[dict]):
    """Admitted again and again without a preemption event: each admission ended in an
    eviction, and the only eviction Kueue leaves no Workload event for (before v0.7) is the
    PodsReady timeout (issue kubernetes-sigs/kueue#2012)."""
    admitted = sum(int(e.get("count") or 1) for e in events
                   if str(e.get("reason")) in ("Admitted", "QuotaReserved"))
    preempted = any("Preempt" in str(e.get("reason")) for e in events)
    if admitted < 3 or preempted:
        return None
    return Verdict("pods_ready_timeout", f"events: admitted {admitted} times",
                   "the Workload was admitted repeatedly, so each admission ended in an "
                   "eviction and a requeue (waitForPodsReady timeout)",
                   evidence=[event_line(e) for e in events[:3]], basis="inferred")


_CHILD_SUSPENDED = "Kueue managed child job suspended"


def _child_job_reports(cluster, covered) -> list[dict]:
    """Event "Kueue managed child job suspended" (pkg/controller/jobframework/reconciler.go,
    v0.4-v0.19): Kueue suspends a child job (a JobSet's Job, ...) while its parent's
    Workload is not found or not admitted. A Workload of the input in that namespace speaks
    for the parent; otherwise the parent has no Workload, proven when the input lists none."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for event in cluster.events:
        if _CHILD_SUSPENDED in str(event.get("message") or event.get("note") or ""):
            ref = event.get("involvedObject") or event.get("regarding") or {}
            groups.setdefault((ref.get("namespace", ""), ref.get("name", "")), []).append(event)
    out = []
    for (ns, name), events in groups.items():
        jobs = [j for j in cluster.jobs if name_of(j) == name] if name else \
            [j for j in cluster.jobs if dig(j, "spec", "suspend", default=False)]
        ns = ns or next((namespace_of(j) for j in jobs if namespace_of(j)), "")
        if (ns, name) in covered or any(namespace_of(w) == ns for w in cluster.workloads):
            continue
        job = jobs[0] if jobs else {"kind": "Job", "metadata": {"namespace": ns, "name": name}}
        proven = kind_known(cluster, "Workload", ns or "default")
        evidence = [f'Kueue event {events[0].get("reason", "Suspended")}: "{_CHILD_SUSPENDED}"'
                    + (f" ({events[0]['count']}x)" if str(events[0].get("count", "1")) != "1"
                       else "")]
        evidence += [f"Job {namespace_of(j)}/{name_of(j)}: suspended" for j in jobs[:3]
                     if dig(j, "spec", "suspend", default=False)]
        if proven:
            evidence.append(f"no Workload in namespace {ns or 'default'}: the input lists "
                            "Workloads there (read live, or `kubectl get workloads` printed "
                            "No resources found)")
        message = ("Kueue keeps this child job suspended because its parent job has no "
                   "admitted Workload" + ("; no Workload exists at all, so Kueue never took "
                                          "the parent in" if proven else
                                          " (the parent's Workload is not in the input)"))
        out.append(finding(
            "error", "workload_missing", job, message, evidence,
            "if the parent (JobSet, ...) should run under Kueue, give it the "
            "kueue.x-k8s.io/queue-name label; if Kueue must leave it alone (namespace excluded "
            "by managedJobsNamespaceSelector with manageJobsWithoutQueueName), Kueue before "
            "v0.13.10/v0.14.5 still suspended its child jobs (kueue#7649): upgrade, or enable "
            "the ManagedJobsNamespaceSelectorAlwaysRespected feature gate",
            basis="reported" if proven else "inferred",
            confirm="" if proven else get_command("Workload", "", ns)))
    return out


def _pod_reports(cluster, covered) -> list[dict]:
    out, seen = [], set()
    for pod in cluster.pods:
        for ctype, cond in conditions(pod).items():
            if str(cond.get("reason", "")) not in _KUEUE_POD_REASONS:
                continue
            found = rank(clauses(cond.get("message", "")))
            group = dig(pod, "metadata", "labels", "kueue.x-k8s.io/pod-group-name") or \
                name_of(pod)
            if not found or (namespace_of(pod), group) in seen | covered:
                continue
            seen.add((namespace_of(pod), group))
            said = Verdict(found[0].cause, f"pod {ctype}=True ({cond.get('reason')})",
                           normalize(cond.get("message", "")), found)
            sched = conditions(pod).get("PodScheduled", {})
            if sched.get("message"):
                said.evidence.append(f"pod PodScheduled={sched.get('status')} "
                                     f"({sched.get('reason', '')}): "
                                     f"\"{normalize(sched['message'])}\"")
            out.append(_finding(said, pod))
    return out


def _gated_pods(cluster, covered) -> list[dict]:
    """A Kueue-managed pod (queue label) held by a scheduling gate that is not Kueue's: Kueue
    admits it and removes only its own gate (kueue#9482). Reported when Kueue's Admitted
    event is in the input, inferred from the pod spec otherwise."""
    admitted = [e for e in cluster.events if e.get("reason") == "Admitted"]
    out = []
    for pod in cluster.pods:
        gates = foreign_gates(pod)
        if not gates or not queue_name_of(pod):
            continue
        shown = _named(pod, cluster.pods)
        if (namespace_of(shown), name_of(shown)) in covered and name_of(shown):
            continue
        evidence = [f"pod spec.schedulingGates: {', '.join(gates)} (Kueue's own gates are "
                    "kueue.x-k8s.io/*)"]
        if shown is not pod:
            evidence.append(f"pod {name_of(shown)}: {dig(shown, 'status', 'reason', default='')}"
                            " (kubectl get pods)")
        evidence += [f"Kueue event Admitted: \"{normalize(e.get('message', ''))}\""
                     for e in admitted[:1]]
        out.append(finding(
            "warning", "admitted_not_started", shown,
            f"the pod waits on scheduling gate(s) {', '.join(gates)} that Kueue does not own"
            + ("; Kueue has admitted it (quota reserved) and removed only its own gate"
               if admitted else "; Kueue removes only its own gate when it admits the pod"),
            evidence, FOREIGN_GATE_FIX, basis="reported" if admitted else "inferred",
            confirm="" if admitted else get_command("Pod", name_of(shown), namespace_of(shown))))
    return out[:3]


def _named(pod: dict, pods: list[dict]) -> dict:
    """A manifest with generateName stands for the pod whose name starts with it."""
    prefix = dig(pod, "metadata", "generateName", default="")
    if name_of(pod) or not prefix:
        return pod
    return next((p for p in pods if p is not pod and name_of(p).startswith(prefix)
                 and namespace_of(p) in ("", namespace_of(pod))), pod)


# controller-runtime's reconciler logger names the object under its kind's key
# (`log.WithValues(gvk.Kind, klog.KRef(ns, name))`, pkg/builder/controller.go:449@v0.24.1):
# "MultiKueueCluster":{"name":"<worker>"} in Kueue's JSON log.
_CLUSTER_REF = re.compile(r'"MultiKueueCluster"\s*:\s*\{\s*"name"\s*:\s*"([^"]+)"')


# kubectl's refused apply of a changed object (k8s.io/kubectl pkg/cmd/apply/patcher.go, the
# "error when applying patch:\n%s\nto:\n%v\nfor: %q: %w" wrapper; the object printed by
# resource.Info.String()): `Resource: "<gvr>", GroupVersionKind: "<gv>, Kind=<Kind>"` then
# `Name: "<name>", Namespace: "<ns>"`
_REFUSED_OBJECT = re.compile(r'GroupVersionKind:\s*"[^"\n]*Kind=(?P<kind>\w+)"\s*\n\s*Name:\s*'
                             r'"(?P<name>[^"\n]*)",\s*Namespace:\s*"(?P<ns>[^"\n]*)"')


# the kinds of the webhooks messages.py reads as refusing an object of their own kind
# (config/components/webhook/manifests.yaml v0.6.3..v0.19.2)
_HOOK_KINDS = {"clusterqueue": "ClusterQueue", "cohort": "Cohort", "localqueue": "LocalQueue",
               "resourceflavor": "ResourceFlavor", "workload": "Workload",
               "admissioncheck": "AdmissionCheck", "statefulset": "StatefulSet",
               "deployment": "Deployment"}
_REFUSING_HOOK = re.compile(r'webhook \\?"?[mv](' + "|".join(_HOOK_KINDS) +
                            r')\.kb\.io\\?"? denied', re.I)
# kubectl edit (kubectl pkg/cmd/util/editor/editoptions.go:858@dee3483)
_EDIT_REFUSED = re.compile(r'\b[a-z]+(?:\.[\w.-]+)? \\?"([^"\\\n]+)\\?" could not be patched')


def _connection_error(text: str) -> list[str]:
    """The error a MultiKueueCluster log record carries (what Active's message will say)."""
    error = re.search(_JSON_FIELD.format("error"), text)
    return ["error: " + " ".join(_unquote(error.group(1)).replace('\\"', '"').split())[:240]] \
        if error else []


def text_reports(cluster) -> list[dict]:
    """Log lines and quoted messages in the paste, when nothing else carried Kueue's words."""
    text = "\n".join(cluster.texts)
    events = []
    for line in messages_in(text):
        events.append({"kind": "Event", "reason": "", "message": line, "type": "",
                       "source": {"component": "log"}})
    if not events:
        return []
    ref = _WORKLOAD_REF.search(text)
    name, ns = (ref.group(1), ref.group(2) or "") if ref else ("", "")
    said = verdict({"kind": "Workload", "metadata": {"name": name}}, events)
    if said is None:
        return []
    kind, extra = "Workload", []
    job = _JOB_REF.search(text)
    ctrl = _CTRL_REF.search(text)
    # (the TrainJob runtime patch defect is logged under "Unsuspending job": about the job too)
    about_job = said.cause in _ABOUT_THE_JOB or bool(RUNTIME_PATCH.search(said.message))
    if about_job and (job or ctrl and ctrl.group("ctrl") in _JOB_CONTROLLERS):
        gvk = _GVK_KIND.search(text) or _CTRL_KIND.search(text)
        kind = gvk.group(1) if gvk else _JOB_CONTROLLERS.get(ctrl.group("ctrl") if ctrl else "",
                                                            "Job")
        ns, name = (job.group("ns"), job.group("name")) if job else \
            (ctrl.group("ns"), ctrl.group("name"))
        error = re.search(_JSON_FIELD.format("error"), text)
        if error and not clauses(_unquote(error.group(1))):
            extra.append("error: " + " ".join(
                _unquote(error.group(1)).replace('\\"', '"').split())[:240])
    elif said.cause == "admission_webhook_denied" and _REFUSED_OBJECT.search(text):
        # kubectl's print of a refused apply names the object it patched
        refused = _REFUSED_OBJECT.search(text)
        kind, name, ns = refused.group("kind"), refused.group("name"), refused.group("ns")
    elif said.cause == "admission_webhook_denied" and _REFUSING_HOOK.search(said.message):
        # a webhook of one kind refused that kind: Kueue's own kinds, StatefulSet, Deployment;
        # kubectl edit's `<resource> "<name>" could not be patched` names the object
        kind = _HOOK_KINDS[_REFUSING_HOOK.search(said.message).group(1).lower()]
        patched = _EDIT_REFUSED.search(text)
        name, ns = (patched.group(1), "") if patched else ("", "")
    elif said.cause == "multikueue_cluster_disconnected":
        kind, extra = "MultiKueueCluster", _connection_error(text)
        cluster_ref = _CLUSTER_REF.search(text)
        ns, name = "", cluster_ref.group(1) if cluster_ref else ""
    elif said.cause == "workload_missing" and _SETUP_FAILED.search(said.message):
        error = re.search(_JSON_FIELD.format("error"), text)  # what stopped Kueue's start
        if error:
            extra.append("error: " + " ".join(_unquote(error.group(1)).split())[:300])
    reason = said.said.replace("event", "").replace("log line", "").strip()
    said.said = "in a log line or quoted text" + (f" ({reason})" if reason else "")
    # other Kueue lines of the text, once each, without pieces of the quoted message (a
    # condition message wrapped over YAML lines yields fragments)
    others = []
    for event in events:
        text = event["message"]
        if text in said.message or any(text in o or o in text for o in others):
            continue
        others.append(text)
    said.evidence = extra + [f"also in the text: {o}" for o in others[:3]]
    hook = _QUEUE_HOOK.search("\n".join(cluster.texts))
    if said.cause == "local_queue_missing" and hook:
        said.evidence.append(_QUEUE_HOOK_NOTE.format(hook=hook.group("hook")))
        main = _finding(said, {"kind": kind, "namespace": ns, "name": name})
        return [main, _queue_hook_alternative(hook.group("hook"))]
    return [_finding(said, {"kind": kind, "namespace": ns, "name": name})]


# Kueue v0.7.0's job webhooks (the JobSet one with the MultiKueue gate on) ask the queue
# manager for the ClusterQueue of the job's LocalQueue and return its error: "queue doesn't
# exist" (pkg/queue/manager.go ClusterQueueFromLocalQueue, jobset_webhook.go:76). The queue
# manager knows every LocalQueue the leader's controller has seen, whether or not its
# ClusterQueue exists (AddLocalQueue). v0.7.1 (kueue#2425) stopped refusing.
_QUEUE_HOOK = re.compile(r'admission webhook \\?"(?P<hook>[\w.-]+)\\?" denied the request: '
                         r"queue doesn'?t exist")
_QUEUE_HOOK_NOTE = (
    "webhook {hook} (Kueue v0.7.0, MultiKueue gate on) refused the object because Kueue's "
    "queue manager knows no LocalQueue of that name (label kueue.x-k8s.io/queue-name) in the "
    "object's namespace: it does not exist there, or was created moments before and Kueue had "
    "not seen it yet (a LocalQueue whose ClusterQueue is missing is still known). Kueue "
    "v0.7.1+ no longer refuses (kueue#2425): the Workload then names what is missing")
_ALT_CONFIRM = ("kubectl get localqueue <queue-name> -n <namespace> -o jsonpath="
                "'{.spec.clusterQueue}' && kubectl get clusterqueue <that clusterQueue>")


def _queue_hook_alternative(hook: str) -> dict:
    """Second-ranked reading of the v0.7.0 webhook refusal: the LocalQueue exists but its
    ClusterQueue does not (how kueue#2416 reported it). One command tells the two apart."""
    return finding(
        "warning", "cluster_queue_missing", {"kind": "LocalQueue"},
        f"second reading: the LocalQueue exists and its ClusterQueue does not (webhook {hook} "
        "was reported refusing such objects; by Kueue's code the refusal means the LocalQueue "
        "was not known yet): one command tells the two apart",
        ["the first command answers NotFound: the LocalQueue is missing (first finding); it "
         "prints a name: the ClusterQueue of that name must exist (the second command)"],
        FIXES.get("cluster_queue_missing", ""), basis="inferred", confirm=_ALT_CONFIRM)


# The user's own words that Kueue made no Workload for the job ("No Workload is created for
# the SparkApplication", "kueue doesn't create the workload"): the last resort when the paste
# carries no Kueue message and no object (kueue#10483, #2536). Inferred: Kueue said nothing.
PROSE_NO_WORKLOAD = re.compile(
    r"\bno (?:kueue )?workloads?(?: object| resource)? (?:is|are|was|were|gets?|got|being) "
    r"(?:created|generated)|\bworkloads? (?:is|are|was|were|gets?|got|does|did)(?: not|n'?t| "
    r"never) (?:gets? )?(?:created|generated)|(?:does not|doesn'?t|did not|didn'?t|never|"
    r"won'?t|will not|not) (?:seem to )?(?:be )?(?:create|generate|creating|generating)s? "
    r"(?:a |the |any )?(?:kueue )?workload", re.I)


def prose_findings(cluster) -> list[dict]:
    """The report says in prose that no Workload exists for the job, or states a Workload's
    conditions (_kueue.prose); basis inferred."""
    hit = next((m for m in map(PROSE_NO_WORKLOAD.search, cluster.texts) if m), None)
    if hit is None:
        return prose_states(cluster)
    # the sentence around the words, not the whole paragraph
    before = re.split(r"[.?!]\s", hit.string[:hit.start()])[-1]
    after = re.split(r"(?<=[.?!])\s", hit.string[hit.end():])[0]
    said = " ".join((before + hit.group(0) + after).split())
    return [finding(
        "warning", "workload_missing", {"kind": "Workload"},
        "the report says Kueue created no Workload for the job: Kueue's job reconciler for "
        "that kind is not running (the integration is not in integrations.frameworks or its "
        "feature gate is off, the kind's CRD was installed after Kueue started, or "
        "kueue-controller-manager is down)",
        [f"in the text: {said[:240]}"], FIXES.get("workload_missing", ""), basis="inferred",
        confirm="kubectl get cm kueue-manager-config -n kueue-system -o yaml | grep -A30 "
                "frameworks; kubectl logs -n kueue-system deploy/kueue-controller-manager | "
                "grep -i 'job framework'")]


_PROSE_LEADS = {
    "kueue_controller_down": "the report says kueue-controller-manager is not running (crash "
                             "loop, panic, an image it cannot pull, its pod Pending) or its "
                             "webhook has no endpoints: nothing is admitted "
                             "and, its webhooks being fail-closed, Kueue's objects and managed "
                             "jobs are refused",
    "pods_ready_timeout": "the report says the Workload was evicted by waitForPodsReady (Evicted "
                          "reason PodsReadyTimeout): its pods were not all ready within the "
                          "timeout (recoveryTimeout for a running Workload), so Kueue suspended "
                          "the job and requeued the Workload with backoff",
    "admission_check_pending": "the report says an admission check is not Ready and the Workload "
                               "is not Admitted: Admitted needs QuotaReserved and every check "
                               "of the ClusterQueue in state Ready",
    "flavor_mismatch": "the report says Kueue refuses a ResourceFlavor for the pods' node "
                       "affinity, nodeSelector or taints: Kueue checks them against the "
                       "flavor's nodeLabels and nodeTaints before quota",
    "admitted_not_started": "the report says Kueue admitted the Workload but its pods do not run "
                            "(Pending, unschedulable, or the job still suspended): admission "
                            "reserves quota, it does not place pods (only TAS picks nodes)",
    "quota_exhausted": "the report says the queue has no quota left for what the job asks: "
                       "admitted Workloads hold the flavor's nominal quota (and what the "
                       "cohort lends), so this one waits (QuotaReserved=False, \"insufficient "
                       "unused quota\") until one finishes or is preempted",
    "local_queue_missing": "the report says the LocalQueue the job names does not exist in its "
                           "namespace: Kueue keeps the Workload pending (\"LocalQueue q doesn't "
                           "exist\")",
    "cluster_queue_missing": "the report says the ClusterQueue does not exist: the LocalQueue "
                             "points at nothing, so its Workloads wait (\"ClusterQueue cq "
                             "doesn't exist\")",
    "no_queue_label": "the report says the job has no kueue.x-k8s.io/queue-name label: Kueue "
                      "manages only labelled jobs (unless manageJobsWithoutQueueName is set), so "
                      "no Workload is created and the job runs or waits outside Kueue",
    "exceeds_max_quota": "the report says the job asks for more than the queue's quota: Kueue "
                         "can never reserve it there (QuotaReserved=False \"insufficient quota "
                         "for R in flavor F, ... > maximum capacity\"), however long it waits",
    "resource_not_in_queue": "the report says a resource the job asks for is not in the "
                             "ClusterQueue: Kueue refuses every flavor for it (\"resource R "
                             "unavailable in ClusterQueue\"), so the Workload never gets quota",
    "namespace_not_selected": "the report says the ClusterQueue's namespaceSelector does not "
                              "select the job's namespace: Kueue keeps its Workloads inadmissible "
                              "(\"Workload namespace doesn't match ClusterQueue selector\")",
    "workload_deactivated": "the report says the Workload is deactivated (spec.active: false, "
                            "set by a person, a tool, or Kueue itself after requeuingStrategy."
                            "backoffLimitCount requeues): Kueue does not admit it again until it "
                            "is active",
    "topology_unfit": "the report says the pods do not fit in the topology domain the job "
                      "requires: Topology Aware Scheduling finds no domain with room for the "
                      "whole pod set (\"topology T doesn't allow to fit any of N pod(s)\")",
    "admission_webhook_denied": "the report says an admission webhook refuses the update Kueue "
                                "makes to the job (suspend, stop, start: the pod template "
                                "fields it injects or restores), so the job keeps the state "
                                "Kueue could not change, whatever the queue says",
    "queue_inactive": "the paste sets a queue's stopPolicy to Hold or HoldAndDrain: Kueue stops "
                      "admitting from it (the ClusterQueue goes Active=False, reason Stopped; "
                      "HoldAndDrain also evicts what it admitted), so its pending Workloads "
                      "wait until stopPolicy is None again",
}
_PROSE_CONFIRM = {
    "kueue_controller_down": "kubectl get pods -n kueue-system; kubectl logs -n kueue-system "
                             "deploy/kueue-controller-manager --previous",
    "pods_ready_timeout": "kubectl get workload <name> -n <ns> -o jsonpath="
                          "'{.status.conditions}{\"\\n\"}{.status.requeueState}'",
    "admission_check_pending": "kubectl get workload <name> -n <ns> -o jsonpath="
                               "'{.status.admissionChecks}'",
    "flavor_mismatch": "kubectl describe workload <name> -n <ns> (QuotaReserved message: "
                       "\"couldn't assign flavors to pod set ...\")",
    "admitted_not_started": "kubectl describe workload <name> -n <ns>; kubectl get pods -n <ns> "
                            "-l <job selector> -o wide; kubectl describe pod <pending pod>",
    "quota_exhausted": "kubectl describe workload <name> -n <ns> (QuotaReserved message) and "
                       "kubectl get clusterqueue <cq> -o jsonpath='{.status.flavorsUsage}'",
    "local_queue_missing": "kubectl get localqueues -n <ns>",
    "exceeds_max_quota": "kubectl describe workload <name> -n <ns> (QuotaReserved message) and "
                         "kubectl get clusterqueue <cq> -o jsonpath='{.spec.resourceGroups}'",
    "resource_not_in_queue": "kubectl get clusterqueue <cq> -o jsonpath='{.spec.resourceGroups[*]"
                             ".coveredResources}'; kubectl get workload <name> -n <ns> -o "
                             "jsonpath='{.spec.podSets[*].template.spec.containers[*].resources}'",
    "namespace_not_selected": "kubectl get clusterqueue <cq> -o jsonpath='{.spec."
                              "namespaceSelector}'; kubectl get namespace <ns> --show-labels",
    "workload_deactivated": "kubectl get workload <name> -n <ns> -o jsonpath='{.spec.active}"
                            "{\"\\n\"}{.status.conditions}{\"\\n\"}{.status.requeueState}'",
    "topology_unfit": "kubectl describe workload <name> -n <ns> (QuotaReserved message); kubectl "
                      "get nodes -L <topology level labels>",
    "cluster_queue_missing": "kubectl get clusterqueues; kubectl get localqueue <q> -n <ns> -o "
                             "jsonpath='{.spec.clusterQueue}'",
    "no_queue_label": "kubectl get <job kind> <name> -n <ns> -o jsonpath='{.metadata.labels}'",
    "admission_webhook_denied": "kubectl logs -n kueue-system deploy/kueue-controller-manager "
                                "| grep -i 'denied the request'",
    "queue_inactive": "kubectl get clusterqueues.kueue.x-k8s.io -o custom-columns=NAME:.metadata"
                      ".name,STOP:.spec.stopPolicy,ACTIVE:.status.conditions[?(@.type=="
                      "\"Active\")].reason; kubectl get localqueues -A -o custom-columns="
                      "NAME:.metadata.name,STOP:.spec.stopPolicy",
}


def prose_states(cluster) -> list[dict]:
    """The Workload states the report gives in words (_kueue.prose), as inferred warnings."""
    text = "\n".join(getattr(cluster, "lines", None) or cluster.texts)
    out = []
    if not prose.states(text) and prose.preemption_lines(cluster.texts):
        # "preempted by a higher priority workload": the Workload would say by whom
        return [f for f in prose.said_preempted(cluster) if f["severity"] != "info"]
    for cause, sentences in prose.states(text):
        lead, fix, confirm = _PROSE_LEADS[cause], FIXES.get(cause, ""), _PROSE_CONFIRM[cause]
        pending = any(_PODS_PENDING.search(s) for s in sentences)
        if cause == "admitted_not_started" and pending and \
                any(map(prose.selector_from_flavor, sentences)):
            lead, fix, confirm = _FLAVOR_SELECTOR_LEAD, _FLAVOR_SELECTOR_FIX, \
                _FLAVOR_SELECTOR_CONFIRM
        elif cause == "admitted_not_started" and pending:
            fix = _CAPACITY_FIX
        # (the controller is a Deployment, not a Workload the paste left unnamed)
        target = {"kind": "Deployment", "name": "kueue-controller-manager"} \
            if cause == "kueue_controller_down" else {"kind": "Workload"}
        out.append(finding(
            "warning", cause, target, lead,
            [f"in the text: {s[:240]}" for s in sentences[:3]], fix,
            basis="inferred", confirm=confirm))
    return out


# Kueue put the assigned flavor's labels into the pods' nodeSelector (it does so when it starts
# an admitted Workload, podset.FromAssignment) and the pods stay Pending: no node carries all
# of them (kueue#425: labels a deployment tool added to the flavor's metadata, used as node
# labels before v0.3; from v0.3 only spec.nodeLabels is copied, #439)
_FLAVOR_SELECTOR_LEAD = ("the report says Kueue set the pods' nodeSelector from the ResourceFlavor's "
                         "labels, which it does when it starts an admitted Workload, and the pods "
                         "stay Pending: no node carries every label the flavor sets, so the "
                         "scheduler finds no node for them")
_FLAVOR_SELECTOR_FIX = ("make the flavor's node labels (spec.nodeLabels) exactly labels the "
                        "flavor's nodes carry, or label those nodes; before Kueue v0.3 every "
                        "metadata label of the ResourceFlavor was used, so a label a deployment "
                        "tool adds to it lands in the pods' nodeSelector: upgrade, or keep such "
                        "labels off the flavor")
_FLAVOR_SELECTOR_CONFIRM = ("kubectl get resourceflavor <flavor> -o yaml (spec.nodeLabels; "
                            "metadata.labels before v0.3); kubectl get pod <pending pod> -n <ns> "
                            "-o jsonpath='{.spec.nodeSelector}'; kubectl get nodes -l "
                            "<key>=<value> for each of them")


# admitted and the pods Pending, not the job suspended: admission reserved quota, the
# scheduler finds no node (kueue#1476: 8-GPU pods while the free GPUs are spread 7/7/8; the
# maintainer's answer: Kueue does not look at nodes, use waitForPodsReady)
_PODS_PENDING = re.compile(r"\bpods?\b[^.\n]{0,60}?\bpending\b|\bFailedScheduling\b|"
                           r"\bnodes are available\b", re.I)
_CAPACITY_FIX = ("quota is not node capacity: admission does not look at free space per node "
                 "(whole GPUs spread over nodes fit the quota but no pod). Enable "
                 "waitForPodsReady so a workload whose pods cannot all start is evicted and "
                 "requeued, size quotas and pods to whole nodes, or use Topology Aware "
                 "Scheduling so Kueue admits only where the pods fit")


def _console_records(text: str) -> tuple[list[str], str]:
    """Log records whose msg frames their error, each read as one message with it: the msg says
    what Kueue was doing when the error came ("Unsuspending job", "Suspending job with non
    admitted workload"), so it frames the refusal the error holds. zap's console encoding keeps
    the msg out of the JSON (`<time>\tERROR\t<msg>\t{"controller": ..., "error": ...}`), its
    JSON encoding has a "msg" field. The other lines are returned for the fields."""
    found, rest = [], []
    for line in text.splitlines():
        console = re.match(r'([^{\n]+?)\s(\{".*)$', line)
        field = None if console else re.search(_JSON_FIELD.format("msg"), line)
        msg = console.group(1) if console else _unquote(field.group(1)) if field else ""
        error = re.search(_JSON_FIELD.format("error"), line)
        if msg and error and {c.cause for c in clauses(msg)} & _FRAMES:
            found.append(f"{message_span(msg)}: {_unquote(error.group(1))}")
        else:
            rest.append(line)
    return found, "\n".join(rest)


# Kueue's log lines that say what it was doing to the job when the error logged with them came:
# starting it (admitted_not_started) or suspending it (admission_webhook_denied), messages.py
# or writing an eviction (eviction_status_patch_failed: "Failed to evict workload", kueue#8258)
_FRAMES = {"admitted_not_started", "admission_webhook_denied", "eviction_status_patch_failed"}


def messages_in(text: str) -> list[str]:
    """Kueue messages in free text: JSON log fields ("msg", "error", "message") or lines."""
    found, text = _console_records(text)
    for key in ("msg", "error", "message"):
        for match in re.finditer(_JSON_FIELD.format(key), text):
            value = _unquote(match.group(1))
            loose = re.compile(_LOOSE_FIELD.format(key)).match(text, match.start())
            if loose and len(loose.group(1)) > len(match.group(1)) and clauses(loose.group(1)):
                value = loose.group(1)  # the strict value stopped at an unescaped inner quote
            if clauses(value):
                found.append(value)
    if found:
        return found
    out = []
    for paragraph in re.split(r"\n\s*(?:```\w*)?\s*\n|\n```\w*", text):
        joined = " ".join(paragraph.split())
        if _PODSET_START.search(paragraph):  # a message the terminal wrapped over lines
            out.append(message_span(joined))
            continue
        lines = [message_span(line) for line in paragraph.splitlines() if clauses(line)]
        # a message laid out over lines by the user (an apiserver error's field list, one
        # per line: kueue#6966) is Kueue's only when read whole
        out += lines or ([message_span(joined)] if clauses(joined) else [])
    return out


def _unquote(value: str) -> str:
    try:
        return json.loads(f'"{value}"')
    except ValueError:
        return value


_LEADS = {"multikueue_cluster_disconnected": "Kueue reports the MultiKueue worker cluster not "
                                             "connected, so no Workload is dispatched there",
          "no_queue_label": "an admission policy refused the object: it has no "
                            "kueue.x-k8s.io/queue-name label",
          "kueue_bug": "the API server refused Kueue's own update, with a known Kueue "
                       "defect's signature",
          "workload_missing:webhook": "an admission webhook refused the job, so it has no "
                                      "Workload",
          "workload_missing": "Kueue could not create the job's Workload",

          "admitted_not_started": "Kueue admitted the workload but could not start its job",
          "admission_webhook_denied": "Kueue could not change the job (suspend it, or set or "
                                      "restore its pod template): the job kind's webhook or "
                                      "the API server refused the update",
          "kueue_controller_down": "the API server cannot call Kueue's webhooks: "
                                   "kueue-controller-manager does not serve them (not ready yet, "
                                   "crash-looping or scaled down), so Kueue's objects and the "
                                   "jobs it manages are refused and nothing is admitted"}
# Verdicts a jobframework log record gives about the job it names (not about a Workload).
_ABOUT_THE_JOB = ("workload_missing", "admitted_not_started", "job_workload_mismatch",
                  "admission_webhook_denied")


# the controller's informers failing to list (messages.py: a list too large, a CRD version
# not served), not the apiserver failing to call its webhooks
_CACHE_UNSYNCED = re.compile(r"[Ff]ailed to (?:watch|list) \*?v1|message larger than max")
_SETUP_FAILED = re.compile(r"Unable to (?:load|validate) the configuration")
# the job reconciler skipping a job (jobframework/reconciler.go v0.19.2:366-370)
_SKIPPED = re.compile(r"label is not set, ignoring the job|No kueue-managed ancestors")


def _refused_by_webhook(said) -> bool:
    """A job-kind admission webhook refused the job itself (messages.py)."""
    return said.cause == "workload_missing" and any(
        clause.facts.get("webhook") for clause in said.clauses)


def _finding(said, obj: dict) -> dict:
    if said.basis == "inferred":
        message = said.message
        evidence = said.evidence
        ref = object_ref(obj)
        confirm = (f"kubectl describe workload {ref['name']} -n {ref['namespace']}"
                   if ref["name"] and ref["namespace"] else
                   "kubectl get events -A --field-selector involvedObject.kind=Workload")
    else:
        webhook = _refused_by_webhook(said)
        lead = _LEADS.get(said.cause + (":webhook" if webhook else ""),
                          f"Kueue reports {said.cause.replace('_', ' ')}")
        if _SETUP_FAILED.search(said.message):
            lead = "kueue-controller-manager does not start, so no job gets a Workload"
        if said.cause == "admission_webhook_denied" and reclaimable_denied.said(said.message):
            lead = reclaimable_denied.LEAD
        if said.cause == "admission_webhook_denied" and UPDATE_REFUSED.search(said.message):
            lead = UPDATE_LEAD
        if said.cause == "kueue_bug" and RUNTIME_PATCH.search(said.message):
            lead = RUNTIME_PATCH_LEAD
        if said.cause == "multikueue_cluster_disconnected" and \
                EXEC_CREDENTIALS.search(said.message):
            lead = EXEC_LEAD
        if signature(said.cause, said.message):
            lead = signature(said.cause, said.message)[0]
        if said.cause == "kueue_controller_down" and _CACHE_UNSYNCED.search(said.message):
            lead = ("kueue-controller-manager cannot list its own objects, so its caches never "
                    "sync and it admits nothing")
        if _SKIPPED.search(said.message):
            lead = ("Kueue's job reconciler ignores the job: it has no "
                    "kueue.x-k8s.io/queue-name label (no Workload, its pods are not managed)")
        message = f"{lead}: {said.message}"[:300]
        evidence, confirm = [said.quote()] + said.evidence + message_notes(said), ""
    fix = fix_for(said.cause, said.message)
    if said.basis != "inferred" and _refused_by_webhook(said):
        fix = ("fix what the webhook's message names in the job and create it again; "
               "kubectl apply --dry-run=server -f JOB.yaml shows the webhook's answer")
    return finding(severity_of(said.cause), said.cause, obj, message, evidence,
                   fix, basis=said.basis, confirm=confirm)
