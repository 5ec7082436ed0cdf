"""`kubectl get events` tables and the Events section of `kubectl describe`, as Event dicts.

Column layouts kubectl has printed (k8s.io/kubernetes pkg/printers/internalversion/printers.go
eventColumnDefinitions; before 1.9, pkg/kubectl/resource_printer.go eventColumns):
- 1.14+  LAST SEEN  TYPE  REASON  OBJECT  MESSAGE
         -o wide: LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME
- 1.9-1.13  LAST SEEN  FIRST SEEN  COUNT  NAME  KIND  SUBOBJECT  TYPE  REASON  SOURCE  MESSAGE
- <= 1.8    LASTSEEN  FIRSTSEEN  COUNT  NAME  KIND  SUBOBJECT  TYPE  REASON  SOURCE  MESSAGE
each with a leading NAMESPACE column under --all-namespaces. OBJECT is `kind/name` with the
kind lower-cased; old NAME is the involved object's name; old SOURCE is `{component host}`
(1.5, Go's %v of EventSource) or `component, host` (formatEventSource, 1.9+).

Describe (k8s.io/kubectl pkg/describe/describe.go DescribeEvents):
- 1.9+  `Type  Reason  Age  From  Message`, Age `5m` or `3m (x4 over 10m)`; since 1.30 the
        involved object's fieldPath is prefixed to the message (`spec.containers{c}: ...`)
- <= 1.8  `FirstSeen  LastSeen  Count  From  SubObjectPath  Type  Reason  Message`
        (kubernetes v1.5.0 pkg/kubectl/describe.go); no events: `No events.` / `<none>`.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from .dump import RESOURCES

_COLUMN_NAMES = ("NAMESPACE", "LAST SEEN", "LASTSEEN", "FIRST SEEN", "FIRSTSEEN", "COUNT",
                 "NAME", "KIND", "SUBOBJECT", "TYPE", "REASON", "OBJECT", "SOURCE", "MESSAGE")
_COLUMN = re.compile("|".join(re.escape(c) for c in sorted(_COLUMN_NAMES, key=len,
                                                              reverse=True)))
_TYPES = ("Normal", "Warning")
_KINDS = {kind.lower(): kind for kind in RESOURCES}
_KINDS.update({"replicationcontroller": "ReplicationController", "endpoints": "Endpoints",
               "horizontalpodautoscaler": "HorizontalPodAutoscaler",
               "poddisruptionbudget": "PodDisruptionBudget", "ingress": "Ingress",
               "endpointslice": "EndpointSlice", "lease": "Lease",
               "jobset": "JobSet", "rayjob": "RayJob", "raycluster": "RayCluster",
               "pytorchjob": "PyTorchJob", "mpijob": "MPIJob", "leaderworkerset":
               "LeaderWorkerSet", "provisioningrequest": "ProvisioningRequest"})
_FIELD_PATH = re.compile(r"^(spec\.(?:initContainers|containers|ephemeralContainers)"
                         r"\{[^}]*\}):\s+")


def header_columns(line: str) -> list[tuple[str, int]] | None:
    """[(column, start offset)] when the line is a `kubectl get events` header."""
    stripped = line.strip()
    found = [(m.group(0), m.start()) for m in _COLUMN.finditer(line)]
    names = [name for name, _ in found]
    covered = "".join(re.sub(r"\s+", " ", n) for n in names)
    if not ("REASON" in names and "MESSAGE" in names and ("LAST SEEN" in names
                                                           or "LASTSEEN" in names)):
        return None
    if len(covered.replace(" ", "")) != len(stripped.replace(" ", "")):
        return None  # other words on the line: not a header
    return found


def kind_from_lower(kind: str) -> str:
    return _KINDS.get(kind.lower(), kind[:1].upper() + kind[1:])


def parse_source(text: str) -> dict[str, Any]:
    """`default-scheduler`, `kubelet, node-1` or `{kubelet node-1}` -> EventSource.

    Only the 1.5 form (Go's %v of EventSource, in braces) separates the host with a space;
    1.9+ kubectl prints `component, host` (formatEventSource), so a component with spaces
    (`resource driver gpu.resource.nvidia.com`, dynamic-resource-allocation v0.27.0
    controller/controller.go:178) stays whole.
    """
    text = text.strip()
    braced = text.startswith("{") and text.endswith("}")
    text = text.strip("{}").strip()
    if not text:
        return {}
    if "," in text:
        component, host = (p.strip() for p in text.split(",", 1))
    elif braced:
        component, _, host = text.partition(" ")
    else:
        component, host = text, ""
    source = {"component": component}
    if host.strip():
        source["host"] = host.strip()
    return source


def _event(namespace: str, involved: dict[str, Any], type_: str, reason: str, message: str,
           count: int, source: str, name: str = "", last_seen: str = "") -> dict[str, Any]:
    message = message.strip()
    involved = dict(involved)
    match = _FIELD_PATH.match(message)
    if match and not involved.get("fieldPath"):
        involved["fieldPath"] = match.group(1)
        message = message[match.end():]
    if namespace and not involved.get("namespace") and involved.get("kind") not in (
            "Node", "ClusterQueue", "ResourceFlavor", "Namespace", "PersistentVolume"):
        involved["namespace"] = namespace
    event = {"apiVersion": "v1", "kind": "Event",
             "metadata": {"name": name, "namespace": namespace},
             "involvedObject": involved, "type": type_, "reason": reason,
             "message": message, "count": count, "source": parse_source(source)}
    if last_seen:
        event["_lastSeen"] = last_seen  # relative age as printed; no absolute timestamp
    return event


def _count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 1


# --- kubectl get events ----------------------------------------------------------------

def parse_table(lines: list[str], namespace: str = "") -> list[dict[str, Any]]:
    """A header line and its rows -> Events. Continuation lines join the previous message."""
    columns = header_columns(lines[0])
    if columns is None:   # paste.py hands over segments that start at such a header
        raise ValueError(f"not a kubectl get events header: {lines[0]!r}")
    names = [name.replace("LASTSEEN", "LAST SEEN").replace("FIRSTSEEN", "FIRST SEEN")
             for name, _ in columns]
    events: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for line in unwrap(lines[1:], lambda row: bool(_cells_by_offsets(row, columns))):
        if not line.strip() or set(line.strip()) <= {"-", " "}:
            continue
        cells = _cells_by_offsets(line, columns)
        if cells is None or _split_word_cells(cells):
            cells = _cells_by_tokens(line, names)
        if cells is None:
            if rows:
                rows[-1]["MESSAGE"] = f"{rows[-1]['MESSAGE']} {line.strip()}".lstrip()
            continue
        rows.append(cells)
    for cells in rows:
        events.append(_table_event(cells, namespace))
    return events


# A row of `kubectl get events` (1.14+ layout) pasted without its header line: LAST SEEN, TYPE,
# REASON, OBJECT (`kind/name`, kind lower-cased), MESSAGE, with a leading NAMESPACE under
# --all-namespaces. Users often copy the rows only (e.g. kubernetes-sigs/kueue#9048).
_AGE_CELL = r"(?:<unknown>|<invalid>|\d+(?:\.\d+)?[smhdy](?:\d+[smhdy])*)"
_BARE_ROW = re.compile(r"^\s*(?:([a-z0-9][a-z0-9.-]*)\s+)?(" + _AGE_CELL + r")\s+(Normal|Warning)"
                       r"\s+([A-Za-z][A-Za-z0-9]*)\s+([a-z][a-z0-9.-]*/\S+)\s+(\S.*)$")


def is_bare_row(line: str) -> bool:
    """`line` is a `kubectl get events` row (1.14+ columns) whose header was not pasted."""
    return bool(_BARE_ROW.match(line))


def parse_bare_rows(lines: list[str], namespace: str = "") -> list[dict[str, Any]]:
    """Header-less `kubectl get events` rows -> Events; other lines continue a message."""
    rows: list[dict[str, Any]] = []
    for line in lines:
        match = _BARE_ROW.match(line)
        if match:
            ns, age, type_, reason, obj, message = match.groups()
            rows.append({"NAMESPACE": ns or "", "LAST SEEN": age, "TYPE": type_,
                         "REASON": reason, "OBJECT": obj, "MESSAGE": message.strip()})
        elif rows and line.strip():
            rows[-1]["MESSAGE"] = f"{rows[-1]['MESSAGE']} {line.strip()}"
    return [_table_event(cells, namespace) for cells in rows]


def _cells_by_offsets(line: str, columns: list[tuple[str, int]]) -> dict[str, Any] | None:
    cells = {}
    offsets = [start for _, start in columns]
    if len(line) <= offsets[-1] and columns[-1][0] == "MESSAGE":
        return None
    for index, (name, start) in enumerate(columns):
        end = offsets[index + 1] if index + 1 < len(offsets) else len(line)
        if start > 0 and start <= len(line) and line[start - 1] != " ":
            return None  # the cell boundary falls inside a word: not aligned
        cells[name.replace("LASTSEEN", "LAST SEEN").replace("FIRSTSEEN", "FIRST SEEN")] = \
            line[start:end].strip() if start < len(line) else ""
    if cells.get("TYPE") not in _TYPES:
        return None
    return cells


# cells kubectl fills with one word: REASON is a CamelCase word and OBJECT is `kind/name`
# (k8s.io/kubectl pkg/cmd/events printers; the 1.14+ `get events` columns)
_ONE_WORD = ("REASON", "OBJECT")


def _split_word_cells(cells: dict[str, Any]) -> bool:
    """A one-word cell (_ONE_WORD) that holds a space: the row is not aligned to the header
    (a name masked or edited to another length moved the message's first word into it,
    `workload/*****   Workload` | `no longer fits`), so its cells come from its tokens."""
    return any(" " in str(cells.get(name) or "").strip() for name in _ONE_WORD)


def _cells_by_tokens(line: str, names: list[str]) -> dict[str, Any] | None:
    """Whitespace-collapsed rows: anchor on TYPE (Normal|Warning), fill columns around it."""
    tokens = line.split()
    anchor = next((i for i, t in enumerate(tokens) if t in _TYPES), None)
    if anchor is None:
        return None
    type_at = names.index("TYPE")
    before = names[:type_at]
    cells = dict.fromkeys(names, "")
    head = tokens[:anchor]
    for name in before:
        if name == "SUBOBJECT" and len(head) < len(before):
            continue  # empty sub-object column collapsed away
        if head:
            cells[name] = head.pop(0)
    cells["TYPE"] = tokens[anchor]
    rest = tokens[anchor + 1:]
    after = names[type_at + 1:]
    tail_names = after[after.index("MESSAGE") + 1:]
    if tail_names:  # -o wide: FIRST SEEN, COUNT, NAME after the message
        for name in reversed(tail_names):
            cells[name] = rest.pop() if rest else ""
    for name in after[:after.index("MESSAGE")]:
        if not rest:
            break
        if name == "SUBOBJECT" and not rest[0].startswith("spec."):
            continue
        if name == "SOURCE":
            cells[name], rest = _take_source(rest)
        else:
            cells[name] = rest.pop(0)
    cells["MESSAGE"] = " ".join(rest)
    return cells


def _take_source(tokens: list[str]) -> tuple[str, list[str]]:
    if tokens[0].startswith("{"):
        for i, token in enumerate(tokens):
            if token.endswith("}"):
                return " ".join(tokens[:i + 1]), tokens[i + 1:]
    if tokens[0].endswith(",") and len(tokens) > 1:
        return " ".join(tokens[:2]), tokens[2:]
    return tokens[0], tokens[1:]


def _table_event(cells: dict[str, Any], namespace: str) -> dict[str, Any]:
    namespace = cells.get("NAMESPACE") or namespace
    involved = {}
    if cells.get("OBJECT"):
        kind, _, name = cells["OBJECT"].partition("/")
        involved = {"kind": kind_from_lower(kind), "name": name}
        event_name = cells.get("NAME", "")
    else:  # old layout: NAME is the involved object's, KIND its kind
        involved = {"kind": kind_from_lower(cells.get("KIND", "")), "name": cells.get("NAME", "")}
        event_name = ""
    if cells.get("SUBOBJECT"):
        involved["fieldPath"] = cells["SUBOBJECT"]
    # (a message's quotes JSON-escaped, `failed to place pod on \"worker-2\"`, as old
    # kubectl tables and logs copied into a table print them: the component wrote plain ones)
    return _event(namespace, involved, cells["TYPE"], cells.get("REASON", ""),
                  cells.get("MESSAGE", "").replace('\\"', '"'), _count(cells.get("COUNT", "1")),
                  cells.get("SOURCE", ""), event_name, cells.get("LAST SEEN", ""))


# --- describe: the Events section ----------------------------------------------------------

_AGE = r"(?:<unknown>|<invalid>|[0-9smhdy]+)"
_NEW_ROW = re.compile(r"^\s*(Normal|Warning)\s+(\S+)\s+(" + _AGE + r"(?:\s+\(x(\d+) over "
                      + _AGE + r"\))?)\s+(.*)$")
_OLD_ROW = re.compile(r"^\s*(" + _AGE + r")\s+(" + _AGE + r")\s+(\d+)\s+(\{[^}]*\}|\S+(?:, \S+)?)"
                      r"\s+(?:(\S+)\s+)?(Normal|Warning)\s+(\S+)\s+(.*)$")


_RFC1123Z = r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"
_V10_ROW = re.compile(r"^\s*(" + _RFC1123Z + r")\s+(" + _RFC1123Z + r")\s+(\d+)\s+(.*)$")


def _v10_row(line: str) -> tuple[str, str, str, str, str, str] | None:
    """kubectl 1.0-1.1: FirstSeen LastSeen Count From SubobjectPath Reason Message, absolute
    times, no Type (kubernetes v1.0 pkg/kubectl/describe.go); cells are tab-separated."""
    match = _V10_ROW.match(line)
    if not match:
        return None
    cells = re.split(r"\s{2,}", match.group(4).strip())
    if len(cells) < 3:
        return None
    source, reason, message = cells[0], cells[-2], cells[-1]
    subpath = cells[1] if len(cells) > 3 else ""
    return match.group(2), match.group(3), source, subpath, reason, message


# A terminal is at least this wide: a longer line followed by one at column 0 that is no
# row was cut by the terminal (a copy from tmux/screen, or a console that hard-wraps).
TERMINAL_WIDTH = 80


def is_terminal_wrap(line: str, previous: str) -> bool:
    """`line` (at column 0, not a row) continues `previous`, cut there by the terminal's
    width (see TERMINAL_WIDTH)."""
    return bool(line) and not line[0].isspace() and len(previous) >= TERMINAL_WIDTH


def terminal_width(lines: list[str]) -> int:
    """The width a terminal hard-wrapped these lines at, or 0: a copy from a console that
    cuts lines (anywhere, inside a word too) leaves two or more lines of the same length, at
    least TERMINAL_WIDTH, each followed by the rest of its line."""
    return _widths(lines)[0]


def _widths(lines: list[str]) -> tuple[int, int]:
    """(terminal_width, the length at which the paste's first line was cut: the same, or
    shorter by the indentation a copy lost)."""
    counts: dict[int, int] = {}
    for line, following in zip(lines, lines[1:]):
        # rows of one table (kubectl pads them to one length) are no cut, nor two sentences
        # of one length each followed by a capitalized line (intel-resource-drivers-for-
        # kubernetes#60): the rest of a cut line goes on (_goes_on)
        if len(line) >= TERMINAL_WIDTH and _goes_on(line, following) and \
                not _aligned(line, following) and not _padded(line) and \
                not _same_opening(line, following):
            counts[len(line)] = counts.get(len(line), 0) + 1
    width, seen = max(counts.items(), key=lambda item: item[1], default=(0, 0))
    if seen >= 2:
        return width, _first_width(lines, width)
    # a pane (k9s) pads its lines to its width: one line that reaches that width with text
    # and goes on below is cut there
    pane = _pane_width(lines)
    if pane and pane in counts:
        return pane, pane
    # one cut line below a first line that lost its indentation to the selection (a copy
    # from a terminal starts at the first visible character: describe's `  Warning ...`
    # event row comes as `Warning ...`): the two pieces give one width
    if len(counts) == 2 and counts[min(counts)] == 1 and len(lines[0]) == min(counts):
        first = _first_width(lines, max(counts))
        if first != max(counts):
            return max(counts), first
    return 0, 0


def _same_opening(line: str, following: str) -> bool:
    """The next line opens with the same two words as this one: a record of the same kind
    (`failed to list A: ... is forbidden` over `failed to list B: ...`), not the rest of a
    cut one; two such records of one length must not make a width."""
    head = line.split()[:2]
    return len(head) == 2 and following.split()[:2] == head


def _pane_width(lines: list[str]) -> int:
    """The width 3+ lines are padded to with spaces (a TUI pane's), or 0."""
    padded: dict[int, int] = {}
    for line in lines:
        if len(line) >= TERMINAL_WIDTH and _padded(line):
            padded[len(line)] = padded.get(len(line), 0) + 1
    width, seen = max(padded.items(), key=lambda item: item[1], default=(0, 0))
    return width if seen >= 3 else 0


def _padded(line: str) -> bool:
    """A line filled out with spaces to a pane's width (k9s and other TUIs pad every line to
    the border): it ended before the edge, so it is no terminal's cut."""
    return line.endswith("  ")


# how many leading spaces kubectl indents the rows a copy's first line may have lost
_LOST_INDENT = range(1, 5)


def _first_width(lines: list[str], width: int) -> int:
    """Where the first line was cut: the width, or less by the indentation a copy lost (an
    unindented first line that short of the width and going on below)."""
    first = lines[0] if lines else ""
    if len(lines) > 1 and not first[:1].isspace() and width - len(first) in _LOST_INDENT \
            and _goes_on(first, lines[1]) and not _padded(first) \
            and not _aligned(first, lines[1]):
        return len(first)
    return width


# What starts a record of its own (a log line, markup, a prompt), so it is never the rest of
# the line above it: klog's header, a timestamp, brackets, markdown, a LEVEL or Key: prefix.
_RECORD_START = re.compile(r"(?:[IWEF]\d{4} |\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|[\[{<#>*|$`~]|- |"
                           r"[A-Z][A-Za-z]*:|[A-Z]{3,}\b|(?:time|level|ts)=)")


# A log record's own start: klog's header or an RFC 3339 / ISO timestamp
_LOG_START = re.compile(r"[IWEF]\d{4} \d{2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def unwrap_free_text(lines: list[str]) -> list[str]:
    """Free text (log lines, prose, an error) with each line a terminal cut at its width
    (terminal_width) joined back as it was: the cut falls anywhere, so nothing is inserted.
    With no width evident, one cut is still joined where it is certain enough
    (_single_cut). Lines as given otherwise."""
    width, first_width = _widths(lines)
    out: list[str] = []
    last_piece, previous = 0, ""
    for index, line in enumerate(lines):
        # a log record that filled the last piece exactly is followed by the next record
        full = width if index != 1 else first_width
        cut = last_piece == full and not _LOG_START.match(line) and not _padded(previous) \
            if width else _single_cut(previous, line)
        if out and cut and line.strip() and not _aligned(previous, line):
            out[-1] += line
        else:
            out.append(line)
        last_piece, previous = len(line), line
    return out


# how the rest of a token a cut split starts: lower case, a digit, or punctuation inside a
# token; a capital starts a line of its own more often than it goes on a word
_GOES_ON = re.compile(r"[a-z0-9.,;:)\]}'\"/_=%-]")


# a Go error chain ("a: b: c") a person broke after a colon, one link per line
_CHAIN_LINK = re.compile(r": \S")
_HEADER_KEY = re.compile(r"^[A-Za-z][\w .-]*:\s*$")


def join_error_chains(lines: list[str]) -> list[str]:
    """Lines of one error message broken by hand after its colons (`failed to call webhook:` /
    `Post "https://...":` / `dial tcp ...: connection refused`) joined back with a space: a
    line that ends with a colon and already holds a link of the chain (`: ` inside) or three
    words or more goes on in the next line, unless that line is blank, indented, or a `Key:`
    header of its own. Other lines as given."""
    out: list[str] = []
    for line in lines:
        if out and _continues_chain(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _continues_chain(previous: str, line: str) -> bool:
    # a link of the chain (`: ` inside), or the API server's `<kind> "<name>" is forbidden:`
    # before its `User "..." cannot ...` (three words at least: not a `Key:` header)
    linked = bool(_CHAIN_LINK.search(previous)) or len(previous.split()) >= 3
    return (previous.rstrip().endswith(":") and linked
            and bool(line.strip()) and not line[0].isspace()
            and not _is_header(previous.strip()) and not _is_header(line))


def _is_header(line: str) -> bool:
    """A `Key:` line of its own (describe's keys are capitalised, and short). A lower-case
    phrase of three words or more ending in a colon is a link of the chain instead: the API
    server's `failed to call webhook:` (apiserver pkg/admission/plugin/webhook/validating/
    dispatcher.go:311 @v1.37.2) put on its own line (a lab write-up quoting a Karmada Work
    message one link per line)."""
    if not _HEADER_KEY.match(line):
        return False
    return not (line[:1].islower() and len(line.split()) >= 3)


def _goes_on(previous: str, line: str) -> bool:
    """`line` can be the rest of `previous`, cut by a console: the cut fell on a space (at
    either side), or inside a token (_GOES_ON; a capital after a digit, a capital or a
    separator too: "512" / "Mi memory", "HTTP" / "S")."""
    if not line.strip():
        return False
    if line[0].isspace() or previous[-1:].isspace() or _GOES_ON.match(line):
        return True
    # a capital after a lower-case letter goes on a camelCase identifier the cut split
    # (`runAsNon` / `Root`): the token above already has a hump, so it is one
    camel = previous[-1:].islower() and bool(_CAMEL_HUMP.search(previous.split()[-1]))
    return line[0].isupper() and (previous[-1:].isdigit() or previous[-1:].isupper()
                                  or previous[-1:] in "-_./:" or camel)


# a lower-case letter then a capital inside one token: a camelCase identifier
_CAMEL_HUMP = re.compile(r"[a-z][A-Z]")
# a token does not end on these: what follows them is the same token, a capital or a
# bracket too (`LOG_` / `LEVEL`, `items=` / `[a b]`)
_OPEN_END = "_=([{"


def _single_cut(previous: str, line: str) -> bool:
    """One line cut by a console of the default width (80 columns: xterm, Terminal.app,
    the Windows console) when no second cut shows the width: the line above is exactly that
    wide, the cut splits a token (no space on either side, the rest going on as _goes_on
    reads it) and the rest starts no record of its own. Editors that fill
    paragraphs by hand stop short of 80 (70 to 79 columns by default), so a line of exactly
    80 that goes on is taken for a console's cut."""
    if len(previous) != TERMINAL_WIDTH or not line.strip():
        return False
    # the cut fell on a space: one space ends the line above, or starts this one (a line of
    # its own is indented by two or more, or starts a record)
    at_space = (previous.endswith(" ") and not previous[-2:-1].isspace()
                and not line[0].isspace()) or \
        (not previous[-1].isspace() and line[0] == " " and not line[1:2].isspace())
    open_end = previous[-1] in _OPEN_END
    in_token = not previous[-1].isspace() and not line[0].isspace() and \
        (open_end or _goes_on(previous, line))
    return (at_space or in_token) and (open_end or not _RECORD_START.match(line.lstrip()))


def _aligned(above: str, below: str) -> bool:
    """Two rows of one table (`kubectl get` pads its columns, so rows can share a length):
    at least two columns start at the same offsets after a gap of 2+ spaces."""
    def starts(text: str) -> set[int]:
        return {m.end() for m in re.finditer(r"\S {2,}(?=\S)", text)}
    return len(starts(above) & starts(below)) >= 2


def unwrap(lines: list[str], is_row: Callable[[str], bool]) -> list[str]:
    """The lines with each terminal-cut piece joined back to the line it was cut from;
    `is_row(line)` tells a new row, which is never a piece. A piece at column 0 was cut
    anywhere, inside a word too: joined as is. An indented piece (cut in a column gap, or a
    message the viewer wrapped) joins with one space: the From/Message split reads a single
    space too (`_split_from`)."""
    out: list[str] = []
    for line in lines:
        piece = bool(out) and len(out[-1]) >= TERMINAL_WIDTH and bool(line.strip()) and \
            not is_row(line)
        if piece and not line[0].isspace():
            out[-1] += line
        elif piece:
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


def parse_describe_events(lines: list[str], involved: dict[str, Any], namespace: str = "") -> list[dict[str, Any]]:
    """Rows of a describe Events section (header lines included or not) -> Events."""
    events: list[dict[str, Any]] = []
    is_row = lambda row: bool(_NEW_ROW.match(row) or _OLD_ROW.match(row) or _v10_row(row))  # noqa: E731
    for line in unwrap(lines, is_row):
        text = line.strip()
        if not text or text in ("<none>", "No events.") or set(text) <= {"-", " "} or \
                text.split()[:2] in (["Type", "Reason"], ["FirstSeen", "LastSeen"]) or \
                text.startswith("FirstSeen"):
            continue
        new, old = _NEW_ROW.match(line), _OLD_ROW.match(line)
        if new:
            type_, reason, age, times, rest = new.groups()
            source, message = _split_from(rest)
            events.append(_event(namespace, involved, type_, reason, message,
                                 int(times) if times else 1, source,
                                 last_seen=age.split()[0]))
        elif old:
            last, _first, count, source, subpath, type_, reason, message = old.groups()
            ref = dict(involved, fieldPath=subpath) if subpath else involved
            events.append(_event(namespace, ref, type_, reason, message, _count(count),
                                 source, last_seen=last))
        elif v10 := _v10_row(line):
            last, count, source, subpath, reason, message = v10
            ref = dict(involved, fieldPath=subpath) if subpath else involved
            type_ = "Warning" if reason.lower().startswith("failed") else "Normal"
            events.append(_event(namespace, ref, type_, reason, message, _count(count),
                                 source, last_seen=last))
        elif events:
            # a message wrapped onto the next line (the row may have ended at From)
            events[-1]["message"] = f"{events[-1]['message']} {text}".lstrip()
    return events


def _split_from(rest: str) -> tuple[str, str]:
    """`From` then `Message`: tab-aligned cells are 2+ spaces apart; collapsed pastes fall
    back to one token (two when the first ends with a comma: `kubelet, node-1`)."""
    parts = re.split(r"\s{2,}", rest.strip(), maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    tokens = rest.split()
    if not tokens:
        return "", ""
    source, remaining = _take_source(tokens)
    return source, " ".join(remaining)
