"""Node taints in topology-aware scheduling: when Kueue checks them and when it does not.

Computed as Kueue v0.19.2 does (kubernetes-sigs/kueue at tag v0.19.2):
- pkg/cache/scheduler/tas_topology_tree.go l.125: `isLowestLevelNode: len(levels) > 0 &&
  levels[len(levels)-1] == corev1.LabelHostname` — only a Topology whose last level is
  kubernetes.io/hostname makes the TAS snapshot look at single nodes;
- pkg/cache/scheduler/tas_flavor_snapshot.go l.961: the pod set's requirements carry the pod
  template's tolerations plus the ResourceFlavor's spec.tolerations;
- tas_flavor_snapshot.go fillInCounts (l.1800-1840): with isLowestLevelNode each node goes
  through the feasibility checker; without it every leaf domain is counted as is;
- pkg/cache/scheduler/scheduling_simulator_default.go l.74: the checker drops a node with a
  taint the tolerations do not tolerate, for effects NoSchedule and NoExecute
  (pkg/util/taints IsSchedulingTaint).
So with a lowest level other than the hostname, Kueue counts a tainted node's capacity and can
assign pods to a domain whose only free node the pod does not tolerate: admitted, and the pod
stays Pending (kueue#6868, where the maintainer's fix was adding the hostname level).
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of
from k8s_skillkit.scheduling import node_taints, taint_text, untolerated_taints

from _kueue.topology_fit import flavor_nodes, levels_of

HOSTNAME = "kubernetes.io/hostname"
SCHEDULING_EFFECTS = ("NoSchedule", "NoExecute")  # pkg/util/taints IsSchedulingTaint


def checks_node_taints(levels: list[str]) -> bool:
    """isLowestLevelNode: the TAS snapshot filters single nodes (taints, nodeSelector)."""
    return bool(levels) and levels[-1] == HOSTNAME


def excluded_by_taints(nodes: list[dict], pod_tolerations: list[dict], flavor: dict,
                       levels: list[str]) -> list[tuple[dict, dict]]:
    """(node, first untolerated taint) Kueue v0.19.2 leaves out of a TAS placement: none when
    the lowest level is not the hostname, because Kueue then checks no taint at all."""
    if not checks_node_taints(levels):
        return []
    tolerations = list(pod_tolerations or []) + list(dig(flavor, "spec", "tolerations",
                                                         default=[]) or [])
    out = []
    for node in nodes:
        bad = untolerated_taints(node_taints(node), tolerations, SCHEDULING_EFFECTS)
        if bad:
            out.append((node, bad[0]))
    return out


# A NoSchedule/NoExecute taint named in the text: `key=value:NoSchedule`, or the word taint
# near the effect ("taint ... with ...:NoSchedule", "tainted NoExecute").
_TAINT_TEXT = re.compile(r"[\w./-]+(?:=[\w./-]*)?:(?:NoSchedule|NoExecute)\b"
                         r"|\btaint\w*\b[^.\n]{0,100}\b(?:NoSchedule|NoExecute)\b")


def _topologies(cluster) -> dict[str, dict]:
    return {name_of(o): o for o in cluster.others if o.get("kind") == "Topology"}


def findings(cluster) -> list[dict]:
    """A TAS ResourceFlavor whose Topology (in the input) does not end at the hostname, with
    tainted nodes in the input or a NoSchedule/NoExecute taint named in the text: Kueue places
    pods without looking at the taints. basis inferred."""
    topologies = _topologies(cluster)
    text = "\n".join(getattr(cluster, "lines", None) or cluster.texts)
    said = _TAINT_TEXT.search(text)
    out = []
    for flavor_name, flavor in sorted(cluster.flavors.items()):
        topo_name = dig(flavor, "spec", "topologyName", default="")
        topology = topologies.get(str(topo_name))
        if not topo_name or topology is None:
            continue
        levels = levels_of(topology)
        if not levels or checks_node_taints(levels):
            continue
        nodes = flavor_nodes(flavor, levels, cluster.nodes)
        tolerations = dig(flavor, "spec", "tolerations", default=[]) or []
        tainted = [(n, bad[0]) for n in nodes
                   for bad in [untolerated_taints(node_taints(n), tolerations,
                                                  SCHEDULING_EFFECTS)] if bad]
        if tainted:
            evidence = [f"node {name_of(n)} taint {taint_text(t)} (not tolerated by the flavor; "
                        f"pods' own tolerations not known here)" for n, t in tainted[:3]]
        elif said:
            evidence = [f"in the text: {' '.join(said.string[max(0, said.start() - 80):said.end()].split())[:200]}"]
        else:
            continue
        out.append(finding(
            "warning", "admitted_not_started", {"kind": "ResourceFlavor", "name": flavor_name},
            f"TAS flavor {flavor_name}: Topology {topo_name} ends at level {levels[-1]}, not "
            f"{HOSTNAME}, so Kueue places pods on domains without checking node taints (or "
            "nodeSelector/affinity): it can assign a pod to a node whose NoSchedule/NoExecute "
            "taint the pod does not tolerate, and that pod stays Pending after admission",
            [f"Topology {topo_name} levels: {', '.join(levels)}"] + evidence,
            f"add {HOSTNAME} as the lowest level of Topology {topo_name} (Kueue then drops "
            "nodes whose taints the pod template's tolerations plus the flavor's "
            "spec.tolerations do not tolerate), or remove the taint / add the toleration to "
            "the flavor's spec.tolerations",
            basis="inferred",
            confirm=f"kubectl get topology {topo_name} -o jsonpath='{{.spec.levels}}'; kubectl "
                    "get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints"))
    return out
