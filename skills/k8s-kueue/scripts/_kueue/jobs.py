"""Map user-facing jobs (Job, JobSet, LeaderWorkerSet, RayJob, PyTorchJob, TrainJob, pod
groups, ...) to their Kueue Workloads and pods.

Kueue's job framework (pkg/controller/jobframework) makes the job the Workload's controller
owner, labels the Workload with kueue.x-k8s.io/job-uid, and names it
"<kind lowercase>-<job name>-<5 hex of a hash>" (GetWorkloadNameForOwnerWithGVK). Plain pod
groups (pkg/controller/jobs/pod) use the pod-group-name label as the Workload name.
"""
from __future__ import annotations

from k8s_skillkit.objects import conditions, dig, name_of, namespace_of

from _kueue.objects import (JOB_KINDS, JOB_UID_LABEL, POD_GROUP_LABEL, QUEUE_ANNOTATION,
                           QUEUE_LABEL)

# Pod labels that point at the owning job when ownerReferences skip a level.
_POD_OWNER_LABELS = ("batch.kubernetes.io/controller-uid", "controller-uid")


class JobIndex:
    def __init__(self, cluster):
        self.cluster = cluster
        self.by_uid = {dig(j, "metadata", "uid"): j for j in cluster.jobs
                       if dig(j, "metadata", "uid")}
        self.wl_by_owner: dict[str, list[dict]] = {}
        for wl in cluster.workloads:
            for uid in _owner_uids(wl) | {dig(wl, "metadata", "labels", JOB_UID_LABEL)}:
                if uid:
                    self.wl_by_owner.setdefault(uid, []).append(wl)
        # Workload names are "<kind>-<job>-<hash>": index the part before the hash.
        self.wl_by_base: dict[tuple[str, str], list[dict]] = {}
        for wl in cluster.workloads:
            base = name_of(wl).rsplit("-", 1)[0]
            self.wl_by_base.setdefault((namespace_of(wl), base), []).append(wl)
        self.pods_by_root: dict[str, list[dict]] = {}
        for pod in cluster.pods:
            for key in self._pod_roots(pod):
                self.pods_by_root.setdefault(key, []).append(pod)

    def _pod_roots(self, pod: dict) -> set[str]:
        """Every owner uid up the chain (pod -> Job -> JobSet), plus group/label keys."""
        roots, frontier = set(), set(_owner_uids(pod))
        labels = dig(pod, "metadata", "labels", default={}) or {}
        frontier |= {labels[k] for k in _POD_OWNER_LABELS if labels.get(k)}
        while frontier:
            uid = frontier.pop()
            if uid in roots:
                continue
            roots.add(uid)
            owner = self.by_uid.get(uid)
            if owner is not None:
                frontier |= _owner_uids(owner)
        if labels.get(POD_GROUP_LABEL):
            roots.add(f"group:{namespace_of(pod)}/{labels[POD_GROUP_LABEL]}")
        return roots

    def workloads_for(self, job: dict) -> list[dict]:
        uid = dig(job, "metadata", "uid")
        found = list(self.wl_by_owner.get(uid, [])) if uid else []
        if found:
            return found
        prefix = dig(job, "metadata", "generateName", default="")
        if not name_of(job) and prefix:
            # the manifest as applied: the object got "<generateName><random>"
            kind = job.get("kind", "")
            return [w for w in self.cluster.workloads
                    if namespace_of(w) in ("", namespace_of(job) or "default")
                    and any(r.get("kind") == kind and str(r.get("name", "")).startswith(prefix)
                            for r in dig(w, "metadata", "ownerReferences", default=[]) or [])]
        base = f"{JOB_KINDS.get(job.get('kind', ''), '')}-{name_of(job)}"
        return list(self.wl_by_base.get((namespace_of(job), base), []))

    def pods_for(self, wl: dict) -> list[dict]:
        keys = _owner_uids(wl) | {f"group:{namespace_of(wl)}/{name_of(wl)}"}
        seen, out = set(), []
        for key in keys:
            for pod in self.pods_by_root.get(key, []):
                if id(pod) not in seen:
                    seen.add(id(pod))
                    out.append(pod)
        return out or self._pods_by_name(wl)

    def _pods_by_name(self, wl: dict) -> list[dict]:
        """Pasted tables carry no owner references: the Workload is named
        "<kind>-<job>-<hash>" and the job's pods "<job>-..." (jobframework naming). A pod
        with a Workload of its own in the input ("pod-<pod>-<hash>", the plain-pod
        integration's name) belongs to that one, not to the job whose name it extends
        (kueue#4804: an LWS group's worker pods, each with a redundant per-pod Workload)."""
        parts = name_of(wl).rsplit("-", 1)
        if len(parts) != 2:
            return []
        kind, _, job = parts[0].partition("-")
        if kind not in JOB_KINDS.values() or not job:
            return []
        ns = namespace_of(wl)
        own = {(namespace_of(w), name_of(w).rsplit("-", 1)[0]) for w in self.cluster.workloads
               if name_of(w).startswith("pod-")}
        return [p for p in self.cluster.pods if not _owner_uids(p)
                and name_of(p).startswith(job + "-") and namespace_of(p) in ("", ns)
                and (namespace_of(p), f"pod-{name_of(p)}") not in own
                and ("", f"pod-{name_of(p)}") not in own]

    def job_for(self, wl: dict) -> dict | None:
        for uid in _owner_uids(wl):
            if uid in self.by_uid:
                return self.by_uid[uid]
        return self._job_by_name(wl)

    def _job_by_name(self, wl: dict) -> dict | None:
        """Pasted tables carry no owner references: the Workload of job J of kind K is named
        "<k>-<J>-<hash>" (jobframework GetWorkloadNameForOwnerWithGVK)."""
        base, _, _hash = name_of(wl).rpartition("-")
        ns = namespace_of(wl)
        for job in self.cluster.jobs:
            prefix = JOB_KINDS.get(job.get("kind", ""), "")
            if prefix and base == f"{prefix}-{name_of(job)}" and \
                    namespace_of(job) in ("", ns):
                return job
        return None


