"""A TAS job whose pod template pins a node with nodeSelector, admitted, its pods left behind
Kueue's `kueue.x-k8s.io/topology` gate: Kueue's topology assignment ignored the nodeSelector.

Ground truth (kubernetes-sigs/kueue#4571, "TAS: workloads with nodeSelectors are scheduled by
TAS, but not kube-scheduler"; fixed by PR #4989 "TAS: Add support for Node Selectors",
cherry-picked as #5087 into v0.10.5 and #5079 into v0.11.4, CHANGELOG-0.10.md / -0.11.md):
- Kueue v0.10.2 pkg/cache/tas_flavor_snapshot.go findTopologyAssignment (l.300-340) counts
  pods per node with only tolerations and resources: the pod set's nodeSelector is not read;
  v0.10.6 l.310/l.321-329 and v0.11.4 l.419/l.433 build a selector from it, only when the
  Topology's lowest level is kubernetes.io/hostname (isLowestLevelNode; still so in v0.19.2
  pkg/cache/scheduler/tas_flavor_snapshot.go l.963-977);
- with a hostname lowest level the assignment carries only the hostname level
  (v0.10.2 buildAssignment l.428-438), and the topology ungater copies it into the pod's
  nodeSelector while it removes the gate (v0.10.2 pkg/controller/tas/topology_ungater.go
  l.199-212; log "failed ungating pod" on error);
- the API server refuses that patch when the pod already selects another host: for a gated
  pod "only additions to spec.nodeSelector are allowed (no mutations or deletions)"
  (kubernetes v1.37.2 pkg/apis/core/validation/validation.go l.5950-5955, l.9740-9748).
So the pods keep the gate and never reach the kube-scheduler. basis inferred unless Kueue's
log of the refused ungating is in the input.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of, namespace_of

from _kueue.gang_model import podsets
from _kueue.jobs import queue_name_of
from _kueue.topology_fit import TAS_ANNOTATIONS, assignment_domains, levels_of

HOSTNAME = "kubernetes.io/hostname"
TOPOLOGY_GATE = "kueue.x-k8s.io/topology"  # apis/kueue/v1alpha1/tas_types.go:45 @v0.10.2
FIXED = ((0, 10, 5), (0, 11, 4))  # the first releases of each line with PR #4989
# Kueue's image tag, or a version named beside the word Kueue ("Kueue v0.9.1", "kueue 0.10.0")
_VERSION = re.compile(r"kueue(?:/kueue)?(?::|\s+(?:version\s+)?)v?(\d+)\.(\d+)\.(\d+)", re.I)
_REFUSED = re.compile(r"failed ungating pod.{0,600}?only additions to spec\.nodeSelector",
                      re.I | re.S)
FIX = ("upgrade Kueue to v0.10.5+ / v0.11.4+ (or any v0.12+), whose TAS counts only the nodes "
       "the pod template's nodeSelector selects; until then drop the host nodeSelector from "
       "the template and steer placement with the ResourceFlavor's nodeLabels (TAS only "
       "considers nodes carrying them), then delete and resubmit the job (its template is "
       "immutable while it runs)")


def kueue_version(cluster) -> tuple[int, int, int] | None:
    """The Kueue release the input names (image tag or "Kueue vX.Y.Z"), if any."""
    texts = list(getattr(cluster, "texts", []) or [])
    images = [str(c.get("image", "")) for o in list(cluster.pods) + list(cluster.others)
              for c in dig(o, "spec", "template", "spec", "containers", default=None)
              or dig(o, "spec", "containers", default=[]) or [] if isinstance(c, dict)]
    for text in images + texts:
        found = _VERSION.search(str(text))
        if found:
            major, minor, patch = (int(g) for g in found.groups())
            return major, minor, patch
    return None


def is_fixed(version: tuple[int, int, int] | None) -> bool:
    if version is None:
        return False
    old, new = FIXED
    return old <= version < (0, 11, 0) or version >= new


def _levels(cluster, flavors: list[dict]) -> list[str] | None:
    """The levels of the TAS flavors' Topology when the input holds it, else None."""
    names = {str(dig(f, "spec", "topologyName", default="")) for f in flavors} - {""}
    for obj in cluster.others:
        if obj.get("kind") == "Topology" and name_of(obj) in names:
            return levels_of(obj)
    return None


