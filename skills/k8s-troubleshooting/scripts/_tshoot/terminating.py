"""Objects stuck Terminating: what blocks their deletion, from what the API server and the
namespace controller wrote.

A Namespace: the namespace controller records why deletion does not finish in status
conditions (Kubernetes 1.16+; kubernetes v1.37.2 pkg/controller/namespace/deletion/
status_condition_utils.go): NamespaceDeletionDiscoveryFailure ("Discovery failed for some
groups, N failing: ..."; an aggregated APIService that does not answer), ...ContentFailure
("Failed to delete all resource types, N remaining: ..."), NamespaceContentRemaining ("Some
resources are remaining: R.G has N resource instances") and NamespaceFinalizersRemaining
("Some content in the namespace has finalizers remaining: F in N resource instances"). Its
log line is "deletion of namespace NS failed: ERR" (v1.22-v1.25 namespace_controller.go) or
"Deletion of namespace failed" err=... namespace="NS" (v1.37.2, structured).

A Pod: metadata.deletionTimestamp set and metadata.finalizers not empty: the API server keeps
the object until every finalizer is removed; `foregroundDeletion` (set by the garbage
collector for `--cascade=foreground`) waits for dependents that block owner deletion. Without
finalizers a deleted pod goes once its kubelet confirms; a node that is gone never does: the
node lifecycle controller marks such pods (status.reason NodeLost, kubernetes v1.10-v1.17
pkg/util/node/node.go NodeUnreachablePodReason; a `NodeNotReady` "Node is not ready" Warning
event, v1.37.2 pkg/controller/util/node/controller_utils.go MarkPodsNotReady).
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

from _tshoot.model import meta

DISCOVERY = re.compile(r"Discovery failed for some groups|unable to retrieve the complete list "
                       r"of server APIs", re.I)
_GROUPS = re.compile(r"([a-z0-9.-]+\.[a-z]{2,}(?:\.[a-z]+)*/v[0-9a-z]+): the server (?:is "
                     r"currently unable to handle the request|could not find the requested "
                     r"resource)|([a-z0-9.-]+\.[a-z]{2,}/v[0-9a-z]+): ", re.I)
FINALIZERS = re.compile(r"has finalizers remaining: (.*)", re.I)
REMAINING = re.compile(r"Some resources are remaining: (.*)", re.I)
CONTENT_FAILED = re.compile(r"Failed to delete all resource types, \d+ remaining: (.*)", re.I)
# the namespace controller's log line, both wordings
NS_LOG = re.compile(r"deletion of namespace (?P<ns>[a-z0-9.-]+) failed: (?P<err>.*)|"
                    r"Deletion of namespace failed.*?namespace=\"?(?P<ns2>[a-z0-9.-]+)", re.I)
NAMESPACE_STUCK = re.compile(NS_LOG.pattern + r"|" + DISCOVERY.pattern + r"|" +
                             FINALIZERS.pattern + r"|" + REMAINING.pattern + r"|" +
                             CONTENT_FAILED.pattern, re.I)
# kubectl drain evicted the pod (the eviction API accepted it: no budget refused) and the pod
# was still there when the drain's timeout ran out: kubectl pkg/drain/drain.go v0.18.0:305 ..
# v0.26.0:357 "error when waiting for pod %q terminating: %v", v0.27.0:345 .. v0.37.2 "error
# when waiting for pod %q in namespace %q to terminate: %v" (v0.37.2:373; longhorn/longhorn#1286)
DRAIN_WAIT = re.compile(r"error when waiting for pod \"(?P<name>[^\"]+)\" (?:terminating|in "
                        r"namespace \"(?P<ns>[^\"]+)\" to terminate): "
                        r"(?P<err>[^\],\n]*?)(?=\s+error when |[\],\n]|$)", re.I)
_BLOCKING = ("NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
             "NamespaceDeletionContentFailure", "NamespaceFinalizersRemaining",
             "NamespaceContentRemaining")


def namespace_of_message(text: str) -> str:
    """The namespace a namespace-controller log line names ("" when none)."""
    match = NS_LOG.search(text)
    return (match.group("ns") or match.group("ns2") or "") if match else ""


def _discovery_blocker(groups: list[str]) -> tuple[str, str]:
    """(what blocks the deletion, the fix) when discovery of these group/versions fails."""
    groups = list(dict.fromkeys(groups))
    names = [f"{g.split('/')[1]}.{g.split('/')[0]}" for g in groups]
    what = (f"API discovery fails for {', '.join(groups)}" if groups else
            "API discovery fails for an aggregated API group")
    return (f"{what}: an APIService does not answer, so the namespace controller cannot "
            "list every type and never finishes"),\
        ("kubectl get apiservice | grep False shows it"
         + (f" ({', '.join(names)})" if names else "")
         + ": bring back the Service behind it (e.g. the metrics-server pods), or delete "
           "the APIService if its add-on was removed (kubectl delete apiservice "
         + (names[0] if names else "NAME") + "); the namespace then finishes by itself")


# client-go's cached discovery logging one group/version it cannot list, in the log of any
# component that uses it (the controller manager, kubectl): "couldn't get resource list for
# %v: %v" (k8s.io/client-go discovery/cached/memory/memcache.go, up to the v0.3x releases that
# still call utilruntime.HandleError(fmt.Errorf(...)); kubeflow/kubeflow#4778) and, structured,
# "Couldn't get resource list" ... gv="G/V" (client-go v0.37.2 memcache.go:133, :403
# groupVersion=). On its own it says an aggregated API is down, not that anything is stuck.
_MEMCACHE = re.compile(r"couldn't get resource list for (?P<gv>[a-z0-9.-]+\.[a-z]{2,}[a-z.]*/"
                       r"v[0-9a-z]+): |Couldn't get resource list\b[^\n]*?\b(?:gv|groupVersion)"
                       r"=\"?(?P<gv2>[a-z0-9.-]+\.[a-z]{2,}[a-z.]*/v[0-9a-z]+)", re.I)


def discovery_failures(text: str) -> list[tuple[str, str]]:
    """(group/version, the line) for each discovery failure the text logs: the namespace
    controller's own wording (DISCOVERY) or client-go's cached discovery (_MEMCACHE)."""
    out = []
    for line in text.splitlines():
        if DISCOVERY.search(line):
            groups = [g for m in _GROUPS.finditer(line) for g in m.groups() if g]
            out += [(g, line.strip()) for g in groups] or [("", line.strip())]
        for m in _MEMCACHE.finditer(line):
            out.append((m.group("gv") or m.group("gv2"), line.strip()))
    return out


def blocker(text: str, ns: str = "NS") -> tuple[str, str]:
    """(what blocks the deletion, the fix) from one namespace-controller message."""
    discovery = DISCOVERY.search(text)
    if discovery:
        return _discovery_blocker([g for m in _GROUPS.finditer(text) for g in m.groups() if g])
    finalizers = FINALIZERS.search(text)
    if finalizers:
        held = finalizers.group(1).strip().rstrip(".")
        return (f"objects in it still carry finalizers ({held}) that no running controller "
                "removes"), \
            ("run the controller that owns those finalizers again (reinstall or scale it up) "
             "so it finishes its cleanup; only if it is gone for good, remove the finalizer "
             f"from each object (kubectl patch RESOURCE NAME -n {ns} --type merge -p "
             "'{\"metadata\":{\"finalizers\":null}}'), which skips its cleanup")
    remaining = REMAINING.search(text)
    if remaining:
        left = remaining.group(1).strip().rstrip(".")
        return (f"content is left in it ({left})"), \
            (f"list what is left (kubectl get {left.split(' has ')[0]} -n {ns} -o yaml): "
             "objects that keep a deletionTimestamp carry finalizers - their controller must "
             "remove them")
    failed = CONTENT_FAILED.search(text)
    if failed:
        return (f"deleting its content fails ({failed.group(1).strip()[:200]})"), \
            ("the errors name what refused the deletion (an admission webhook that is down, "
             "a conversion webhook, RBAC of the controller): fix that, the controller retries")
    log = NS_LOG.search(text)
    if log:
        return (f"the namespace controller fails: {(log.group('err') or '').strip()[:200]}"), \
            (f"kubectl get namespace {ns} -o yaml: its status.conditions name what is left")
    return "its deletion does not finish", \
        (f"kubectl get namespace {ns} -o yaml: its status.conditions name what is left")


# `kubectl get namespaces`: NAME, STATUS (the phase: Active or Terminating), AGE (k8s.io/kubernetes
# v1.37.2 pkg/printers/internalversion/printers.go printNamespace); rows read here when the
# kit did not take the table (a prompt it does not know before the command line)
_NS_HEADER = re.compile(r"^\s*NAME\s+STATUS\s+AGE\s*$")
_NS_ROW = re.compile(r"^\s*(?P<name>[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\s+(?P<phase>Active|"
                     r"Terminating)\s+(?P<age>\d+[smhdy][\dsmhdy]*|<unknown>)\s*$")


def namespace_rows(text: str) -> list[dict[str, Any]]:
    """Namespaces (partial objects, `_source: table`) of every `kubectl get namespaces`
    table in the text: a NAME STATUS AGE header and the rows under it."""
    out, inside = [], False
    for line in text.splitlines():
        if _NS_HEADER.match(line):
            inside = True
            continue
        row = _NS_ROW.match(line) if inside else None
        if not row:
            inside = False
            continue
        name, phase, age = row.group("name", "phase", "age")
        out.append({"kind": "Namespace", "metadata": {"name": name}, "status": {"phase": phase},
                    "_source": "table", "_columns": {"NAME": name, "STATUS": phase, "AGE": age}})
    return out


def namespace_findings(cluster) -> list[dict]:
    out = []
    for ns in cluster.by_kind.get("Namespace", ()):
        status = ns.get("status") or {}
        columns = ns.get("_columns") or {}
        if not (status.get("phase") == "Terminating" or meta(ns, "deletionTimestamp")
                or columns.get("STATUS") == "Terminating"):
            continue
        name = meta(ns, "name")
        if any(o is not ns and meta(o, "name") == name and o.get("_source") != "table"
               for o in cluster.by_kind.get("Namespace", ())) and ns.get("_source") == "table":
            continue  # the YAML of the same namespace says more than its table row
        conds = [c for c in status.get("conditions") or []
                 if c.get("type") in _BLOCKING and c.get("status") == "True"]
        conds.sort(key=lambda c: _BLOCKING.index(c["type"]))
        if conds:
            why, fix = blocker(conds[0].get("message") or "", name)
            evidence = [f"{c['type']}=True {c.get('reason', '')}: \"{c.get('message', '')}\""
                        for c in conds]
            out.append(_finding(ns, f"namespace {name} is stuck Terminating: {why}", evidence,
                                fix, "reported"))
            continue
        left = (ns.get("spec") or {}).get("finalizers") or []
        evidence = [f"deletionTimestamp {meta(ns, 'deletionTimestamp')}"
                    if meta(ns, "deletionTimestamp") else "phase Terminating"]
        failing = discovery_failures(getattr(cluster, "text", "") or "")
        if failing:
            # the paste logs a discovery failure beside the namespace: the blocker the
            # namespace controller reports then (NamespaceDeletionDiscoveryFailure), inferred
            # until its condition shows it
            why, fix = _discovery_blocker([g for g, _ in failing if g])
            out.append(_finding(
                ns, f"namespace {name} is stuck Terminating: {why}",
                evidence + [f"log: {failing[0][1][:240]}"], fix, "inferred",
                f"kubectl get namespace {name} -o jsonpath='{{.status.conditions}}' "
                "(NamespaceDeletionDiscoveryFailure)"))
            continue
        if left:
            evidence.append(f"spec.finalizers: {', '.join(left)} (the namespace controller "
                            "removes 'kubernetes' once the namespace is empty)")
        out.append(_finding(
            ns, f"namespace {name} is Terminating; the paste does not show what blocks it",
            evidence, "the usual blockers: an APIService that does not answer (kubectl get "
            "apiservice | grep False) or objects whose finalizers no controller removes",
            "inferred", f"kubectl get namespace {name} -o jsonpath='{{.status.conditions}}'"))
    return out


def _finding(ns: dict, message: str, evidence: list, fix: str, basis: str,
             confirm: str = "") -> dict:
    obj = {"kind": "Namespace", "namespace": "", "name": meta(ns, "name")}
    f = finding("error", "stuck_terminating", obj, message, evidence, fix, basis=basis,
                confirm=confirm)
    f.update(count=0, pods=[], _related=[meta(ns, "name")])
    return f


def pod_findings(cluster, said_terminating: bool) -> list[dict]:
    """Pods whose deletion waits for finalizers (deletionTimestamp set, or the paste says the
    pod is Terminating)."""
    out = []
    for pod in cluster.pods():
        m = pod.get("metadata") or {}
        if not m.get("finalizers") and not m.get("deletionTimestamp"):
            continue  # most pods: nothing holds them, nothing deletes them
        held = [f for f in meta(pod, "finalizers", []) or [] if f]
        deleting = meta(pod, "deletionTimestamp")
        name, ns = meta(pod, "name"), meta(pod, "namespace")
        if deleting and not held:
            lost = _node_lost(cluster, pod)
            if lost:
                f = finding("error", "stuck_terminating", pod, f"pod {name} is stuck Terminating:"
                            " its node does not confirm the deletion", [
                                f"metadata.deletionTimestamp: {deleting}", lost],
                            "if the node is gone for good, delete its Node object (its pods go "
                            f"with it) or force the pod: kubectl delete pod {name} -n {ns} "
                            "--grace-period=0 --force (a StatefulSet pod only once the machine "
                            "is surely down: two copies may run otherwise)", basis="reported")
                f.update(count=1, pods=[name], _related=[name])
                out.append(f)
            continue
        if not held or not (deleting or said_terminating):
            continue
        evidence = [f"metadata.finalizers: {', '.join(held)}"]
        if deleting:
            evidence.insert(0, f"metadata.deletionTimestamp: {deleting}")
        why = f"its deletion waits for finalizer(s) {', '.join(held)}"
        fix = (f"find the controller that should remove {held[0]} and why it does not; "
               f"only then: kubectl patch pod {name} -n {ns} --type merge -p "
               "'{\"metadata\":{\"finalizers\":null}}'")
        if "foregroundDeletion" in held:
            why += (" (foreground deletion: the garbage collector removes it once every "
                    "dependent that blocks owner deletion is gone)")
            fix = ("find the pod's dependents (objects whose ownerReferences name the pod with "
                   "blockOwnerDeletion: true) and why they are not deleted; removing the "
                   f"finalizer (kubectl patch pod {name} -n {ns} --type merge -p "
                   "'{\"metadata\":{\"finalizers\":null}}') lets the pod go")
        f = finding("error", "stuck_terminating", pod, f"pod {name} is stuck Terminating: {why}",
                     evidence, fix, basis="reported")
        f.update(count=1, pods=[name], _related=[name])
        out.append(f)
    return out


def _node_lost(cluster, pod: dict) -> str:
    """Evidence that the pod's node is gone or unreachable ("" when none)."""
    status = pod.get("status") or {}
    if status.get("reason") == "NodeLost":
        return f"status.reason NodeLost: \"{status.get('message', '')}\""
    node_name = (pod.get("spec") or {}).get("nodeName", "")
    node = cluster.get("Node", "", node_name) if node_name else None
    if node is not None:
        ready = next((c for c in (node.get("status") or {}).get("conditions") or []
                      if c.get("type") == "Ready"), None)
        if ready and ready.get("status") != "True":
            return (f"node {node_name} Ready={ready.get('status')} "
                    f"({ready.get('reason', '')})")
    for event in cluster.events_for("Pod", meta(pod, "namespace"), meta(pod, "name")):
        if event.get("reason") == "NodeNotReady":
            return f"event NodeNotReady: \"{event.get('message', '')}\""
    return ""


