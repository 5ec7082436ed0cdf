"""Pasted text that is not a YAML/JSON dump: find the components' own messages in it.

Users paste `kubectl describe` output, event rows, `kubectl get pods` tables, log lines and
prose around them. Each line (joined with the continuation lines a terminal or YAML folding
split off) is read by _tshoot.reports.classify; the reports are grouped per subject - the pod
or node the line names (`pod/NAME` in event rows, a `kubectl get pods` row, the `Name:` of the
described object) - and each subject's strongest report becomes a finding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from k8s_skillkit.event_table import join_error_chains, unwrap_free_text

from _tshoot import kubeletmsg as km
from _tshoot.reports import NODE_CAUSES, Report, classify

_FIELD = re.compile(r"^([A-Z][A-Za-z-]*(?: [A-Za-z-]+)*):(?:\s|$)")
_NAME = re.compile(r"^ ?Name:\s+(\S+)")
_NAMESPACE = re.compile(r"^ ?Namespace:\s+(\S+)")
_ROW = re.compile(r"^(?:(?:po|pod|pods)/)?([a-z0-9][a-z0-9.-]*)\s+\d+/\d+\s+\S")
# (not a path's `pods/` segment: the kubelet's /var/lib/kubelet/pods/UID/volumes/... names the
# pod's UID, pkg/kubelet/kubelet_getters.go getPodDir, not its name)
_OBJ = re.compile(r"(?<![/~.])\b(?:pod|pods|po)/([a-z0-9][a-z0-9.-]*)")
_E2E = re.compile(r"event for ([a-z0-9][a-z0-9.-]*):")
# the kubelet names the pod in its error since 1.2x: `(pod: "NAME_NAMESPACE(UID)", container: C)`
# (v1.37.2 pkg/kubelet/kuberuntime/security_context_others.go, format.Pod)
_KUBELET_POD = re.compile(r'\(pod: "([a-z0-9][a-z0-9.-]*)_[a-z0-9][a-z0-9-]*\(')
# the controller an admission refusal is about: `replicaset/NAME` in event rows, the
# StatefulSet controller's `create Pod P in StatefulSet S failed error: ...`
_WORKLOAD = re.compile(r"\b(replicaset|replicasets|rs|deployment|deploy|statefulset|sts|daemonset"
                       r"|ds|job|replicationcontroller|rc)(?:\.\w+)*/([a-z0-9][a-z0-9.-]*)"
                       r"|\bin (StatefulSet|DaemonSet|ReplicaSet|Job) ([a-z0-9][a-z0-9.-]*) failed")
_KINDS = {"replicaset": "ReplicaSet", "replicasets": "ReplicaSet", "rs": "ReplicaSet",
          "deployment": "Deployment", "deploy": "Deployment", "statefulset": "StatefulSet",
          "sts": "StatefulSet", "daemonset": "DaemonSet", "ds": "DaemonSet", "job": "Job",
          "replicationcontroller": "ReplicationController", "rc": "ReplicationController"}
_NEW_ROW = re.compile(r"^\s*(?:Warning|Normal|\d+[smhd]\b|\d+m\d+s|<unknown>|[A-Z]\d{4} "
                      r"|[A-Z][a-z]{2} +\d+ \d|-\s|[A-Za-z][\w .]*:\s|#|```|\$|\[|>)")
# the <=1.5 scheduler's message goes on over lines of its own ("fit failure summary on nodes :
# A (2)", "fit failure on node (N): A"; v1.5.0 plugin/pkg/scheduler/generic_scheduler.go)
_FIT_LINE = re.compile(r"^\s*fit failure (?:summary on nodes|on node)")
_FENCE = re.compile(r"\s*```[\w-]*\s*")
_QUOTE = re.compile(r"^\s*(?:>\s?|│\s?|\|\s?)")


@dataclass
class Subject:
    kind: str                       # Pod, Node, PersistentVolumeClaim or "" (unknown)
    name: str
    namespace: str = ""
    reports: list = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return self.kind, self.namespace, self.name


def _block_kind(lines: list[str]) -> str:
    fields = set()
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        m = _FIELD.match(line.lstrip(" ")) if indent <= 1 else None
        if m:
            fields.add(m.group(1))
    if fields & {"Taints", "Roles", "Unschedulable", "Lease", "Allocatable", "Capacity"} and \
            not fields & {"Containers", "Controlled By", "Init Containers"}:
        return "Node"
    if any(line.strip().startswith("Namespace") and re.search(r"\s(True|False)\s", line)
           for line in lines):  # describe namespace: the namespace controller's conditions
        return "Namespace"
    if "StorageClass" in fields and "Access Modes" in fields:
        return "PersistentVolumeClaim"
    if "Pods Status" in fields:  # kubectl describe rs|rc|ds|sts|job (Deployment: StrategyType)
        return "Deployment" if "StrategyType" in fields else "ReplicaSet"
    if fields & {"Containers", "Init Containers", "Controlled By", "Node", "Status", "IP"}:
        return "Pod"
    return ""


def _blocks(lines: list[str]) -> list[tuple[int, int, str, str, str]]:
    """[(start, end, kind, name, namespace)] of each described object in the text."""
    starts = [i for i, line in enumerate(lines) if _NAME.match(_QUOTE.sub("", line))]
    out = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = [_QUOTE.sub("", x) for x in lines[start:end]]
        ns = next((m.group(1) for x in block[:6] for m in [_NAMESPACE.match(x)] if m), "")
        out.append((start, end, _block_kind(block), _NAME.match(block[0]).group(1), ns))
    return out


# one reason of the scheduler's histogram on a line of its own: a message laid out one reason
# per line ("0/12 nodes are available:\n  3 node(s) had untolerated taint {...},\n  6 node(s)
# didn't match ...\npreemption: ..."), as blogs and issue reports print it
_REASON_LINE = re.compile(r"^\s*(?:\d+ (?:node\(s\)|Insufficient|Too many|No preemption|Preemption"
                          r"|pod has|node\(s\))|preemption:)", re.I)


def _window(lines: list[str], i: int) -> tuple[str, int, int]:
    """(line i plus the continuation lines a terminal or YAML folding split off it, the lines
    a scheduler histogram laid out one reason per line took - it goes on to its end - or 1,
    the lines joined)."""
    parts = [lines[i]]
    head = re.compile(r"nodes are available:\s*$")
    histogram, laid_out = bool(head.search(_QUOTE.sub("", lines[i]))), 0
    for nxt in lines[i + 1:]:
        clean = _QUOTE.sub("", nxt)
        reason = histogram and _REASON_LINE.match(clean) is not None
        if not reason and (len(parts) >= 4 or not clean.strip()
                           or (_NEW_ROW.match(clean) and not _FIT_LINE.match(clean))
                           or _ROW.match(clean.strip())):
            break
        parts.append(clean.strip())
        laid_out = len(parts) if reason else laid_out
        histogram = histogram or bool(head.search(clean))
    return " ".join(p.strip() for p in parts), max(laid_out, 1), len(parts)


def _taint_reports(text: str) -> list[Report]:
    out = []
    for key in re.findall(r"(node\.kubernetes\.io/[a-z-]+)(?:=[^:\s]*)?:(?:NoSchedule|NoExecute)",
                          text):
        if key in km.DOWN_TAINTS:
            out.append(Report("node_not_ready", f"taint {key}", 100))
        elif key in km.PRESSURE_TAINTS:
            out.append(Report("node_pressure", f"taint {key}", 95))
        elif key == "node.kubernetes.io/unschedulable":
            out.append(Report("unschedulable_cordoned", f"taint {key}", 40))
    return out


def scan(text: str) -> list[Subject]:
    """Every subject the text reports a failure for, with its reports in text order."""
    # a console's hard wrap (every line cut at one width) joined back first, and an error
    # broken by hand after its colons (kit join_error_chains); quotes JSON-escaped in the
    # message (`pods \"web\" is forbidden`, as old kubectl event tables and JSON log lines
    # print it) read as the component wrote them
    text = text.replace('\\"', '"')
    lines = join_error_chains(unwrap_free_text(text.splitlines()))
    blocks = _blocks(lines)
    subjects: dict = {}

    def subject(kind: str, name: str, ns: str = "") -> Subject:
        key = (kind, ns, name)
        if key not in subjects:
            subjects[key] = Subject(kind, name, ns)
        return subjects[key]

    section = ""
    seen_pods = {b[3] for b in blocks if b[2] == "Pod"}
    read_until = -1  # the last line of a scheduler message already read from an earlier line
    joined_until = -1  # the last continuation line of the last scheduler message read
    for i, raw in enumerate(lines):
        line = _QUOTE.sub("", raw)
        row_seen = _ROW.match(line.strip())
        if row_seen:
            seen_pods.add(row_seen.group(1))
        block = next((b for b in blocks if b[0] <= i < b[1]), None)
        kind, name, ns = (block[2], block[3], block[4]) if block else ("", "", "")
        top = _FIELD.match(line) if not line.startswith("  ") else None
        if top:
            section = top.group(1)
        if section == "Tolerations":
            continue  # a pod's tolerations name taints it accepts, not problems
        if section == "Taints" and kind in ("Node", ""):
            for rep in _taint_reports(line):
                subject("Node", name if kind == "Node" else "", "").reports.append(rep)
            continue
        if i <= read_until or _FENCE.fullmatch(line):
            continue  # a code fence alone: the message starts on the next line, read there
        window, laid_out, joined = _window(lines, i)
        rep = classify(window)
        if rep and rep.scheduler and laid_out > 1:
            read_until = i + laid_out - 1  # its reason lines are this message's, not new ones
        rep = rep or classify(line)
        if not rep or (rep.scheduler and i <= joined_until):
            # a folded line of the scheduler message just read ("...that the\n pod didn't
            # tolerate, 9 Insufficient nvidia.com/gpu."): a fragment, not a message of its own
            continue
        if rep.scheduler:
            joined_until = max(joined_until, i + joined - 1)
        row = _ROW.match(line.strip())
        override = _OBJ.search(line) or _E2E.search(line) or _KUBELET_POD.search(line)
        workload = _WORKLOAD.search(window) if rep.detail.get("admission") else None
        if workload:
            kind_word, wname = (workload.group(1), workload.group(2)) if workload.group(1) \
                else (workload.group(3), workload.group(4))
            subject(_KINDS.get(kind_word.lower(), kind_word), wname, ns).reports.append(rep)
        elif rep.detail.get("admission") and kind in ("ReplicaSet", "Deployment"):
            subject(kind, name, ns).reports.append(rep)
        elif rep.detail.get("invalid") and rep.detail["invalid"].name:
            inv = rep.detail["invalid"]  # the refused object is named in the message
            subject(inv.kind.split(".")[0], inv.name, ns).reports.append(rep)
        elif rep.detail.get("ns_blocker"):
            subject("Namespace", rep.detail.get("namespace") or (
                name if kind == "Namespace" else ""), "").reports.append(rep)
        elif rep.cause in NODE_CAUSES and not rep.scheduler:
            subject("Node", name if kind == "Node" else "", "").reports.append(rep)
        elif override:
            subject("Pod", override.group(1), ns).reports.append(rep)
        elif row:
            subject("Pod", row.group(1), ns).reports.append(rep)
        elif kind == "PersistentVolumeClaim":
            subject("PersistentVolumeClaim", name, ns).reports.append(rep)
        elif rep.detail.get("drain_pod"):  # kubectl drain names the pod it waited for
            subject("Pod", rep.detail["drain_pod"], rep.detail.get("drain_ns") or ns
                    ).reports.append(rep)
        elif rep.detail.get("claim"):  # a provisioner's log line names its claim NS/NAME
            claim_ns, _, claim = rep.detail["claim"].partition("/")
            subject("PersistentVolumeClaim", claim, claim_ns).reports.append(rep)
        else:
            subject("Pod" if kind in ("Pod", "") else kind, name if kind == "Pod" else "",
                    ns).reports.append(rep)
    unnamed = subjects.get(("Pod", "", ""))
    if unnamed and len(seen_pods) == 1:
        # one pod in the whole paste: the unnamed lines (prose, a pasted Events table) are its
        name = seen_pods.pop()
        ns = next((s.namespace for s in subjects.values() if s.name == name), "")
        subject("Pod", name, ns).reports[:0] = unnamed.reports
        del subjects[("Pod", "", "")]
    return [s for s in subjects.values() if s.reports]
