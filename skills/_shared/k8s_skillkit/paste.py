"""Split what a user pasted into the forms it holds, and read each one.

Forms: `kubectl get -o yaml|json` (List, multi-document, single object), `kubectl get events`
tables, `kubectl describe` blocks, an orphan describe `Events:` section, and free text (error
messages, log lines, prose). Shell prompts, `$ kubectl ...` lines and markdown fences
separate the parts; a `kubectl get|describe <type>` line names the kind and namespace of
what follows it (describe text does not print the kind of built-in objects).
"""
from __future__ import annotations
from typing import Any, NamedTuple
from collections.abc import Sequence

import json
import re
import textwrap
from dataclasses import dataclass, field

from . import describe as describe_mod
from . import elisions, event_table, fences, get_table, scalar_cuts, surface
from .dump import ALL_NAMESPACES, Dump, full_list_scope, kind_for_resource, resource_for
from .errors import InputError

try:
    import yaml
    HAVE_YAML = True
except ImportError:  # pragma: no cover - PyYAML is the one allowed dependency
    HAVE_YAML = False  # `yaml` stays unbound: every use checks HAVE_YAML first

_VERBS = ("get", "describe", "apply", "create", "logs", "log", "top", "explain", "auth",
          "events", "delete", "edit", "patch", "run", "exec", "rollout", "version",
          "cluster-info", "api-resources", "wait", "label", "annotate", "cordon", "drain",
          "taint", "scale", "replace", "debug")
# a prompt's last character; oh-my-zsh's default theme (robbyrussell.zsh-theme) prints
# `➜  <cwd> git:(<branch>) ✗ ` before the command, so its arrow may carry those three after it
_PROMPT = (r"(?:[$#%>\u276f]|\u279c(?:\s+[^\s$#%>]+(?:\s+git:\([^)\s]*\))?"
           r"(?:\s+\u2717)?)?)")
_PROMPTED = re.compile(r"^.{0,100}?" + _PROMPT +
                       r"\s*(?:sudo\s+)?(kubectl|oc|k)(?:\.exe)?\s+(.*)$")
# after a prompt, the aliases and wrappers users type for kubectl, one word (a context) at
# most before the verb: `kc armada-06 get resourceclaim -A` (dra-driver-nvidia-gpu#725),
# `kubecolor get pods`, `microk8s kubectl get pods`, `k3s kubectl ...`
_ALIASED = re.compile(r"^.{0,100}?" + _PROMPT + r"\s*(?:sudo\s+)?(kc|kctl|kubecolor|"
                      r"(?:microk8s|k3s|k0s)[. ]kubectl)\s+(?:[\w.:@/-]+\s+)?((?:" +
                      "|".join(_VERBS) + r")\b.*)$")
# `k` is the alias kubectl's docs suggest (alias k=kubectl); a verb must follow it
# kubectl's global flags may come before the verb (`kubectl --context kind-x -n ns get
# workloads`, `kubectl --kubeconfig FILE get ...`): each flag with at most one value token
_BARE = re.compile(r"^\s*(?:sudo\s+)?(kubectl|oc|k)(?:\.exe)?\s+((?:-[\w-]+(?:=\S+)?\s+"
                   r"(?:[^\s-]\S*\s+)?)*(?:" + "|".join(_VERBS) + r"))\b(.*)$")
_SHELL = re.compile(r"^\s*(?:\$|[\w.-]+@[\w.-]+[:~][^$#]*[$#])\s+\S")
_FENCE = fences.FENCE  # CommonMark's fence line (fences.py)
# `status:` / `spec:` / `metadata:` at column 0: a part of `kubectl get -o yaml` (describe
# prints them capitalized), read as a kind-less fragment
_YAML_START = re.compile(r"^(apiVersion|kind|items|status|spec|metadata):(\s|$)|^---(\s|$)|"
                         r"^- (apiVersion|action|count|eventTime|firstTimestamp|"
                         r"involvedObject|kind|lastTimestamp|metadata):")
_YAML_LINE = re.compile(r"^([a-z][A-Za-z0-9]*:(\s|$)|- |-$|---|\.\.\.|#)")
_DESCRIBE_START = re.compile(r"^Name:\s+\S")
# A describe pasted from the middle: top-level fields kubectl's describers print.
_DESCRIBE_PART = re.compile(r"^(Spec|Status|Metadata|API Version|Allocatable|Capacity|"
                            r"Containers|Init Containers|Conditions|Taints|Labels|Annotations|"
                            r"Non-terminated Pods|Allocated resources|System Info|Pod Template|"
                            r"Pods Statuses|Node-Selectors|Tolerations|Volumes|Addresses):(\s|$)")
