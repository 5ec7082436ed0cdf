"""The scheduler's own verdict, in every wording it has printed (Kubernetes 1.2 to 1.37).

A FailedScheduling event or a PodScheduled=False condition carries the scheduler's histogram of
why each node was rejected. Its shape changed five times (sources and versions:
references/messages.md):

    <= 1.5   pod (P) failed to fit in any node\\nfit failure summary on nodes : A (2), B (1)
             pod (P) failed to fit in any node\\nfit failure on node (N): A
    1.6-1.8  No nodes are available that match all of the following predicates:: A (2), B (1).
    1.9-1.10 0/3 nodes are available: 2 A, 1 B.                 (A, B: predicate names)
    1.11+    0/3 nodes are available: 2 node(s) didn't match node selector, 1 Insufficient cpu.
    1.17+    ... "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims."
             (a PreFilter reason without a count), and since 1.22 a ". preemption: 0/3 nodes
             are available: 3 No preemption victims found for incoming pod." tail.

`parse(text)` turns any of them into a SchedMessage; `verdict(msg)` names the cause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# ---- the reason vocabulary --------------------------------------------------------------
# (regex over one reason, category). Categories: insufficient, taint, cordoned, not_ready,
# pressure, affinity, pod_affinity, spread, ports, volume_in_use, volume_affinity, pvc, dra,
# control_plane
# (a taint the scheduler names as the control-plane's), other.
_REASONS = [
    # "insufficent free resources": the 1.3 DaemonSet controller's FailedPlacement (sic)
    (r"^insufficient\b|^insufficent free resources|^too many pods|^podfitsresources"
     r"|^nodere?sourcesfit|^podexceedsfreecpu"
     r"|^podexceedsfreememory|^node didn't have enough resource", "insufficient"),
    (r"unschedulable|^checknodeunschedulable|^nodeunschedulable", "cordoned"),
    (r"taint \{node-role\.kubernetes\.io/(master|control-plane)\b", "control_plane"),
    (r"taint \{node\.kubernetes\.io/(not-ready|unreachable)\b|^nodenotready|were not ready"
     r"|^nodeunknowncondition|unknown conditions|^nodenetworkunavailable|unavailable network"
     r"|^checknodecondition|^nodeoutofdisk|out of disk space", "not_ready"),
    (r"taint \{node\.kubernetes\.io/(disk|memory|pid)-pressure\b|^nodeunder\w*pressure"
     r"|^checknode\w*pressure|had (memory|disk|pid) pressure", "pressure"),
    (r"taint|^podtoleratesnodetaints|^tainttoleration", "taint"),
    (r"cannot allocate all claims|resourceclaim|resource driver|^dynamicresources"
     r"|unallocated immediate", "dra"),
    # a volume another pod holds: a ReadWriteOncePod claim in use, or (in-tree GCE PD, EBS,
    # iSCSI, RBD) the same disk mounted by a pod on that node (v1.37.2 pkg/scheduler/framework/
    # plugins/volumerestrictions/volume_restrictions.go ErrReasonReadWriteOncePodConflict,
    # ErrReasonDiskConflict; the NoDiskConflict predicate before 1.19)
    (r"readwriteoncepod access mode already in-use|no available disk|^nodiskconflict",
     "volume_in_use"),
    # the claim itself: unbound, missing, deleted, Lost (bound to a PV that is gone), or no
    # node with the storage capacity to provision it (v1.37.2 volumebinding/binder.go
    # ErrReasonNotEnoughSpace, ErrReasonPVNotExist; volume_binding.go podHasPVCs)
    (r"unbound immediate persistentvolumeclaims|unbound persistentvolumeclaims"
     r"|persistentvolumeclaim \S+ not found|didn't find available persistent volumes"
     r"|did not have enough free storage|bound to non-existent (?:pv|persistentvolume)"
     r"|persistentvolumeclaim \S+ is being deleted|waiting for ephemeral volume controller"
     # a generic ephemeral volume's claim name taken by a PVC the pod does not own
     # (volume_binding.go@v1.37.2:340 podHasPVCs, ephemeral.VolumeIsForPod)
     r"|was not created for pod \S+ \(pod is not owner\)"
     r"|^volumebindingnomatch", "pvc"),
    (r"volume node affinity conflict|persistentvolume's node affinity|no available volume zone"
     r"|^novolumezoneconflict|^volumenodeaffinityconflict|^volumezone", "volume_affinity"),
    # "host port conflict": the <=1.3 DaemonSet controller's own FailedPlacement words
    (r"free ports|^podfitshostports|^podfitsports|^nodeports|^host port conflict", "ports"),
    (r"topology spread|^podtopologyspread|^evenpodsspread", "spread"),
    (r"pod affinity|pod anti-affinity|anti-affinity|^matchinterpodaffinity|^interpodaffinity"
     r"|^existingpodsantiaffinityrulesnotmatch|^pod(anti)?affinityrulesnotmatch", "pod_affinity"),
    (r"node selector|node affinity|^matchnodeselector|^nodeaffinity|requested hostname"
     r"|requested node name|^hostname|^nodename|service affinity|^checkserviceaffinity"
     r"|requested labels|^checknodelabelpresence", "affinity"),
    # the node's attachable-volume limit: its own filter (MaxCSIVolumeCount and the cloud
    # ones before 1.17, NodeVolumeLimits since), which runs after the taint filters in both
    # the predicate and the framework orders: a node it rejects passed TaintToleration
    # (csi-digitalocean#314: "1 node(s) had taints ..., 2 node(s) exceed max volume count")
    (r"max volume count|^maxvolumecount|^max\w*volumecount|volume limit", "volume_limit"),
    # the cluster-autoscaler's NotTriggerScaleUp counts node groups: the groups that could
    # hold the pod cannot grow (kubernetes/autoscaler#5692 "3 max node group size reached";
    # cluster-autoscaler's "max cluster cpu/memory limit reached", "in backoff after failed
    # scale-up"): a capacity shortage, read after the groups the pod does not match
    (r"max node group size reached|max cluster \w+ limit reached|in backoff after failed "
     r"scale-up", "insufficient"),
    # the coscheduling plugin (sigs.k8s.io/scheduler-plugins v0.34.7 pkg/coscheduling/core/
    # core.go CheckClusterResource, a PreFilter reason): the nodes' free resources summed fall
    # short of the PodGroup's minResources by the map it prints
    (r"^resource gap:", "insufficient"),
]
_REASONS = [(re.compile(p, re.I), c) for p, c in _REASONS]

# Filters run in this order and a node is reported under the first one it fails (1.17+
# framework: pkg/scheduler/apis/config/v1/default_plugins.go; 1.11-1.16: predicatesOrdering in
# pkg/scheduler/algorithm/predicates/predicates.go). A node counted under a later filter passed
# every earlier one, so the latest filter named is the one closest to the real blocker. Nodes
# counted under an earlier filter are unknown beyond it: since 1.17 taints are checked before
# node affinity, so "2 untolerated taint(s), 8 didn't match node affinity" cannot tell whether
# the tainted nodes are the ones the selector wants - the nodes of a dump can (see
# _tshoot.sched), the message alone cannot (EARLY_HIDES says which reasons hide which).
FRAMEWORK_ORDER = ("not_ready", "cordoned", "control_plane", "taint", "pressure", "affinity",
                   "ports", "insufficient", "volume_in_use", "volume_limit", "volume_affinity",
                   "pvc", "spread", "pod_affinity", "dra")
PREDICATE_ORDER = ("not_ready", "cordoned", "affinity", "ports", "insufficient",
                   "volume_in_use", "control_plane", "taint", "volume_limit", "volume_affinity",
                   "pvc", "pressure", "pod_affinity", "spread", "dra")

CAUSE = {"insufficient": "unschedulable_insufficient", "taint": "unschedulable_taint",
         "volume_limit": "unschedulable_insufficient",
         "control_plane": "unschedulable_taint", "cordoned": "unschedulable_cordoned",
         "not_ready": "node_not_ready", "pressure": "node_pressure", "no_nodes": "no_nodes",
         "affinity": "unschedulable_affinity", "pod_affinity": "unschedulable_pod_affinity",
         "spread": "unschedulable_topology_spread", "ports": "unschedulable_ports",
         "volume_affinity": "volume_node_affinity", "pvc": "pvc_pending", "dra": "dra_claim",
         "volume_in_use": "mount_failed",
         "other": "unschedulable_other"}

_HEAD_NEW = re.compile(r"0/(\d+) nodes are available:?\s*(.*)", re.S)
_HEAD_PRED = re.compile(r"No nodes are available that match all of the (?:following )?"
                        r"predicates:+\s*(.*)", re.S | re.I)
_HEAD_OLD = re.compile(r"failed to fit in any node\s*(.*)", re.S)
_NO_NODES = re.compile(r"no nodes available to schedule pods", re.I)
_COUNTED_NEW = re.compile(r"^(\d+)\s+(.+)$", re.S)
_COUNTED_OLD = re.compile(r"^(.+?)\s*\((\d+)\)$", re.S)
_PREEMPTION = re.compile(r"\.?\s*preemption:\s*", re.I)
_BARE = re.compile(r"\b\d+ (?:node\(s\) (?:had|didn't|were|exceed)|Insufficient \S+|Too many pods)")
# A reason with no histogram at all: 1.11-1.16 printed the volume binder's error as the whole
# FailedScheduling message ("pod has unbound immediate PersistentVolumeClaims", bitnami/charts
# #1169, minikube#6246), and users quote a reason phrase alone ("volume node affinity
# conflict", freelawproject/courtlistener#3245).
_REASON_ONLY = re.compile(r"\b(pod has unbound (?:immediate )?PersistentVolumeClaims|"
                          r"(?:node\(s\) had )?volume node affinity conflict|"
                          r"node\(s\) had no available volume zone)\b", re.I)


@dataclass
class SchedMessage:
    text: str
    era: str                        # "<=1.5", "1.6-1.8", "1.9+" (counted histogram)
    total: int | None = None        # N of "0/N nodes"
    reasons: list = field(default_factory=list)   # [(count or None, reason text)]
    preemption: str = ""            # the "preemption: ..." tail, when printed
    no_nodes: bool = False          # "no nodes available to schedule pods"

    def categories(self) -> dict:
        """{category: nodes counted}; a reason without a count covers every node."""
        out: dict = {}
        for count, reason in self.reasons:
            cat = category(reason)
            n = count if count is not None else (self.total or 1)
            out[cat] = out.get(cat, 0) + n
        return out

    def category_floor(self) -> dict:
        """{category: nodes surely counted}: the largest count among the category's reasons.
        One node can print several reasons of one category - a predicate returns all its
        failures (v1.10.0 predicates.go: InterPodAffinityMatches returns MatchInterPodAffinity
        plus ExistingPodsAntiAffinityRulesNotMatch for the same node, PodFitsResources one
        Insufficient R per resource) - so where counts overlap, their sum overstates."""
        out: dict = {}
        for count, reason in self.reasons:
            cat = category(reason)
            n = count if count is not None else (self.total or 1)
            out[cat] = max(out.get(cat, 0), n)
        return out


def category(reason: str) -> str:
    text = reason.strip().strip(".")
    for rx, cat in _REASONS:
        if rx.search(text):
            return cat
    return "other"


def parse(text: str) -> SchedMessage | None:
    """The scheduler's message in `text` (an event message, a condition, a pasted line)."""
    if not text:
        return None
    text = " ".join(str(text).split())
    if _NO_NODES.search(text):
        return SchedMessage(text, "any", no_nodes=True)
    m = _HEAD_NEW.search(text)
    pre = _PREEMPTION.search(text)
    if m and pre and pre.start() < m.start():
        head = text[:pre.start()]
        if head.strip(" ."):
            # the reasons quoted without their head, then the preemption tail (an issue
            # title: "Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: ..."):
            # the head found is the tail's, the verdict is the part before it
            found = parse(head)
            if found is not None:
                found.text, found.preemption = text, text[pre.end():]
                return found
            reasons = [(None, r) for r in _items(_until_quote(head))]
            if any(category(r) != "other" for _, r in reasons):
                return SchedMessage(text, "1.9+", None, reasons, text[pre.end():])
        # the preemption tail with no reason before it (the last line of a message laid out
        # over lines, an event row's prefix): it counts preemption outcomes ("No preemption
        # victims found", "Preemption is not helpful"), not why the nodes were filtered
        return None
    if m:
        body, tail = _split_preemption(m.group(2))
        return SchedMessage(text, "1.9+", int(m.group(1)), _counted_new(body), tail)
    m = _HEAD_PRED.search(text)
    if m:
        return SchedMessage(text, "1.6-1.8", None, _counted_old(m.group(1)))
    m = _HEAD_OLD.search(text)
    if m:
        return SchedMessage(text, "<=1.5", None, _old_fit(m.group(1)))
    m = _BARE.search(text)
    if m:  # the histogram quoted without its "0/N nodes are available:" head
        body, tail = _split_preemption(text[m.start():])
        return SchedMessage(text, "1.9+", None, _counted_new(_until_quote(body)), tail)
    m = _REASON_ONLY.search(text)
    if m:
        return SchedMessage(text, "1.9+", None, [(None, m.group(1))], "")
    return None


