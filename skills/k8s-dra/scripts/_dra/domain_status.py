"""A ComputeDomain's status: what NVIDIA's driver itself reports about its IMEX domain.

NVIDIA's DRA driver (dra-driver-nvidia-gpu) runs one compute-domain daemon per node of a
ComputeDomain; each writes its node's entry into status.nodes (name, ipAddress, cliqueID,
index, status Ready|NotReady) and the domain's status.status follows them
(api/nvidia.com/resource/v1beta1/computedomain.go:112-142@95932046). The ComputeDomain
kubelet plugin prepares a workload's IMEX channel claim only when that state is Ready:
the whole domain in v25.3 ('ComputeDomain not Ready', cmd/compute-domain-kubelet-plugin/
computedomain.go:241@v25.3.2), this node's entry from v25.8 ('current node not ready in
ComputeDomain', computedomain.go:298-309@95932046). So a domain reported NotReady holds its
channel claims at prepare: the status is reported by the driver; the pods' prepare error
is its documented consequence.

Read from a `kubectl get computedomain -o yaml|json` object or from the Status block of
`kubectl describe computedomain` (its keys humanised: `Clique Id`, `Ip Address`), also when
the describe was pasted without its header.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.objects import dig, name_of

from _dra import component_lines

_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Z][\w ]*?):\s*(?P<value>.*?)\s*$")
_NODE_KEYS = {"Clique Id", "Index", "Ip Address", "Name", "Status"}
_CONFIRM = ("kubectl describe pod <workload pod> (FailedPrepareDynamicResources: 'current node "
            "not ready in ComputeDomain' or 'ComputeDomain not Ready')")


def _from_objects(objects: list[dict]) -> list[dict]:
    out = []
    for obj in objects:
        if obj.get("kind") != "ComputeDomain" or not isinstance(obj.get("status"), dict):
            continue
        nodes = [{"name": str(n.get("name", "")), "status": str(n.get("status", ""))}
                 for n in dig(obj, "status", "nodes", default=[]) or [] if isinstance(n, dict)]
        out.append({"name": name_of(obj), "status": str(dig(obj, "status", "status") or ""),
                    "nodes": nodes, "numNodes": dig(obj, "spec", "numNodes")})
    return out


def _from_describe(lines: list[str]) -> list[dict]:
    """Status blocks whose Nodes entries carry a `Clique Id` (a ComputeDomain's only)."""
    out, i = [], 0
    while i < len(lines):
        m = _KEY.match(lines[i])
        if not (m and m["key"] == "Nodes" and not m["value"]):
            i += 1
            continue
        indent, nodes, status, i = len(m["indent"]), [], "", i + 1
        while i < len(lines) and (k := _KEY.match(lines[i])) and len(k["indent"]) >= indent:
            if len(k["indent"]) == indent:
                if k["key"] != "Status":
                    break
                status = k["value"]
            elif k["key"] in _NODE_KEYS:
                if k["key"] == "Clique Id" or not nodes or k["key"] in nodes[-1]:
                    nodes.append({})
                nodes[-1][k["key"]] = k["value"]
            i += 1
        if status and any("Clique Id" in n for n in nodes):
            out.append({"name": "", "status": status, "numNodes": None,
                        "nodes": [{"name": n.get("Name", ""), "status": n.get("Status", "")}
                                  for n in nodes]})
    return out


def findings(objects: list[dict], raw: list[str], texts: list[str]) -> list[dict]:
    """One error per ComputeDomain reported NotReady; nothing for a Ready one."""
    out = []
    # a describe with its header is also an object of the kit's: read once
    for cd in _from_objects(objects) or _from_describe(raw):
        waiting = [n for n in cd["nodes"] if n["status"] != "Ready"]
        if cd["status"] == "Ready" or not cd["status"] and not waiting:
            continue
        out.append(_finding(cd, waiting, texts))
    return out


def _finding(cd: dict, waiting: list[dict], texts: list[str]) -> dict:
    listed = ", ".join(f"{n['name'] or '?'} {n['status'] or 'no status'}"
                       for n in cd["nodes"]) or "none"
    evidence = [f"ComputeDomain {cd['name'] or ''} status: {cd['status'] or '?'}".replace(
        "  ", " "), f"status.nodes ({len(cd['nodes'])}): {listed}"]
    if cd["numNodes"]:
        evidence.append(f"spec.numNodes: {cd['numNodes']}")
    evidence += component_lines.facts(texts)
    obj = {"kind": "ComputeDomain", "name": cd["name"]}
    return finding(
        "error", "driver_prepare_failed", obj,
        "the ComputeDomain is reported NotReady by NVIDIA's DRA driver (its compute-domain "
        f"daemons write the status; {_counts(cd, waiting)}): the ComputeDomain kubelet plugin does not prepare the domain's IMEX channel "
        "claims on a node until its entry is Ready (the whole domain before v25.8), so the "
        "workload pods wait at prepare (ContainerCreating)",
        evidence[:5],
        "find why each node's IMEX daemon is not Ready: kubectl get pods -n <driver namespace> "
        "-l resource.nvidia.com/computeDomain -o wide and their logs (nvidia-imex's own lines, "
        "and a node missing from status.nodes). Daemons that each log they inserted their node "
        "while the status keeps fewer nodes than numNodes ('numNodes: N, nodes seen: M') lose "
        "each other's writes (dra-driver-nvidia-gpu 8489b57f, after v0.4.1): upgrade the "
        "driver, or delete the daemon pods to let them re-register",
        basis="reported", confirm=_CONFIRM)


def _counts(cd: dict, waiting: list[dict]) -> str:
    listed = len(cd["nodes"])
    text = f"{len(waiting)} of {listed} listed node(s) not Ready"
    if isinstance(cd["numNodes"], int) and listed < cd["numNodes"]:
        text += f", {listed} of numNodes {cd['numNodes']} listed"
    return text
