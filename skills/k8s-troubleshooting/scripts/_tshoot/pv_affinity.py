"""A PersistentVolume whose required nodeAffinity names a hostname label no node carries.

Local-volume provisioners pin each PV to its node with a required term on
`kubernetes.io/hostname`. Some write the node's *name* there, but the kubelet sets the label
from the machine's hostname (`--hostname-override` aside), and on several platforms the two
differ: the label holds the IP or the short hostname while the node is named after the VM
(openebs/openebs#2695 on CFCR: node vm-5558... labelled 192.168.243.210; fixed by reading the
label of the selected node, openebs-archive/maya#1414). No node then matches the PV, and a pod
using it stays Pending ("volume node affinity conflict", the scheduler's VolumeBinding filter).

Inferred from specs: it needs the PV and the nodes' `kubernetes.io/hostname` labels (a
`kubectl get nodes -L kubernetes.io/hostname` table, or node YAML). A partial node list
decides only when the listed nodes show the label differing from their names.
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

from _tshoot.model import meta

HOSTNAME = "kubernetes.io/hostname"
_CONFIRM = f"kubectl get nodes -L {HOSTNAME}; kubectl get pv NAME -o jsonpath='{{.spec.nodeAffinity}}'"
_FIX = ("the PV's required nodeAffinity matches no node: its provisioner wrote a value the "
        f"nodes' {HOSTNAME} label does not hold (the node's name where the label is its "
        "hostname or IP). Re-create the PV (or its claim, for a dynamically provisioned "
        "volume) with the label's value, upgrade the provisioner to one that reads the "
        "selected node's label, or make the label match; pods using it stay Pending until then")


def findings(cluster) -> list[dict]:
    nodes = [n for n in cluster.by_kind.get("Node", ())
             if HOSTNAME in (meta(n, "labels", {}) or {})]
    if not nodes:
        return []
    labels = {meta(n, "labels")[HOSTNAME]: meta(n, "name") for n in nodes}
    renamed = {meta(n, "name"): meta(n, "labels")[HOSTNAME] for n in nodes
               if meta(n, "labels")[HOSTNAME] != meta(n, "name")}
    every_node = cluster.knows_all("Node")
    out = []
    for pv in cluster.by_kind.get("PersistentVolume", ()):
        wanted = _hostnames_required(pv)
        if not wanted or any(v in labels for v in wanted):
            continue
        if not (every_node or renamed):
            continue  # a partial list where names and labels agree: the node may be unlisted
        named = [v for v in wanted if v in renamed]
        why = (f"node {named[0]} is named so, but its {HOSTNAME} label is {renamed[named[0]]}"
               if named else
               f"no listed node carries {HOSTNAME}={'|'.join(wanted)}" +
               (f" (node {next(iter(renamed))} is labelled {next(iter(renamed.values()))}, "
                "not its name)" if renamed else ""))
        out.append(finding(
            "warning", "volume_node_affinity", pv,
            f"{_called(pv)} requires {HOSTNAME} in "
            f"{sorted(wanted)}: {why}",
            [f"PV nodeAffinity: {HOSTNAME} In {sorted(wanted)}",
             "nodes: " + ", ".join(f"{n} has {HOSTNAME}={h}" for h, n in list(labels.items())[:4])],
            _FIX, basis="inferred", confirm=_CONFIRM))
        out[-1].update(count=0, pods=[], _related=[])
    return out


def _called(pv: dict) -> str:
    name = meta(pv, "name")
    return f"PersistentVolume {name}" if name else "the pasted PersistentVolume"


def _hostnames_required(pv: dict) -> list[str]:
    """The hostname values a PV's required terms allow, when every term names some; [] when
    a term does not pin the hostname (it may match other nodes)."""
    terms = (((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required") or {}).get(
        "nodeSelectorTerms") or []
    values: list[str] = []
    for term in terms:
        exprs = [e for e in (term or {}).get("matchExpressions") or []
                 if e.get("key") == HOSTNAME and e.get("operator") == "In"]
        if not exprs:
            return []
        values += [str(v) for e in exprs for v in e.get("values") or []]
    return values
