"""The shapes a rendered form arrives in: the same paste, wrapped the way users, issue
templates, docs pages and terminals carry it (a GitHub quote, a fenced block in a numbered
list, the command line above it, an elided metadata block, a condition cut from its type,
JSON-escaped quotes, an 80-column terminal, CRLF, k9s borders, masked names).

Each shape is `shape(text, entry, form) -> str | None` (None: the shape cannot apply to that
form). Like catalogue_forms, a shape never decides what a message means: the catalogue row's
cause stays the expectation.
"""
from __future__ import annotations

import re

import yaml

from tests.skills.catalogue_forms import elide_metadata

from . import catalogue_forms as forms

MASK = "*****"


def quoted(text: str, entry, form: str) -> str:
    """A GitHub quote: every line prefixed with `> ` (a blank line keeps a bare `>`)."""
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


def fenced_in_list(text: str, entry, form: str) -> str:
    """An issue's "Steps to reproduce" item: the paste fenced in ``` under `1)`, every line
    indented 3 spaces (a PR description does the same)."""
    body = "\n".join(f"   {line}" if line else "" for line in text.rstrip("\n").split("\n"))
    return ("Steps to reproduce:\n\n1) Apply the manifest and look at the object:\n\n"
            f"   ```\n{body}\n   ```\n2) Nothing else happens.\n")


def _command(entry, form: str) -> str | None:
    kind = entry.object.lower()
    name = forms.NAME.get(entry.object, "x")
    ns = "" if entry.object == "Node" else " -n apps"
    return {"describe": f"kubectl describe {kind} {name}{ns}",
            "events_table": f"kubectl get events{ns}",
            "event_yaml": f"kubectl get events{ns} -o yaml",
            "status_yaml": f"kubectl get {kind} {name}{ns} -o yaml"}.get(form)


def under_prompt(text: str, entry, form: str) -> str | None:
    """`$ kubectl ...` above the output it printed, a blank line between."""
    command = _command(entry, form)
    return f"$ {command}\n\n{text}" if command else None


def under_command(text: str, entry, form: str) -> str | None:
    """The command above its output without the `$ ` (copied from a docs page)."""
    command = _command(entry, form)
    return f"{command}\n\n{text}" if command else None


def metadata_elided(text: str, entry, form: str) -> str | None:
    """A docs page's YAML: `metadata:` followed by `...` for its fields (no name then)."""
    return elide_metadata(text) if form == "status_yaml" else None


def kind_to_status_elided(text: str, entry, form: str) -> str | None:
    """A docs page's YAML with `...` lines between `kind:` and `status:` (metadata and spec
    dropped)."""
    if form != "status_yaml":
        return None
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("kind:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("status:"))
    return "\n".join(lines[:start + 1] + ["...", "..."] + lines[end:])


def condition_cut(text: str, entry, form: str) -> str | None:
    """The object's status condition cut from its `type:`: only lastTransitionTime and
    message kept (the user copied the lines under the type they scrolled past)."""
    if form != "status_yaml":
        return None
    doc = yaml.safe_load(text)
    conditions = (doc.get("status") or {}).get("conditions")
    if not conditions or entry.state or entry.pod_reason:
        return None  # the message lives in a container state / the pod's reason, not here
    doc["status"]["conditions"] = [{"lastTransitionTime": "2026-12-02T12:00:00Z",
                                    "message": c["message"]} for c in conditions]
    return yaml.safe_dump(doc, sort_keys=False)


def condition_fragment(text: str, entry, form: str) -> str | None:
    """The same condition copied alone: its lines from lastTransitionTime on, indented as in
    the object (no kind, no name)."""
    cut = condition_cut(text, entry, form)
    if cut is None:
        return None
    lines = cut.split("\n")
    start = next(i for i, line in enumerate(lines) if "lastTransitionTime" in line)
    return "\n".join(lines[start:])


def json_escaped(text: str, entry, form: str) -> str | None:
    """Quotes inside the message JSON-escaped (`\\"name\\"`), as old kubectl event tables and
    JSON logs print them; only forms printing the message raw, and messages with a quote."""
    if form not in ("events_table", "log", "message", "kubelet_event") \
            or '"' not in entry_message(entry):
        return None
    return text.replace('"', '\\"')


def wrapped80(text: str, entry, form: str) -> str | None:
    """A terminal 80 columns wide: every longer line cut at column 80 exactly (inside a word
    too), the rest at column 0 (a copy from xterm, tmux or the Windows console)."""
    lines = text.split("\n")
    if all(len(line) <= 80 for line in lines):
        return None
    return "\n".join(piece for line in lines
                     for piece in ([line[i:i + 80] for i in range(0, len(line), 80)] or [""]))


def crlf(text: str, entry, form: str) -> str:
    return text.replace("\n", "\r\n")


def tui_borders(text: str, entry, form: str) -> str:
    """k9s: every line inside `│ ... │`, padded to the panel's width."""
    lines = text.rstrip("\n").split("\n")
    width = max(len(line) for line in lines)
    top = "┌" + "─" * (width + 2) + "┐"
    bottom = "└" + "─" * (width + 2) + "┘"
    return "\n".join([top, *(f"│ {line:<{width}} │" for line in lines), bottom]) + "\n"


_NAMEISH = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
# resource names shaped like object names: the message's subject, never masked by users
_RESOURCES = {"ephemeral-storage"}


def _names(entry) -> list[str]:
    """The object names in a row: its object's name and the fill values shaped like one
    (lowercase DNS labels with a `-`, never a number, a resource or a quantity)."""
    names = {forms.NAME.get(getattr(entry, "object", "Pod"), "x")}
    for value in getattr(entry, "fill", None) or []:
        value = str(value)
        if _NAMEISH.match(value) and "-" in value and value not in _RESOURCES:
            names.add(value)
    return sorted(names, key=len, reverse=True)


def masked(text: str, entry, form: str) -> str | None:
    """The user's own masking: every object name replaced with `*****`."""
    names = [n for n in _names(entry) if n in text]
    if not names:
        return None
    for name in names:
        text = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", MASK, text)
    return text


def entry_message(entry) -> str:
    return getattr(entry, "message", "")


SHAPES = {"quoted": quoted, "fenced_in_list": fenced_in_list, "under_prompt": under_prompt,
          "under_command": under_command, "metadata_elided": metadata_elided,
          "kind_to_status_elided": kind_to_status_elided, "condition_cut": condition_cut,
          "condition_fragment": condition_fragment,
          "json_escaped": json_escaped, "wrapped80": wrapped80, "crlf": crlf,
          "tui_borders": tui_borders, "masked": masked}
