"""What a shell word becomes, as far as it can be known without running anything.

A word expands to fields (the argv entries a program receives). A field is a tuple of
segments: `Text` (known characters) and `Unknown` (a value only known at run time, with
what is known about its shape):

- `env`    from the user's own environment (not settable by the line being judged)
- `ref`    `type/name` references printed by `kubectl get -o name` (never Secrets)
- `name`   Kubernetes names printed by kubectl (no blanks, no glob characters, no leading -)
- `int`    a number
- `data`   anything (command output, input read at run time)
- `secret` anything, and a credential (a token file, Secret data)

    >>> f = (Text("--namespace="), Unknown("env"))
    >>> known(f) is None, display(f), starts_with_dash(f)
    (True, '--namespace=$?', True)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("int", "ref", "name", "env", "data", "secret")
GLOB_CHARS = set("*?[")
IFS_WHITESPACE = " \t\n"
IFS_RUN = re.compile(r"[ \t\n]+")


@dataclass(frozen=True)
class Text:
    text: str
    active: bool = False      # unquoted: its glob characters are live
    splits: bool = False      # unquoted result of an expansion: IFS splits it


@dataclass(frozen=True)
class Unknown:
    kind: str
    split: bool = False       # unquoted: may become several fields, may be globbed

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown value kind {self.kind!r}")


def worst_kind(kinds) -> str:
    """The least trusted of several kinds (secret > data > env > name > int)."""
    kinds = [k for k in kinds if k]
    return max(kinds, key=KINDS.index) if kinds else "data"


def known(field: tuple) -> str | None:
    """The field's text when every part of it is known."""
    out = []
    for seg in field:
        if isinstance(seg, Unknown):
            return None
        out.append(seg.text)
    return "".join(out)


def kinds(field: tuple) -> set:
    return {seg.kind for seg in field if isinstance(seg, Unknown)}


def display(field: tuple) -> str:
    return "".join("$?" if isinstance(seg, Unknown) else seg.text for seg in field)


def known_prefix(field: tuple) -> str:
    out = []
    for seg in field:
        if isinstance(seg, Unknown):
            break
        out.append(seg.text)
    return "".join(out)


def starts_with_dash(field: tuple) -> bool:
    """Could the field start with '-' (be read as an option)?"""
    for seg in field:
        if isinstance(seg, Unknown):
            return seg.kind not in ("name", "ref")
        if seg.text:
            return seg.text.startswith("-")
    return False


def may_split(field: tuple) -> bool:
    """Could the field become several argv entries at run time?"""
    return any(isinstance(s, Unknown) and s.split and s.kind != "int" for s in field)


def globbed(field: tuple) -> bool:
    """Could pathname expansion change the field (live *, ? or [ , or an unquoted value)?"""
    for seg in field:
        if isinstance(seg, Unknown):
            if seg.split and seg.kind not in ("int", "name", "ref"):
                return True
        elif seg.active and GLOB_CHARS & set(seg.text):
            return True
    return False


def glob_risky(field: tuple) -> bool:
    """A glob that could expand to an option: it starts with a glob character or '-'."""
    if not globbed(field):
        return False
    for seg in field:
        if isinstance(seg, Unknown):
            return True
        if seg.text:
            first = seg.text[0]
            return first == "-" or (seg.active and first in GLOB_CHARS)
    return True


BREAK = Text("\x00break")   # ends a field: between the words of "$@"


def split_fields(segments: list) -> list:
    """Field splitting: `Text(splits=True)` breaks on blanks; other segments stay whole.

    A field that ends up with no segment at all (an unquoted empty expansion) vanishes,
    as in bash; a quoted empty string stays as one empty field."""
    fields: list = []
    current: list = []
    for seg in segments:
        if seg is BREAK:
            fields.append(tuple(current))
            current = []
            continue
        if isinstance(seg, Text) and seg.splits:
            for i, piece in enumerate(IFS_RUN.split(seg.text)):
                if i and current:
                    fields.append(tuple(current))
                    current = []
                if piece:
                    current.append(Text(piece, True))
            continue
        current.append(seg)
    if current:
        fields.append(tuple(current))
    return fields


def brace_expansion(text_segments: list) -> bool:
    """Does bash brace-expand this word ({a,b} or {1..3} in unquoted text)?

    Only unquoted characters count, the way bash looks at them."""
    chars = []
    for seg in text_segments:
        if isinstance(seg, Text):
            chars.extend((c, seg.active) for c in seg.text)
        else:
            chars.append(("\x00", False))
    for i, (c, live) in enumerate(chars):
        if c == "{" and live and not (i and chars[i - 1] == ("$", True)):
            if _brace_body(chars, i + 1):
                return True
    return False


def _brace_body(chars: list, start: int) -> bool:
    depth, body = 0, []
    for c, live in chars[start:start + 4096]:
        if live and c == "{":
            depth += 1
        elif live and c == "}":
            if depth == 0:
                text = "".join(ch for ch, _ in body)
                commas = any(ch == "," and lv for ch, lv in body)
                return commas or _sequence(text)
            depth -= 1
        body.append((c, live))
    return False


def _sequence(text: str) -> bool:
    parts = text.split("..")
    if len(parts) not in (2, 3):
        return False
    ends = parts[:2]
    numeric = all(p.lstrip("-").isdigit() for p in ends)
    letters = all(len(p) == 1 and p.isalpha() for p in ends)
    step_ok = len(parts) == 2 or parts[2].lstrip("-").isdigit()
    return (numeric or letters) and step_ok