def pinned_hosts(template: dict, flavors: list[dict], levels: list[str] | None) -> dict:
    """nodeSelector entries the ungater overwrites: the hostname, when the Topology ends at it
    (or is not in the input), and not a value a TAS flavor's nodeLabels already impose."""
    if levels is not None and (not levels or levels[-1] != HOSTNAME):
        return {}
    selector = dig(template, "spec", "nodeSelector", default={}) or {}
    imposed = {(k, str(v)) for f in flavors
               for k, v in (dig(f, "spec", "nodeLabels", default={}) or {}).items()}
    return {k: str(v) for k, v in selector.items()
            if k == HOSTNAME and (k, str(v)) not in imposed}


def _wants_tas(template: dict) -> bool:
    annotations = dig(template, "metadata", "annotations", default={}) or {}
    return any(a in annotations for a in TAS_ANNOTATIONS)


def _pods_of(job: dict, pods: list[dict]) -> list[dict]:
    """The job's pods: owned by it, or (a table) named after it or its generateName."""
    name, prefix = name_of(job), dig(job, "metadata", "generateName", default="")
    stem = f"{name}-" if name else str(prefix)
    if not stem:
        return []
    out = []
    for pod in pods:
        owners = [str(r.get("name", "")) for r in
                  dig(pod, "metadata", "ownerReferences", default=[]) or []]
        if (name and name in owners) or (not owners and name_of(pod).startswith(stem)):
            if namespace_of(pod) in ("", namespace_of(job)) or not namespace_of(job):
                out.append(pod)
    return out


def topology_gated(pod: dict) -> bool:
    """Held by Kueue's TAS gate: spec.schedulingGates names it, or (a table row, a status
    without spec) the pod waits SchedulingGated with no other gate shown."""
    gates = [str(g.get("name", "")) for g in dig(pod, "spec", "schedulingGates", default=[])
             or [] if isinstance(g, dict)]
    if gates:
        return TOPOLOGY_GATE in gates
    if dig(pod, "status", "reason") == "SchedulingGated":
        return True
    scheduled = [c for c in dig(pod, "status", "conditions", default=[]) or []
                 if isinstance(c, dict) and c.get("type") == "PodScheduled"]
    return any(c.get("reason") == "SchedulingGated" for c in scheduled)


def _assigned_hosts(cluster, job: dict) -> set[str] | None:
    """Hostnames of the job's Workload topologyAssignment in the input (None: not there)."""
    from _kueue.jobs import JobIndex
    hosts: set[str] = set()
    seen = False
    for wl in JobIndex(cluster).workloads_for(job):
        for psa in dig(wl, "status", "admission", "podSetAssignments", default=[]) or []:
            assignment = psa.get("topologyAssignment")
            if isinstance(assignment, dict):
                seen = True
                hosts |= {v[HOSTNAME] for v, _ in assignment_domains(assignment)
                          if HOSTNAME in v}
    return hosts if seen else None


def refused_line(lines) -> str:
    """Kueue's log of a refused ungating over the pod's nodeSelector, if the text has it."""
    found = _REFUSED.search("\n".join(str(t) for t in lines or []))
    return " ".join(found.group(0).split())[:300] if found else ""


def findings(cluster) -> list[dict]:
    """kueue_bug for each queue-labelled TAS job that pins a host with nodeSelector and whose
    pods in the input all wait behind the topology gate, unless the input names a fixed
    Kueue or shows Kueue assigned the pinned host; or Kueue's log of the refused ungating."""
    release = kueue_version(cluster)
    version = "v" + ".".join(map(str, release)) if release else ""
    flavors = [f for f in cluster.flavors.values() if dig(f, "spec", "topologyName")]
    levels = _levels(cluster, flavors)
    refused = refused_line(getattr(cluster, "texts", []))
    out = []
    # a fixed release reads the nodeSelector; Kueue's own log of a refusal still counts below
    for job in [] if is_fixed(release) else cluster.jobs:
        if not queue_name_of(job):
            continue
        templates = [p["template"] for p in podsets(job) if _wants_tas(p["template"])]
        pinned = next((h for t in templates for h in [pinned_hosts(t, flavors, levels)] if h),
                      {})
        pods = _pods_of(job, cluster.pods)
        if not pinned or not pods or not all(topology_gated(p) for p in pods):
            continue
        assigned = _assigned_hosts(cluster, job)
        if assigned is not None and assigned <= set(pinned.values()):
            continue  # Kueue chose the pinned host: the gate waits for something else
        out.append(_finding(job, pinned, pods, assigned, refused, version))
    if refused and not out:  # Kueue's log alone: the refused ungating is reported
        out.append(_logged(refused, version))
    return out[:3]


