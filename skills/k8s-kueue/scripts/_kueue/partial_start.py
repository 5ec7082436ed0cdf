"""A paste of pods only, where one job's pods partly run and the rest stay Pending.

Kueue holds a job back before its pods exist: a suspended Job, JobSet, ... creates none, and
a plain pod of the pod integration waits behind Kueue's `kueue.x-k8s.io/admission` scheduling
gate (`kubectl get pods` prints SchedulingGated). Pods that exist, ungated, with some of the
same job Running, were released by Kueue: the job was admitted and the rest wait for the
kube-scheduler. "Quota is not capacity": a ClusterQueue whose quota exceeds what the nodes
hold admits jobs the nodes cannot run together, and their gangs deadlock half started
(Kueue's task page "Sequential Admission with Ready Pods", section "Induce a deadlock under
the default configuration", site/content/en/docs/tasks/manage/setup_sequential_admission.md
at 01ecae63: two Indexed Jobs admitted over the cluster's memory, each partly Running, the
rest Pending; the fix it gives is waitForPodsReady).

Inferred: a table does not say that Kueue manages the job nor why the scheduler left the
pods; the finding names the commands that show both.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of, namespace_of

from _kueue.objects import Cluster

# `<job>-<index>-<5 random>` (Indexed Job) or `<job>-<5 random>`: the pod's job (generateName's
# suffix alphabet: k8s.io/apimachinery pkg/util/rand/rand.go:83@v0.37.2)
_RANDOM_SUFFIX = re.compile(r"-[bcdfghjklmnpqrstvwxz2456789]{5}$")
_INDEX = re.compile(r"-\d+$")

FIX = ("quota is not capacity: make the ClusterQueue's nominalQuota match what the nodes "
       "can hold (or use TAS), and turn on waitForPodsReady (blockAdmission: true) so Kueue "
       "admits one job at a time until its pods are Ready and evicts a job whose pods do "
       "not all start within the timeout")


def findings(cluster: Cluster) -> list[dict[str, Any]]:
    """admitted_not_started for each job whose pods are partly Running and partly waiting
    for the scheduler, when the input holds pods and nothing of Kueue's."""
    if cluster.workloads or cluster.jobs or cluster.cluster_queues or cluster.events:
        return []
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for pod in cluster.pods:
        groups.setdefault((namespace_of(pod), _job_of(pod)), []).append(pod)
    out = []
    for (ns, job), pods in sorted(groups.items()):
        running = [p for p in pods if dig(p, "status", "phase") == "Running"]
        waiting = [p for p in pods if _unscheduled(p)]
        if job and running and waiting:
            out.append(_finding(ns, job, pods, running, waiting))
    return out[:3]


def _job_of(pod: dict[str, Any]) -> str:
    owners = dig(pod, "metadata", "ownerReferences", default=[]) or []
    owner = next((o.get("name") for o in owners if isinstance(o, dict)
                  and o.get("kind") == "Job"), "")
    if owner:
        return str(owner)
    name = name_of(pod)
    stem = _RANDOM_SUFFIX.sub("", name)
    return _INDEX.sub("", stem) if stem != name else ""


def _unscheduled(pod: dict[str, Any]) -> bool:
    """Pending, not behind a scheduling gate and not yet placed: the scheduler's wait."""
    status = pod.get("status") or {}
    if status.get("phase") != "Pending" or dig(pod, "spec", "schedulingGates"):
        return False
    if pod.get("_source") == "table":
        return status.get("reason") == "Pending"  # not SchedulingGated, ContainerCreating
    scheduled = next((c for c in status.get("conditions") or [] if isinstance(c, dict)
                      and c.get("type") == "PodScheduled"), {})
    return str(scheduled.get("status")) != "True" and scheduled.get("reason") != \
        "SchedulingGated"


def _finding(ns: str, job: str, pods: list[dict[str, Any]], running: list[dict[str, Any]],
             waiting: list[dict[str, Any]]) -> dict[str, Any]:
    where = f" -n {ns}" if ns else ""
    return finding(
        "warning", "admitted_not_started", {"kind": "Job", "namespace": ns, "name": job},
        f"job {job}: {len(running)} of {len(pods)} pod(s) Running and {len(waiting)} Pending: "
        "its pods exist without Kueue's gate, so (if Kueue manages it) it was admitted, and "
        "the rest wait for the scheduler, not for Kueue: most likely the nodes cannot hold "
        "what the quota admitted (jobs admitted together then hold each other's room and "
        "deadlock)",
        [f"{len(running)} Running: {', '.join(name_of(p) for p in running[:2])}",
         f"{len(waiting)} Pending (not scheduled, no scheduling gate): "
         f"{', '.join(name_of(p) for p in waiting[:3])}"],
        FIX, basis="inferred",
        confirm=f"kubectl describe pod {name_of(waiting[0])}{where} (FailedScheduling names "
                f"what is short) and kubectl get workloads.kueue.x-k8s.io{where} (Admitted)")