_EVENTS_SECTION = re.compile(r"^Events:\s*(<none>)?\s*$")
# A top-level describe line is `Key:` (kubectl's describers print every field so); rows of
# an Events section pasted without their indent start with the type or the header.
_DESCRIBE_KEY = re.compile(r"^[A-Z][A-Za-z0-9 .()/_-]*:(\s|$)")
_EVENT_ROW_START = re.compile(r"^(Normal|Warning|Type\s|FirstSeen|-{2,})")


@dataclass
class Command:
    """What a pasted `kubectl get|describe ...` line says about the output after it."""
    verb: str = ""
    resource: str = ""
    names: list[str] = field(default_factory=list)
    namespace: str = ""
    all_namespaces: bool = False
    # `-L a/b,c` / `--label-columns=...`: label keys kubectl prints as extra columns
    label_columns: list[str] = field(default_factory=list)
    target: str = ""     # the first positional argument as typed (`deploy/x`, a pod name)


class TableHead(NamedTuple):
    """A `kubectl get` table's header (get_table.header): the kind and [(column, offset)];
    `headerless` when a filter (`| grep`) dropped the header line and the rows start at once."""
    kind: str
    columns: list[tuple[str, int]]
    headerless: bool = False


class NoneFound(NamedTuple):
    """kubectl's "No resources found [in NS namespace]." ("" when it named no namespace)."""
    namespace: str


@dataclass
class Segment:
    form: str            # yaml | json | describe | events-table | describe-events | get-table
    lines: list[str]     # | none-found | text
    start: int           # 1-based line number in the paste
    hint: Command
    # the decoded JSON value (json), why YAML was not read (yaml), TableHead (get-table),
    # NoneFound (none-found)
    value: object = None


# flags whose value is the next token (kubectl get/describe/logs; `kubectl logs --tail 50`)
_VALUED_FLAGS = {"-o", "-l", "--selector", "--field-selector", "-c", "--container",
                 "--context", "--tail", "--since", "--since-time", "--limit-bytes"}
# kubectl's global flags that take a value (k8s.io/cli-runtime v0.37.2 pkg/genericclioptions/
# config_flags.go: kubeconfig, cluster, user, server/-s, token, as, as-group, request-timeout,
# certificate-authority, client-certificate, client-key, tls-server-name, cache-dir)
_GLOBAL_VALUED = {"--kubeconfig", "--cluster", "--user", "--server", "-s", "--token", "--as",
                  "--as-group", "--request-timeout", "--certificate-authority",
                  "--client-certificate", "--client-key", "--tls-server-name", "--cache-dir"}


def _verb_first(tokens: list[str]) -> list[str]:
    """Global flags typed before the verb (`--context X -n NS get pods`) moved after it, so
    the verb is the first token and -n still counts."""
    index = 0
    while index < len(tokens) and tokens[index].startswith("-"):
        valued = tokens[index] in _VALUED_FLAGS | _GLOBAL_VALUED | {"-n", "--namespace"}
        index += 2 if valued else 1
    if not index or index >= len(tokens):
        return tokens
    return [tokens[index]] + tokens[:index] + tokens[index + 1:]


def parse_command(args: str) -> Command:
    tokens = _verb_first(args.split())
    command = Command(verb=tokens[0] if tokens else "")
    positional = []
    skip = False
    for index, token in enumerate(tokens[1:], start=1):
        if skip:
            skip = False
            continue
        if token in ("-n", "--namespace"):
            command.namespace = tokens[index + 1] if index + 1 < len(tokens) else ""
            skip = True
        elif token.startswith("--namespace="):
            command.namespace = token.split("=", 1)[1]
        elif token in ("-A", "--all-namespaces"):
            command.all_namespaces = True
        elif token in ("-L", "--label-columns"):
            command.label_columns += _label_keys(tokens[index + 1] if index + 1 < len(tokens)
                                                 else "")
            skip = True
        elif token.startswith(("--label-columns=", "-L=")) or (token.startswith("-L") and
                                                                 len(token) > 2):
            command.label_columns += _label_keys(token.split("=", 1)[1] if "=" in token
                                                 else token[2:])
        elif token in _VALUED_FLAGS or token in _GLOBAL_VALUED:
            skip = True
        elif token in ("|", ">", "&&", ";"):
            break
        elif not token.startswith("-"):
            positional.append(token)
    if positional:
        first = command.target = positional[0]
        command.resource = first.split("/")[0]
        command.names = ([first.split("/", 1)[1]] if "/" in first else []) + positional[1:]
    return command


