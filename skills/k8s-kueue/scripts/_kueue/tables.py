"""What k8s-kueue still reads from a paste's lines beside the kit's reader.

`kubectl get` tables (workloads, pods, jobs, ...) are the kit's (k8s_skillkit.get_table):
explain_pending's Cluster gets them as partial objects (`_source: table`). Read here:
- "No resources found [in NS namespace]." after a pasted `kubectl get <kind>` (aliases k,
  oc; Kueue short names wl, lq, cq): that kind has no object in that scope;
- describe Events sections the kit left as text (after a `...` line), and describe event
  rows pasted without their header, named by the `kubectl describe workload` line above.
"""
from __future__ import annotations

import re

_DESCRIBED = re.compile(r"kubectl\s+describe\s+(?:workloads?|wl)(?:\.kueue\.x-k8s\.io)?"
                        r"(?:/(?P<slash>[\w.-]+)|(?P<args>(?:\s+\S+)*))")
_EVENTS_HEADER = re.compile(r"^\s*Type\s+Reason\s+Age\s+From\s+Message\s*$")
_ROW_START = re.compile(r"^\s*(?:Normal|Warning)\s+[A-Z]\w+\s+\d")  # a describe event row


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
    if not any("No resources found" in line for line in lines):
        return out  # one cheap scan, not a regex per line (a dump: 700,000 lines)
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
    """Events sections from the lines the paste reader left as text (the ones it read are
    already events). `kubectl get` tables are the kit's (k8s_skillkit.get_table)."""
    return _describe_events(texts)


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