def _owner_uids(obj: dict) -> set[str]:
    return {ref.get("uid") for ref in dig(obj, "metadata", "ownerReferences", default=[]) or []
            if ref.get("uid")}


def queue_name_of(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return (meta.get("labels") or {}).get(QUEUE_LABEL) or \
        (meta.get("annotations") or {}).get(QUEUE_ANNOTATION) or ""


def is_child_job(job: dict) -> bool:
    """A Job created by a JobSet/RayJob/...: the queue label lives on the parent."""
    return any(ref.get("kind") in JOB_KINDS
               for ref in dig(job, "metadata", "ownerReferences", default=[]) or [])


def job_finished(job: dict) -> bool:
    conds = conditions(job)
    return any(str(conds.get(t, {}).get("status")) == "True"
               for t in ("Complete", "Completed", "Failed", "Succeeded"))


def check_unlabelled(job: dict, cluster, named: bool) -> tuple | None:
    """A job without the queue label is invisible to Kueue (unless manageJobsWithoutQueueName)."""
    if queue_name_of(job) or is_child_job(job) or job_finished(job):
        return None
    if job.get("_source") == "table":  # a `kubectl get` row shows no labels nor owners
        return None
    ns = namespace_of(job)
    queues = sorted(name for (q_ns, name) in cluster.local_queues if q_ns == ns)
    suspended = bool(dig(job, "spec", "suspend", default=False))
    if not (named or queues or suspended):
        return None
    what = "it stays suspended forever" if suspended else "it bypasses quota and fairness"
    label = queues[0] if queues else "LOCALQUEUE"
    return ("no_queue_label",
            f"{job.get('kind')} {ns}/{name_of(job)} has no kueue.x-k8s.io/queue-name label, so "
            f"Kueue does not manage it: {what}",
            [f"metadata.labels: {dig(job, 'metadata', 'labels', default={}) or '{}'}",
             f"LocalQueues in {ns}: {', '.join(queues) or 'none'}",
             f"spec.suspend: {suspended}"],
            f"recreate the {job.get('kind')} with metadata.labels kueue.x-k8s.io/queue-name: "
            f"{label} (the label is read at creation; for a suspended Job adding it also works)")


def check_job_without_workload(job: dict, cluster, named: bool) -> dict | None:
    """A job the input shows without a Workload: unlabelled (Kueue ignores it), or labelled
    with no Workload (Kueue down, integration off, CRD installed after Kueue started) — the
    latter only when the input proves there is none."""
    from k8s_skillkit.findings import finding
    from _kueue.presence import get_command, kind_known

    found = check_unlabelled(job, cluster, named)
    if found:
        return finding("error", found[0], job, *found[1:], basis="inferred",
                       confirm=f"kubectl get {job.get('kind', 'job').lower()} "
                               f"{name_of(job)} -n {namespace_of(job) or 'NAMESPACE'} "
                               "--show-labels")
    if not queue_name_of(job) or is_child_job(job) or job_finished(job):
        return None
    ns = namespace_of(job)
    unmanaged = framework_disabled(job, cluster)
    if unmanaged:
        return finding(
            "error", "workload_missing", job,
            f"{job.get('kind')} {(ns + '/') if ns else ''}{name_of(job) or '(generateName)'} "
            f"has the queue label {queue_name_of(job)}, but the Kueue Configuration in the "
            f"input does not enable its integration {unmanaged[0]}: Kueue ignores the "
            f"{job.get('kind')} (no Workload, no suspension, no flavor node selectors)",
            [f"Configuration integrations.frameworks: {', '.join(unmanaged[1]) or '[]'}"],
            f"add \"{unmanaged[0]}\" to integrations.frameworks in the Kueue Configuration "
            "(ConfigMap kueue-manager-config, or the Helm value managerConfig."
            "controllerManagerConfigYaml) and restart kueue-controller-manager",
            basis="inferred",
            confirm="kubectl get configmap -n kueue-system kueue-manager-config -o yaml")
    if not name_of(job):  # a manifest with generateName: the object's name is unknown
        return None
    command = get_command("Workload", "", ns)
    if kind_known(cluster, "Workload", ns or "default"):
        return finding(
            "error", "workload_missing", job,
            f"{job.get('kind')} {(ns + '/') if ns else ''}{name_of(job)} has the queue label "
            f"{queue_name_of(job)} but no Workload exists: Kueue never took it in",
            [f"the input lists no Workload for it ({command} printed none)"],
            "check kueue-controller-manager is running and its Configuration's "
            "integrations.frameworks lists this kind; a job CRD installed after Kueue started "
            "needs a restart of kueue-controller-manager (kubectl rollout restart deployment "
            "-n kueue-system kueue-controller-manager)",
            basis="inferred", confirm=command)
    # A dump is partial: without the Workload, Kueue's state for this job is unknown, and
    # the answer says so instead of "nothing stuck" (issue 12).
    return finding("info", "not_in_dump", job,
                   f"the Workload of {job.get('kind')} {name_of(job)} is not in the input, so "
                   "Kueue's state for it is unknown",
                   [], f"run `{command}` (and `kubectl describe workload`) and re-run with its "
                   "output", basis="inferred", confirm=command)


def framework_name(obj: dict) -> str:
    """Kueue's integration name for a kind: "batch/job", "jobset.x-k8s.io/jobset", core and
    apps kinds by kind alone ("pod", "deployment", "statefulset"); the names registered in
    pkg/controller/jobs/*/ (RegisterIntegration / FrameworkName) at v0.3-v0.19."""
    api = str(obj.get("apiVersion") or "")
    group = api.split("/")[0] if "/" in api else ""
    kind = str(obj.get("kind") or "").lower()
    return kind if group in ("", "apps") else f"{group}/{kind}"


def kueue_frameworks(cluster) -> list[str] | None:
    """integrations.frameworks of a Kueue Configuration in the input (as an object, or inside
    a ConfigMap's controller_manager_config.yaml); None when the input holds none."""
    import yaml

    for obj in getattr(cluster, "others", []):
        config = obj
        if obj.get("kind") == "ConfigMap":
            text = next((v for v in (obj.get("data") or {}).values()
                         if isinstance(v, str) and "kind: Configuration" in v), "")
            try:
                config = yaml.safe_load(text) if text else {}
            except yaml.YAMLError:
                continue
        if not isinstance(config, dict) or config.get("kind") != "Configuration" or \
                not str(config.get("apiVersion", "")).startswith("config.kueue.x-k8s.io/"):
            continue
        frameworks = dig(config, "integrations", "frameworks")
        if isinstance(frameworks, list):
            external = dig(config, "integrations", "externalFrameworks", default=[]) or []
            return [str(f) for f in frameworks] + [str(f) for f in external]
    return None


def framework_disabled(job: dict, cluster) -> tuple[str, list[str]] | None:
    """(the job's integration, the enabled ones) when a Kueue Configuration of the input
    leaves the job's integration out: Kueue then never manages that kind."""
    enabled = kueue_frameworks(cluster)
    if enabled is None or job.get("_source") == "table" or not job.get("apiVersion"):
        return None
    name = framework_name(job)
    kind = str(job.get("kind", ""))
    if name in enabled or any(f.split(".")[0] == kind for f in enabled):  # external: Kind.v.group
        return None
    if name == "pod" and set(enabled) & _ENABLE_POD:
        return None
    return name, enabled


# Integrations that enable "pod" implicitly (ImplicitlyEnabledFrameworkNames, v0.19.0
# pkg/controller/jobs/{deployment,statefulset,leaderworkerset}).
_ENABLE_POD = {"deployment", "statefulset", "leaderworkerset.x-k8s.io/leaderworkerset"}