def _label_keys(value: str) -> list[str]:
    return [key for key in value.strip("'\"").split(",") if key]


def command_of(line: str) -> Command | None:
    match = _PROMPTED.match(line) or _BARE.match(line) or _ALIASED.match(line)
    if not match:
        return None
    rest = match.group(2) + (match.group(3) if match.lastindex and match.lastindex >= 3 else "")
    return parse_command(rest)


def segments(text: str, commands: list[Any] | None = None) -> list[Segment]:
    """The paste cut into segments, each with the command line before it (if any).

    `commands`, when given, collects (command line, the first non-empty line after it):
    short answers such as `kubectl auth can-i ...` / `no` live only there.
    """
    lines = textwrap.dedent("\n".join(surface.clean_lines(text))).split("\n")
    lines = scalar_cuts.rejoin(lines)  # before YAML folds a terminal's cut or JSON refuses it
    out: list[Segment] = []
    hint = Command()
    index = 0
    while index < len(lines):
        line = lines[index]
        command = command_of(line)
        if command is not None:
            hint = command
            _note_command(commands, lines, index)
            index += 1
            continue
        if _FENCE.match(line):
            _dedent_fenced(lines, index)
            end = _fenced_yaml_end(lines, index + 1)
            if end:
                out.append(Segment("yaml", lines[index + 1:end], index + 2, hint))
                index = end + 1
                continue
        if _FENCE.match(line) and len(line.strip().lstrip("`~").split()) > 1:
            # ```pods "x" is forbidden: ... opened as inline code and cut by a wrap: the
            # "info string" is the user's text, not a language tag; keep it as text
            out.append(Segment("text", [line.strip().lstrip("`~").strip()], index + 1, hint))
            index += 1
            continue
        if _SHELL.match(line):  # another program run at a prompt (`host$ helm list`): kept
            # with the commands, and the lines below are its output, not the last get's
            _note_command(commands, lines, index)
            hint = Command()
            index += 1
            continue
        if not line.strip() or _FENCE.match(line):
            index += 1
            continue
        if hint.verb == "get" and line.startswith("#"):
            _uncomment_table(lines, index, hint.resource)
        form, end, value = _segment_at(lines, index)
        if form == "text":
            form, end, value = _get_output_at(lines, index, hint) or (form, end, value)
        out.append(Segment(form, lines[index:end], index + 1, hint, value))
        index = end
    return out


def _uncomment_table(lines: list[str], start: int, resource: str) -> None:
    """A runbook shows a get's output commented out under the command (`oc get
    multikueuecluster` / `# NAME  CONNECTED` / `# spoke-1  False`): when the first `#` line
    without its `# ` is the header of a `kubectl get` table, the block loses the prefix, in
    place (one width for every line, so the columns stay aligned). Any other comment stays."""
    width = 2 if lines[start].startswith("# ") else 1
    end = start
    while end < len(lines) and lines[end].startswith(lines[start][:width]):
        end += 1
    if get_table.header(lines[start][width:], resource):
        lines[start:end] = [line[width:] for line in lines[start:end]]


def _note_command(commands: list[Any] | None, lines: list[str], index: int) -> None:
    """Keep the command line at `index` with the first non-empty line after it (its answer)."""
    if commands is not None:
        answer = next((later.strip() for later in lines[index + 1:] if later.strip()), "")
        commands.append((lines[index].strip(), answer))


def _segment_at(lines: list[str], start: int) -> tuple[str, int, object]:
    line = lines[start]
    if line.lstrip().startswith(("{", "[")):
        decoded = _json_at(lines, start)
        if decoded is not None and _is_json_document(decoded[0]):
            return "json", decoded[1], decoded[0]
    if _YAML_START.match(line):
        return "yaml", _yaml_end(lines, start), None
    if _DESCRIBE_START.match(line) or (_DESCRIBE_PART.match(line) and _indented_next(lines,
                                                                                      start)):
        return "describe", _describe_end(lines, start), None
    if event_table.header_columns(line):
        return "events-table", _table_end(lines, start), None
    if _EVENTS_SECTION.match(line):
        return "describe-events", _table_end(lines, start), None
    if event_table.is_bare_row(line):
        return "events-rows", _table_end(lines, start), None
    return "text", start + 1, None