def _until_quote(body: str) -> str:
    return re.split(r"[`\"]", body, maxsplit=1)[0]


def _split_preemption(body: str) -> tuple[str, str]:
    parts = _PREEMPTION.split(body, maxsplit=1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def _items(body: str) -> list[str]:
    """Comma-separated reasons; a taint's `{key: value}` may hold no comma, but the 1.19-1.24
    wording puts a comma after it ("had taint {k: v}, that the pod didn't tolerate")."""
    body = body.strip().rstrip(".").strip()
    body = re.sub(r"\},\s*that the pod didn't tolerate", "} that the pod didn't tolerate", body)
    return [p.strip() for p in re.split(r",\s+", body) if p.strip()]


def _counted_new(body: str) -> list:
    """(count or None, reason) per item. The message is "0/X nodes are available:
    <PreFilterMsg>. <FilterMsg>. <PostFilterMsg>" (pkg/scheduler/framework/types.go FitError,
    v1.37.2): an uncounted piece before the counted ones is a PreFilter reason ("pod has
    unbound immediate ..."), one after them a PostFilter plugin's own note, about no node
    (1.3x DRA "no new claims to deallocate", hetzner-k3s#769), so it is left out."""
    out: list = []
    for part in _items(body):
        for piece in [p for p in re.split(r"\.\s+(?=\d+ |[a-z])", part) if p.strip()]:
            m = _COUNTED_NEW.match(piece.strip())
            if m:
                out.append((int(m.group(1)), m.group(2).strip(" .")))
            elif not any(count is not None for count, _ in out):
                out.append((None, piece.strip(" .")))
    return out


# "<reason> (<count>)" items up to the histogram's end: what follows (the user's next sentence,
# the next log field) is not a reason
_OLD_HISTOGRAM = re.compile(r"^\s*(?:[^,()]+?\s*\(\d+\)(?:\s*,\s*|\.?))+")


def _counted_old(body: str) -> list:
    out = []
    m = _OLD_HISTOGRAM.match(body)
    if m:
        body = m.group(0)
    for part in _items(body):
        m = _COUNTED_OLD.match(part.strip())
        out.append((int(m.group(2)), m.group(1).strip()) if m else (None, part))
    return out


def _old_fit(body: str) -> list:
    summary = re.search(r"fit failure summary on nodes\s*:\s*(.*)", body)
    if summary:
        return _counted_old(summary.group(1))
    found = re.findall(r"fit failure on node \(([^)]*)\):\s*([^;]+?)(?=\s*(?:;|fit failure|$))",
                       body)
    counts: dict = {}
    for _node, reasons in found:
        for reason in re.split(r",\s*", reasons.strip()):
            counts[reason.strip()] = counts.get(reason.strip(), 0) + 1
    return [(n, r) for r, n in counts.items()]


_PREDICATE_NAMES = re.compile(r"\b(MatchNodeSelector|PodToleratesNodeTaints|PodFitsHostPorts"
                              r"|MatchInterPodAffinity|CheckServiceAffinity|NodeUnder\w+Pressure"
                              r"|PodFitsResources|NoVolumeZoneConflict|HostName|NodeNotReady"
                              r"|NodeUnschedulable|MaxVolumeCount)\b")


def all_checked(msg: SchedMessage) -> bool:
    """Up to 1.9 (the releases that print predicate names) every predicate ran on every node
    (v1.6.0 core/generic_scheduler.go podFitsOnNode has no early exit), so a node adds all its
    failures and the counts overlap; from the human-readable wording on (1.11) a node stops at
    its first failure and the counts add up to the nodes."""
    return msg.era != "1.9+" or bool(_PREDICATE_NAMES.search(
        " ".join(r for _, r in msg.reasons)))


def order_for(msg: SchedMessage) -> tuple:
    """The filter order of the scheduler that wrote the message, judged by its wording."""
    if msg.era != "1.9+":
        return PREDICATE_ORDER
    words = " ".join(r for _, r in msg.reasons)
    predicate_names = _PREDICATE_NAMES.search(words)
    framework = ("untolerated taint" in words or "had taint {" in words
                 or "node affinity/selector" in words or "Too many pods" in words
                 or "topology spread" in words or "PersistentVolume's" in words
                 or msg.preemption)
    if predicate_names or not framework:
        return PREDICATE_ORDER
    return FRAMEWORK_ORDER


def verdict(msg: SchedMessage) -> tuple[str, str]:
    """(category, reason text) the scheduler's message points at.

    A reason that covers every node wins; control-plane taints and broken nodes are context
    when other reasons exist (they are meant to keep pods off); when every predicate ran on
    every node (<= 1.9) the reason failing on the most nodes wins; otherwise the latest filter
    in the scheduler's order wins (its nodes passed every earlier filter)."""
    if msg.no_nodes:  # ErrNoNodesAvailable: the scheduler's snapshot holds no Node at all
        return "no_nodes", "no nodes available to schedule pods"
    overlap = all_checked(msg)
    cats = msg.category_floor() if overlap else msg.categories()
    if not cats:
        return "other", msg.text
    for cat in ("pvc", "dra"):  # PreFilter verdicts: no node was even tried
        if cat in cats:
            return cat, _reason_of(msg, cat)
    skipped = _unevaluated(msg, cats)
    if skipped:
        return "other", skipped
    candidates = {c: n for c, n in cats.items() if c not in ("control_plane", "not_ready")} \
        or cats
    if msg.total:
        # one node prints every resource it is short of ("11 Insufficient cpu, 9 Insufficient
        # memory" of 12 nodes: NodeResourcesFit returns all of them), so a category covers
        # every node only when one of its reasons does
        floor = msg.category_floor()
        full = [c for c in candidates if floor.get(c, 0) >= msg.total]
        if len(full) == 1:
            return full[0], _reason_of(msg, full[0])
    if not overlap and _device_nodes_tainted(msg, candidates):
        return "taint", _reason_of(msg, "taint")
    if overlap and _dedicated_nodes(candidates):
        return "taint", _reason_of(msg, "taint")
    order = order_for(msg)
    if overlap:  # overlapping counts: the reason failing on the most nodes
        best = max(candidates, key=lambda c: (candidates[c],
                                              order.index(c) if c in order else -1))
        return best, _reason_of(msg, best)
    best = max(candidates, key=lambda c: (order.index(c) if c in order else -1,
                                          candidates[c]))
    return best, _reason_of(msg, best)


def _dedicated_nodes(candidates: dict[str, int]) -> bool:
    """Up to 1.9 every node lists all its failures, so "MatchNodeSelector (2),
    PodToleratesNodeTaints (1)" cannot say by counts whether the tainted node is one the
    selector wants. Nodes set aside for some pods carry both a label and a taint, and those pods
    select the label and tolerate the taint (the "dedicated nodes" use of taints,
    concepts/scheduling-eviction/taint-and-toleration.md; kops addons pinned to the master,
    kubernetes/kops#2677): a selector miss beside a taint refusal, with no node short of
    anything else, is a pod that selects the tainted nodes without tolerating their taint. When
    the selector misses every node the caller's full-coverage check has already said so.
    From 1.11 a node stops at its first failure, and since 1.35 the taint's key is not
    printed, so an untolerated taint may be the control plane's: the filter order decides."""
    return set(candidates) == {"affinity", "taint"}


def _unevaluated(msg: SchedMessage, cats: dict[str, int]) -> str:
    """A 1.11+ histogram whose reasons are all "didn't match node selector/affinity" and
    count fewer nodes than it has: from 1.11 each filtered node prints at least one reason, so
    the missing nodes - the ones the pod is pinned to - were never evaluated. A scheduler bug
    (kubernetes/kubernetes#91601: 1.18's snapshot skipped nodes, so DaemonSet pods pinned by
    matchFields found "0/13 nodes are available: 12 node(s) didn't match node selector"; fixed
    by #93355). A node that was evaluated and refused reports its own reason (a PreFilter that
    narrows to the pinned node, 1.24+, leaves that node's reason in the message), so any other
    reason keeps the usual reading."""
    if msg.era != "1.9+" or not msg.total or set(cats) != {"affinity"} \
            or any(count is None for count, _ in msg.reasons):
        return ""
    counted = sum(count for count, _ in msg.reasons)
    if counted >= msg.total:
        return ""
    return (f"the reasons account for {counted} of {msg.total} nodes, all \"didn't match\": "
            f"the {msg.total - counted} node(s) the pod is pinned to were never evaluated, a "
            "scheduler bug (kubernetes#91601, 1.18; upgrade kube-scheduler)")


def _device_nodes_tainted(msg: SchedMessage, candidates: dict[str, int]) -> bool:
    """Some nodes untolerated-tainted, the rest short of an extended resource (a device such
    as nvidia.com/gpu): a node without the device reports "Insufficient R" too (its capacity
    of R is 0: NodeResourcesFit), and device nodes are the ones given a taint (GKE taints GPU
    nodes nvidia.com/gpu=present:NoSchedule; NVIDIA/gpu-operator#102, #156; vllm-project/
    aibrix#909), so the tainted nodes are likely the ones with the device and the taint is
    the blocker. Not for cpu, memory or pods, which every node has."""
    if set(candidates) != {"taint", "insufficient"}:
        return False
    named = resources(msg)
    return bool(named) and all(_is_extended(r) for r in named)


def _is_extended(resource: str) -> bool:
    """A resource with a domain outside kubernetes.io (vendor devices: nvidia.com/gpu,
    amd.com/gpu, gpu.intel.com/i915); hugepages-*, cpu, memory and storage are not."""
    domain = resource.split("/", 1)[0] if "/" in resource else ""
    return bool(domain) and not domain.endswith("kubernetes.io")


def hidden(msg: SchedMessage, chosen: str) -> list[str]:
    """Categories reported for nodes that were rejected before the filter of `chosen`: those
    nodes might have passed it, so each is an alternative the message cannot rule out."""
    order = order_for(msg)
    if chosen not in order:
        return []
    return [c for c in msg.categories() if c in order and order.index(c) < order.index(chosen)
            and c not in ("not_ready", "control_plane", "cordoned")]


def _reason_of(msg: SchedMessage, cat: str) -> str:
    return next((r for _, r in msg.reasons if category(r) == cat), cat)


def taint_keys(msg: SchedMessage) -> list[str]:
    """Taint keys the message names ({key: value} wording of 1.19-1.34)."""
    return re.findall(r"taint \{([^:}]+)", " ".join(r for _, r in msg.reasons))


def resources(msg: SchedMessage) -> list[str]:
    """Resources named short ("Insufficient nvidia.com/gpu" -> nvidia.com/gpu; pods)."""
    out = []
    for _, reason in msg.reasons:
        m = re.match(r"Insufficient (\S+)", reason.strip())
        if m:
            out.append(m.group(1).rstrip("."))
        elif re.match(r"Too many pods", reason.strip(), re.I):
            out.append("pods")
    return out


def placement_resource(reason: str) -> str:
    """The resource of "Node didn't have enough resource: R, requested: ..." ('' otherwise)."""
    m = re.match(r"Node didn't have enough resource: ([\w./-]+)", reason.strip(), re.I)
    return m.group(1) if m else ""