# the pod in Kueue's record: JSON `"pod":{"name":"x","namespace":"y"}`, text `pod="y/x"`
_POD = re.compile(r'"?pod"?[:=]\s*(?:\{"name":"(?P<name>[^"]+)","namespace":"(?P<ns>[^"]*)"'
                  r'|"(?P<ref>[^"]+)")')


def _logged(refused: str, version: str) -> dict:
    pod = _POD.search(refused)
    ns, name = (pod["ns"], pod["name"]) if pod and pod["name"] else \
        (pod["ref"].rpartition("/")[::2] if pod else ("", ""))
    return finding(
        "warning", "kueue_bug", {"kind": "Pod", "namespace": ns, "name": name},
        "Kueue's topology ungater could not remove the kueue.x-k8s.io/topology gate: the API "
        "server refused to change the pod's own nodeSelector to the domain TAS chose, so TAS "
        "placed the pod set without its nodeSelector (kueue#4571; before v0.10.5/v0.11.4, or "
        "any release when the Topology's lowest level is not kubernetes.io/hostname) and the "
        "pod stays gated", [f"Kueue's log: {refused}",
                            f"Kueue version: {version or 'not in the input'} (fixed in v0.10.5, "
                            "v0.11.4, v0.12.0 for a Topology ending at kubernetes.io/hostname)"],
        FIX, basis="reported")


def explains(found: dict) -> bool:
    """The admitted-not-started symptom of the same gate, which this finding explains."""
    return found.get("cause") == "admitted_not_started" and TOPOLOGY_GATE in \
        str(found.get("message", ""))


def _finding(job: dict, pinned: dict, pods: list[dict], assigned: set[str] | None,
             refused: str, version: str) -> dict:
    ns = namespace_of(job)
    shown = name_of(job) or dig(job, "metadata", "generateName", default="") + "*"
    host = pinned[HOSTNAME]
    evidence = [f"pod template nodeSelector {HOSTNAME}={host} with a "
                "kueue.x-k8s.io/podset-*-topology annotation",
                f"{len(pods)} pod(s) waiting behind the {TOPOLOGY_GATE} gate (SchedulingGated): "
                + ", ".join(name_of(p) for p in pods[:3])]
    if assigned:
        evidence.append(f"Workload topologyAssignment hosts: {', '.join(sorted(assigned))}")
    if refused:
        evidence.append(f"Kueue's log: {refused}")
    evidence.append(f"Kueue version: {version or 'not in the input'} (fixed in v0.10.5, "
                    "v0.11.4, v0.12.0)")
    where = f" -n {ns}" if ns else ""
    chose = (f"assigned {', '.join(sorted(assigned))}, not {host}" if assigned else
             f"can assign a host other than {host}")
    return finding(
        "warning", "kueue_bug", job,
        f"{job.get('kind', 'job')} {shown}: admitted, but its pods stay gated: Kueue before "
        f"v0.10.5/v0.11.4 chose the topology domain without the pod template's nodeSelector "
        f"(kueue#4571), so it {chose}; the topology ungater then "
        "tries to overwrite the pod's nodeSelector, which the API server refuses for a gated "
        "pod, and the gate is never removed",
        evidence, FIX, basis="reported" if refused else "inferred",
        confirm="" if refused else
        f"kubectl get workloads.kueue.x-k8s.io{where} -o jsonpath='{{..topologyAssignment}}' "
        "(a host other than the nodeSelector's) and kubectl logs -n kueue-system "
        "deploy/kueue-controller-manager | grep 'failed ungating pod'")