def _dedent_fenced(lines: list[str], fence: int) -> None:
    """A fence indented as a markdown list item's (`2. Apply:` then `   ```yaml`) indents its
    body as much: take that indentation off the body, in place, so a manifest in it starts
    at column 0 like any other (CommonMark: list item content is indented to the item's
    content column). A body indented more than its fence (the list item's indentation kept
    on the body when the fence lost it) loses what all its lines share."""
    end = next((i for i in range(fence + 1, len(lines)) if _FENCE.match(lines[i])), 0)
    body = lines[fence + 1:end]
    written = [ln for ln in body if ln.strip()]
    if not end or not written or any("\t" in ln[:len(ln) - len(ln.lstrip())] for ln in written):
        return
    indent = min(len(ln) - len(ln.lstrip()) for ln in written)
    if indent:
        lines[fence + 1:end] = [ln[indent:] for ln in body]


def _fenced_yaml_end(lines: list[str], start: int) -> int:
    """The closing fence of a fenced block that holds one YAML mapping the other forms do not
    catch (a `status:` or `listeners:` block cut from `kubectl get -o yaml`), else 0."""
    end = next((i for i in range(start, len(lines)) if _FENCE.match(lines[i])), 0)
    body = [line for line in lines[start:end] if line.strip()]
    if not end or not body or not re.match(r"^[a-z][A-Za-z0-9]*:(\s|$)", body[0]) or \
            _YAML_START.match(body[0]) or not HAVE_YAML:
        return 0
    try:
        value = yaml.safe_load("\n".join(lines[start:end]))
    except yaml.YAMLError:
        return 0
    nested = isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values())
    return end if nested else 0


def _is_json_document(value: object) -> bool:
    """An object or a list of objects; `[1] - Aug 09 ...` (a numbered log excerpt) decodes
    as the list [1] but is text."""
    return isinstance(value, dict) or (isinstance(value, list)
                                       and all(isinstance(item, dict) for item in value))


def _get_output_at(lines: list[str], start: int, hint: Command) -> tuple[str, int, object] | None:
    """A `kubectl get` table (known columns, or any NAME... header under a pasted `kubectl
    get <type>`), or the "No resources found" answer to a pasted `kubectl get`."""
    resource = hint.resource if hint.verb == "get" else ""
    found = get_table.header(lines[start], resource)
    if found:
        return "get-table", _rows_end(lines, start, found[1]), TableHead(*found)
    bare = get_table.headerless(lines[start], resource, lines[start + 1:_table_end(lines, start)],
                                hint.all_namespaces) if resource else None
    if bare:  # the first line is already a row
        return "get-table", _rows_end(lines, start, bare[1], first=0), TableHead(*bare, True)
    namespace = get_table.none_found(lines[start]) if resource else None
    if namespace is not None:
        return "none-found", start + 1, NoneFound(namespace)
    return None


def _indented_next(lines: list[str], start: int) -> bool:
    """A partial describe: the field is followed by indented lines or more fields."""
    following = next((line for line in lines[start + 1:] if line.strip()), "")
    return following.startswith(" ") or bool(_DESCRIBE_PART.match(following))


def _json_at(lines: list[str], start: int) -> tuple[object, int] | None:
    text = "\n".join(lines[start:])
    try:
        value, end = json.JSONDecoder().raw_decode(text.lstrip())
    except json.JSONDecodeError:
        return None
    consumed = text[: end + (len(text) - len(text.lstrip()))].count("\n") + 1
    return value, start + consumed


def _is_boundary(line: str) -> bool:
    return bool(command_of(line) or _FENCE.match(line) or _SHELL.match(line))


def _yaml_end(lines: list[str], start: int) -> int:
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if _is_boundary(line):
            break
        if line.strip() and not line.startswith(" ") and not _YAML_LINE.match(line) and \
                not elisions.LINE.match(line):  # "…" where the user cut lines: still YAML
            break
        index += 1
    return index