def claim_rows(cluster) -> list[dict]:
    """PersistentVolumeClaims a `kubectl get pvc` table prints as Terminating (deletionTimestamp
    set, printers.go v1.37.2:2186): the kubernetes.io/pvc-protection finalizer holds a claim
    while a pod uses it (pkg/controller/volume/pvcprotection), and a driver's or backup tool's
    own finalizer while its controller has not removed it (FairwindsOps/gemini#29: a restore
    left the claim Terminating; its README's fix patches the finalizers after the cause is
    known). Inferred: the row shows the state, not what holds it."""
    rows = [c for c in cluster.by_kind.get("PersistentVolumeClaim", ())
            if c.get("_source") == "table" and (c.get("status") or {}).get("reason") ==
            "Terminating"]
    if not rows:
        return []
    name, ns = meta(rows[0], "name"), meta(rows[0], "namespace") or "NAMESPACE"
    f = finding("warning", "stuck_terminating", rows[0],
                f"{len(rows)} PersistentVolumeClaim(s) shown Terminating: the deletion was asked "
                "for and a finalizer holds it - kubernetes.io/pvc-protection while a pod still "
                "uses the claim, or a storage/backup controller's own finalizer",
                [f"PersistentVolumeClaim {meta(c, 'name')} Terminating (a table row)"
                 for c in rows[:3]],
                f"find what holds it: pods that mount it (kubectl get pods -n {ns} -o json | "
                f"grep -w {name}) keep pvc-protection until they are gone; for another finalizer "
                "fix or restart its controller; only then remove it: kubectl patch pvc "
                f"{name} -n {ns} --type merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'",
                basis="inferred",
                confirm=f"kubectl get pvc {name} -n {ns} -o jsonpath='{{.metadata.finalizers}}'")
    f.update(count=len(rows), pods=[], _related=[meta(c, "name") for c in rows])
    return [f]
