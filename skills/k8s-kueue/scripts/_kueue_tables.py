"""`kubectl get workloads` and `kubectl get pods` tables in a paste, as minimal objects.

Users often paste the default table output rather than YAML. The Workload columns come from
the CRD's additionalPrinterColumns (config/components/crd/bases/kueue.x-k8s.io_workloads.yaml):
v0.7+ `NAME QUEUE RESERVED IN ADMITTED FINISHED AGE`, v0.3-v0.6 `NAME QUEUE ADMITTED BY AGE`,
with a leading NAMESPACE column under -A and a `workload.kueue.x-k8s.io/` prefix when several
types are listed. Pods: `NAME READY STATUS RESTARTS AGE`; Jobs: `NAME STATUS COMPLETIONS
DURATION AGE` (kubectl 1.28+; older without STATUS). A `kubectl get ... -n NS` line above a
table gives its rows' namespace. What a table cannot say (requests,
conditions' messages) stays unknown; the objects carry `_source: table`.
"""
from __future__ import annotations

import re

_WORKLOAD_HEADERS = (["NAME", "QUEUE", "RESERVED IN", "ADMITTED", "FINISHED", "AGE"],
                     ["NAME", "QUEUE", "ADMITTED BY", "AGE"])
_POD_HEADER = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
# batch/v1 Job: kubectl 1.28+ prints STATUS (Running, Complete, Failed, Suspended, ...).
_JOB_HEADERS = (["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
                ["NAME", "COMPLETIONS", "DURATION", "AGE"])
_DESCRIBED = re.compile(r"kubectl\s+describe\s+(?:workloads?|wl)(?:\.kueue\.x-k8s\.io)?"
                        r"(?:/(?P<slash>[\w.-]+)|(?P<args>(?:\s+\S+)*))")
_EVENTS_HEADER = re.compile(r"^\s*Type\s+Reason\s+Age\s+From\s+Message\s*$")
_ROW_START = re.compile(r"^\s*(?:Normal|Warning)\s+[A-Z]\w+\s+\d")  # a describe event row
_PREFIX = re.compile(r"^(?:workload\.kueue\.x-k8s\.io|workloads\.kueue\.x-k8s\.io|pod)/")


# kubectl, or the aliases users paste (k, oc)
_GET = re.compile(r"(?:^|[\s$>#])(?:kubectl|k|oc)\s+get\s+(?P<what>[\w.,/-]+)(?P<args>.*)$")
_NONE_FOUND = re.compile(r"^\s*No resources found(?: in (?P<ns>[\w-]+) namespace)?\.?\s*$")
_KINDS = {"workload": "Workload", "workloads": "Workload", "wl": "Workload",
          "workloads.kueue.x-k8s.io": "Workload", "localqueue": "LocalQueue",
          "localqueues": "LocalQueue", "lq": "LocalQueue", "queues": "LocalQueue",
          "clusterqueue": "ClusterQueue", "clusterqueues": "ClusterQueue", "cq": "ClusterQueue"}


def empty_listings(lines: list[str]) -> dict[str, set]:
    """`kubectl get <kind> ...` answered "No resources found": that kind has no object in
    the listed scope ("*" = all namespaces). The one way a paste proves an absence."""
    out: dict[str, set] = {}
    command = None
    for line in lines:
        found = _GET.search(line)
        if found:
            command = found
            continue
        empty = _NONE_FOUND.match(line)
        if empty and command is not None:
            kind = _KINDS.get(command.group("what").lower())
            args = command.group("args")
            if kind:
                scope = "*" if re.search(r"(^|\s)(-A|--all-namespaces)\b", args) else \
                    (empty.group("ns") or _namespace_arg(args) or "default")
                out.setdefault(kind, set()).add(scope)
        if line.strip():
            command = None if not found else command
    return out


def _namespace_arg(args: str) -> str:
    found = re.search(r"(?:-n|--namespace)[= ](\S+)", args)
    return found.group(1) if found else ""


def objects_from_tables(lines: list[str], texts: list[str]) -> list[dict]:
    """`kubectl get` tables from the paste's lines; Events sections only from the lines the
    paste reader left as text (the ones it read are already events)."""
    return _get_tables(lines) + _describe_events(texts)


def _describe_events(lines: list[str]) -> list[dict]:
    """An Events section the paste reader left as text (e.g. after a `...` line), read with
    the kit's describe-events parser; the Workload is named by the `kubectl describe` line
    above it, when there is one. Rows pasted without their header (a user quoting the
    lines that matter) are read one by one with the same parser."""
    try:
        from k8s_skillkit.event_table import parse_describe_events
    except ImportError:  # an older kit
        return []
    out, name, in_section = [], "", False
    for index, line in enumerate(lines):
        found = _DESCRIBED.search(line)
        if found:
            name = found.group("slash") or _first_name(found.group("args") or "")
        if _EVENTS_HEADER.match(line):
            section = lines[index:]
            end = next((k for k, text in enumerate(section) if k and not text.strip()),
                       len(section))
            out += parse_describe_events(section[:end], {"kind": "Workload", "name": name})
            in_section = True
            continue
        if not line.strip():
            in_section = False
        if not in_section and _ROW_START.match(line):
            out += parse_describe_events([line], {"kind": "Workload", "name": name})
    return out


def _first_name(args: str) -> str:
    """The object name among `kubectl describe workload` arguments (flags and their values
    skipped): `-n ns name`, `name -n ns`, `--namespace=ns name`."""
    tokens, skip = args.split(), False
    for token in tokens:
        if skip:
            skip = False
            continue
        if token in ("-n", "--namespace", "-l", "--selector", "--context"):
            skip = True
            continue
        if token.startswith("-"):
            continue
        return token
    return ""


def _get_tables(lines: list[str]) -> list[dict]:
    out, header, kind, namespace = [], None, "", ""
    for line in lines:
        command = _GET.search(line)
        if command:  # `kubectl get job -n test`: the rows below are in namespace test
            namespace = _namespace_arg(command.group("args"))
            continue
        columns = _columns(line)
        if columns is not None:
            header, kind = columns
            continue
        if header is None or not line.strip():
            header = None if not line.strip() else header
            continue
        cells = _cells(line, header)
        if cells is None:
            header = None
            continue
        if namespace and not cells.get("NAMESPACE"):
            cells["NAMESPACE"] = namespace
        out.append({"Workload": _workload, "Pod": _pod, "Job": _job}[kind](cells))
    return out


def _columns(line: str):
    """((name, start offset) list, kind) when the line is a header this module reads."""
    text = line.rstrip()
    for names, kind in [(h, "Workload") for h in _WORKLOAD_HEADERS] + [(_POD_HEADER, "Pod")] \
            + [(h, "Job") for h in _JOB_HEADERS]:
        for lead in ([], ["NAMESPACE"]):
            wanted = lead + names
            offsets, pos = [], 0
            for name in wanted:
                at = text.find(name, pos)
                if at < 0 or text[pos:at].strip():
                    break
                offsets.append((name, at))
                pos = at + len(name)
            else:
                if not text[pos:].strip():
                    return offsets, kind
    return None


def _cells(line: str, header) -> dict | None:
    if len(line.rstrip()) < header[-1][1]:
        return None
    # A row's cells start at the header's offsets after a blank; prose under a table
    # (a sentence the user wrote) does not.
    if any(start and line[start - 1:start] not in (" ", "") for _, start in header):
        return None
    cells = {}
    for i, (name, start) in enumerate(header):
        end = header[i + 1][1] if i + 1 < len(header) else None
        cells[name] = line[start:end].strip() if end else line[start:].strip()
    name = cells.get("NAME", "")
    return cells if name and not re.search(r"\s", name) else None


def _meta(cells: dict) -> dict:
    meta = {"name": _PREFIX.sub("", cells["NAME"])}
    if cells.get("NAMESPACE"):
        meta["namespace"] = cells["NAMESPACE"]
    return meta


def _workload(cells: dict) -> dict:
    reserved = cells.get("RESERVED IN") or cells.get("ADMITTED BY") or ""
    # "ADMITTED BY" (v0.3-v0.6) prints status.admission.clusterQueue: the quota reservation.
    # From v0.5 admission checks may still be pending then (kueue#1790), so it says nothing
    # about Admitted.
    admitted = cells.get("ADMITTED", "")
    conditions = []
    if reserved:
        conditions.append({"type": "QuotaReserved", "status": "True"})
    if admitted in ("True", "False"):
        conditions.append({"type": "Admitted", "status": admitted})
    if cells.get("FINISHED") == "True":
        conditions.append({"type": "Finished", "status": "True"})
    status = {"conditions": conditions}
    if reserved:
        status["admission"] = {"clusterQueue": reserved}
    return {"kind": "Workload", "metadata": _meta(cells),
            "spec": {"queueName": cells.get("QUEUE", "")}, "status": status,
            "_source": "table"}


def _job(cells: dict) -> dict:
    state = cells.get("STATUS", "")
    status = {"conditions": [{"type": "Suspended", "status": "True"}]} \
        if state == "Suspended" else {}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta(cells),
            "spec": {"suspend": state == "Suspended"} if state else {}, "status": status,
            "_source": "table"}


def _pod(cells: dict) -> dict:
    state = cells.get("STATUS", "")
    phase = state if state in ("Pending", "Running", "Succeeded", "Failed") else \
        "Pending" if state in ("SchedulingGated", "ContainerCreating", "Init:0/1") else ""
    return {"kind": "Pod", "metadata": _meta(cells), "status": {"phase": phase,
                                                             "reason": state},
            "_source": "table"}