# a line that only marks what the user left out of a block: `...`, `…`, `[...]`, `<snip>`,
# `****snip****` (cilium/cilium#32865), `-- snipped --`
ELISION = re.compile(r"^\W*(?:\.{3}|\u2026|snip(?:ped)?|omitted|truncated)\W*$", re.IGNORECASE)


def _describe_end(lines: list[str], start: int) -> int:
    index, in_events = start + 1, False
    while index < len(lines):
        line = lines[index]
        if _is_boundary(line) or _DESCRIBE_START.match(line) or _YAML_START.match(line) \
                or event_table.header_columns(line) or line.startswith("{"):
            break
        if in_events and not line.strip():
            break
        if line.strip() and not line[0].isspace() and not _DESCRIBE_KEY.match(line) and \
                not (in_events and _EVENT_ROW_START.match(line)) and \
                not (in_events and event_table.is_terminal_wrap(line, lines[index - 1])) and \
                not ELISION.match(line):
            break  # log lines or prose after the describe block: text, not fields
        in_events = in_events or line.startswith("Events:")
        index += 1
    return index


def _rows_end(lines: list[str], start: int, columns: list[tuple[str, int]],
              first: int = 1) -> int:
    """A `kubectl get` table ends at the first line that is not one of its rows: a banner,
    the next command's output, another table right below it (scripts print them with no
    blank line between), which are then read on their own. Its rows start `first` lines
    after `start` (0: no header)."""
    index = _table_end(lines, start)
    rows_end = start + first
    while rows_end < index and get_table.is_row(lines[rows_end], columns):
        rows_end += 1
    return rows_end


def _table_end(lines: list[str], start: int) -> int:
    index = start + 1
    while index < len(lines) and lines[index].strip() and not _is_boundary(lines[index]):
        index += 1
    return index


# --- reading the segments ---------------------------------------------------------------

def read_paste(text: str, label: str, read_cut: bool = False) -> Dump:
    """Every object the paste holds; free text is kept in `Dump.texts`. With `read_cut`, a
    document cut inside its last line is read without it (`_cut_head`)."""
    dump = Dump()
    for segment in segments(text, dump.commands):
        if segment.form == "yaml":
            docs = _load_yaml(segment, label, read_cut)
            if docs is None:  # prose or log lines that looked like YAML: text
                dump.texts.extend(segment.lines)
                dump.unread.append(str(segment.value))
                continue
            if segment.value:  # a broken document among good ones
                dump.unread.append(str(segment.value))
            _add_documents(dump, docs, segment.hint, segment.lines)
            dump.forms.append("yaml")
        elif segment.form == "json":
            docs = segment.value if isinstance(segment.value, list) else [segment.value]
            if all(isinstance(d, dict) and not ("kind" in d or "apiVersion" in d)
                   for d in docs):
                dump.texts.extend(segment.lines)  # a JSON log record (zap/logr), not an object
                dump.records.extend(docs)
                continue
            _add_documents(dump, docs, segment.hint)
            dump.forms.append("json")
        elif segment.form == "describe":
            found = describe_mod.describe_block(segment.lines, _describe_hint(segment.hint))
            _name_from_command(found, segment.hint)
            if found:
                dump.extend(found)
                dump.forms.append("describe")
            else:
                dump.texts.extend(segment.lines)  # text readers still see it
        elif segment.form == "events-table":
            dump.extend(event_table.parse_table(segment.lines, segment.hint.namespace))
            dump.forms.append("events-table")
        elif segment.form == "events-rows":
            dump.extend(event_table.parse_bare_rows(segment.lines, segment.hint.namespace))
            dump.texts.extend(segment.lines)  # text readers still see the rows
            dump.forms.append("events-table")
        elif isinstance(segment.value, TableHead):  # form get-table
            skip = 0 if segment.value.headerless else 1  # (the header line)
            dump.extend(get_table.rows(segment.lines[skip:], segment.value.kind,
                                       segment.value.columns, segment.hint.namespace,
                                       segment.hint.label_columns))
            dump.texts.extend(segment.lines)  # text readers still see the rows
            dump.forms.append("get-table")
        elif isinstance(segment.value, NoneFound):  # form none-found
            _mark_none_found(dump, segment.hint, segment.value.namespace)
            dump.texts.extend(segment.lines)
        elif segment.form == "describe-events":
            first = segment.lines[0][len("Events:"):]
            dump.extend(event_table.parse_describe_events([first] + segment.lines[1:], {},
                                                          segment.hint.namespace))
            dump.forms.append("describe-events")
        else:
            dump.texts.extend(segment.lines)
    _latest_rows_only(dump)
    return dump


def _name_from_command(found: list[dict[str, Any]], hint: Command) -> None:
    """A describe block cut before its `Name:` is the object the pasted `kubectl describe
    <type> <name>` named, when it named one."""
    if len(found) == 1 and len(hint.names) == 1 and hint.verb == "describe":
        meta = found[0].setdefault("metadata", {})
        if not meta.get("name"):
            meta["name"] = hint.names[0]
            if hint.namespace and not meta.get("namespace"):
                meta["namespace"] = hint.namespace


def _latest_rows_only(dump: Dump) -> None:
    """A paste that prints the same `kubectl get` twice (before and after a change, a script
    that polls) holds one object per row printed: the last row of an object is its state
    now, the earlier ones are history (their text stays in `texts`)."""
    last: dict[tuple[str, str, str], int] = {}
    for index, obj in enumerate(dump):
        if isinstance(obj, dict) and obj.get("_source") == "table":
            meta = obj.get("metadata") or {}
            last[(str(obj.get("kind")), str(meta.get("namespace") or ""),
                  str(meta.get("name") or ""))] = index
    keep = set(last.values())
    if len(keep) == sum(1 for o in dump if isinstance(o, dict) and o.get("_source") == "table"):
        return
    dump[:] = [obj for index, obj in enumerate(dump)
               if not (isinstance(obj, dict) and obj.get("_source") == "table")
               or index in keep]


def _mark_none_found(dump: Dump, hint: Command, named_namespace: str) -> None:
    """`kubectl get <types> [-n NS|-A]` answered "No resources found": none of those types in
    that scope (a get of named objects answers NotFound instead, so names prove nothing)."""
    if hint.names:
        return
    for resource in hint.resource.split(","):
        kind = kind_for_resource(resource)
        if not kind:
            continue
        if hint.all_namespaces or not resource_for(kind)[1]:
            scope = ALL_NAMESPACES
        else:
            scope = hint.namespace or named_namespace or "default"
        dump.mark_full_list(kind, {scope})


def _describe_hint(hint: Command) -> str:
    return hint.resource if hint.verb == "describe" else ""


def _load_yaml(segment: Segment, label: str, read_cut: bool = False) -> list[Any] | None:
    """The segment's documents; None when it is not YAML after all (the caller keeps its
    lines as text and notes why in `Dump.unread`). One broken document of several costs only
    itself: the others are returned and the broken one is noted in `segment.value`."""
    if not HAVE_YAML:
        raise InputError("PyYAML is not installed: pip install pyyaml (or pass JSON)")
    lines = [_MASKED.sub(r"\1'\2'", line) for line in segment.lines
             if not elisions.LINE.match(line)]
    try:
        whole = list(yaml.safe_load_all("\n".join(lines)))
        return elisions.repaired(whole, "\n".join(lines), len(lines) < len(segment.lines))
    except yaml.YAMLError as err:
        first_error = err
    docs: list[Any] = []
    notes: list[str] = []
    for start, end in _document_spans(lines):
        try:
            docs.extend(yaml.safe_load_all("\n".join(lines[start:end])))
        except yaml.YAMLError as err:
            # line numbers in the paste are approximate once elisions were dropped: the
            # segment's start plus the document's offset
            head = _cut_head(lines[start:end], err) if read_cut else None
            if head is None:
                notes.append(_not_read(label, segment.start + start, err))
                continue
            docs.extend(head[0])
            notes.append(f"{label}: YAML starting at line {segment.start + start}: its last "
                         f"line `{head[1]}` is not YAML (the paste is cut there?); read "
                         "without it")
    if not any(doc is not None for doc in docs):
        segment.value = _not_read(label, segment.start, first_error)
        return None
    segment.value = "; ".join(notes)
    return docs


# a value a user masked before posting (`name: *****`, `nodeName: *****.17e1`): YAML reads a
# plain `*` as an alias and refuses the document; three or more asterisks are no anchor name
# anyone writes (kubectl prints none), so the value is quoted and the object kept
_MASKED = re.compile(r"^(\s*(?:-\s+)?(?:[\w./-]+:\s+)?)(\*{3,}[^\s#'\"]*)\s*$")


# a last line that is one bare word: a key the paste cut before its colon (`  rules`)
_CUT_KEY = re.compile(r"^\s*(?:-\s+)?[\w.-]+\s*$")


def _cut_head(lines: list[str], err: yaml.YAMLError) -> tuple[list[Any], str] | None:
    """A document the paste cut inside its last line (`rules` where `rules:` began, a
    stored copy cut mid-key): its documents without that line, and the line; None when
    YAML fails elsewhere or on a line with more than one word (`kind: [Pod`, a key
    indented wrong: a broken document, not a cut one)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    mark = getattr(err, "problem_mark", None)
    if not filled or mark is None or mark.line < filled[-1] or \
            not _CUT_KEY.match(lines[filled[-1]]):
        return None
    try:
        docs = list(yaml.safe_load_all("\n".join(lines[:filled[-1]])))
    except yaml.YAMLError:
        return None
    if not any(isinstance(doc, dict) for doc in docs):
        return None
    return docs, lines[filled[-1]].strip()[:40]


def _document_spans(lines: list[str]) -> list[tuple[int, int]]:
    cuts = [i for i, line in enumerate(lines) if i and re.match(r"^---(\s|$)", line)]
    bounds = [0] + cuts + [len(lines)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _not_read(label: str, line: int, err: Exception) -> str:
    return f"{label}: YAML starting at line {line} not read: {' '.join(str(err).split())[:200]}"


def _add_documents(dump: Dump, docs: list[Any], hint: Command,
                   lines: Sequence[str] = ()) -> None:
    kindless = False
    for index, doc in enumerate(docs):
        if doc is None:
            continue
        # a YAML list of objects: the `items:` of `kubectl get events -o yaml` copied alone
        items = doc if isinstance(doc, list) and doc else [doc]
        if not all(isinstance(item, dict) for item in items):
            raise InputError(f"document {index + 1} is a {type(doc).__name__}, "
                             "expected a Kubernetes object (a mapping)")
        for item in items:
            if is_object(item):
                add_document(dump, item, hint if item is doc else None)
            else:
                dump.fragments.append(item)
                kindless = True
    if kindless:
        dump.texts.extend(lines)


def is_object(doc: dict[str, Any]) -> bool:
    """A Kubernetes object names its kind or apiVersion; anything else is a fragment."""
    return bool(doc.get("kind") or doc.get("apiVersion"))


_MAPPINGS = ("metadata", "spec", "status")


def _readable(dump: Dump, doc: dict[str, Any]) -> dict[str, Any]:
    """The object without a top-level metadata/spec/status that is no mapping: a paste cut
    right after `spec:` leaves YAML reading the next word as its value (`spec:\n  par` is
    `spec: par`, envoyproxy/gateway#4846's stored copy); what is cut is not there."""
    broken = [key for key in _MAPPINGS if key in doc and not isinstance(doc[key], dict)]
    if not broken:
        return doc
    name = doc.get("metadata", {}).get("name", "") if isinstance(doc.get("metadata"), dict) \
        else ""
    dump.unread.append(f"{doc.get('kind') or 'object'} {name}: {', '.join(broken)} is no "
                       "mapping (the paste is cut there?); read without it")
    return {k: v for k, v in doc.items() if k not in broken}


def add_document(dump: Dump, doc: dict[str, Any], hint: Command | None = None) -> None:
    """One decoded document: a List is flattened and recorded as a full listing."""
    kind = str(doc.get("kind", ""))
    if not (kind.endswith("List") and isinstance(doc.get("items"), list)):
        dump.append(_readable(dump, doc))
        return
    items = [item for item in doc["items"] if isinstance(item, dict)]
    flat = Dump()
    for item in items:
        add_document(flat, item, None)
    dump.extend(flat)
    if hint is not None and hint.names:
        return  # `kubectl get pods a b`: a List, but only of the named objects
    scope = full_list_scope([i for i in items if not str(i.get("kind", "")).endswith("List")])
    if not items:
        listed = kind[:-4] if kind != "List" else kind_for_resource(
            hint.resource if hint else "")
        if listed:
            scope = {listed: {ALL_NAMESPACES}}
    if hint is not None and (hint.namespace or hint.all_namespaces):
        scope = {k: {ALL_NAMESPACES} if hint.all_namespaces else {hint.namespace}
                 for k in scope}
    for listed_kind, namespaces in scope.items():
        dump.mark_full_list(listed_kind, namespaces)
