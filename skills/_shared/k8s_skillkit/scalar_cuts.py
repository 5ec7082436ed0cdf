"""YAML and JSON scalars a terminal cut at its width, joined back before a parser reads them.

A console that hard-wraps (tmux, screen, an 80-column xterm copied line by line) cuts
`kubectl get -o yaml|json` output at its width, inside a word too, and starts the rest at
column 0. YAML then folds the cut inside a quoted scalar to a space (`can` / `not list`
reads "can not list"), refuses a plain scalar continued at column 0 below an indented key,
and strict JSON refuses the raw newline in a string. kubectl's own output never continues a
value at column 0 under an indented key (go-yaml indents a folded scalar's lines by two or
more), so such a line (or one that starts with the one space the cut fell before) after one
of exactly the terminal's width is the rest of that line: joined as it was, nothing
inserted (the cut falls anywhere).
"""
from __future__ import annotations

import re
from collections import Counter

from . import event_table

# a mapping key's (YAML `key:`, JSON `"key":`) or a list item's value, and where it starts
# (a key is one word, as in every Kubernetes object: `Error from server (Forbidden): pods
# ...` or `provider restricted-v2: ...` in an error's text is no key)
_VALUE = re.compile(r"""^(\s*)(?:-\s+)?(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|"""
                    r"""[A-Za-z_$][\w./-]*)\s*:\s+|-\s+)(?=\S)""")
# a line YAML reads as structure at column 0: a key, an item, a document marker, a comment.
# A key is one word (as above) or, in `kubectl describe`, capitalised words (`API Version:`,
# `Init Containers:`); words in lower case before a colon (`licies for these routes: [...]`)
# are the rest of a cut sentence, which a message often is
_STRUCTURE = re.compile(r"""^(?:[^\s:"'#][^:#\s]*:(?:\s|$)|"""
                        r"""[A-Z][\w()./-]*(?: [A-Z][\w()./-]*)*:(?:\s|$)|"""
                        r""""[^"]*"\s*:(?:\s|$)|-(?:\s|$)|---|\.\.\.|#|[{}\[\]],?\s*$)""")
# what starts a line of `kubectl describe` at column 0: a field (capitalised words, as above),
# a list item, a document marker; a lower-case word and a colon there (`oxy: service ...`
# below `Message: ... EnvoyPr`) is the rest of a cut value, since describe prints no such key
_DESCRIBE_STRUCTURE = re.compile(r"^(?:[A-Z][\w()./-]*(?: [A-Z][\w()./-]*)*:(?:\s|$)|"
                                 r"-(?:\s|$)|---)")
# a plain scalar cannot start with these (YAML 1.1 indicators): quoted, block, flow, tags
_NOT_PLAIN = tuple("\"'|>{[&*!%@`")


def rejoin_text(text: str) -> str:
    """`text` with its cut scalars joined back (rejoin); as given, without splitting it,
    when no line of a terminal's width goes on at column 0 (a dump may be 100+ MB)."""
    for found in _COLUMN_ZERO.finditer(text):
        line_start = text.rfind("\n", 0, found.start()) + 1
        if found.start() - line_start >= event_table.TERMINAL_WIDTH:
            return "\n".join(rejoin(text.split("\n")))
    return text


# a line break followed by a line at column 0
_COLUMN_ZERO = re.compile(r"\n(?=[^\s])")


def rejoin(lines: list[str]) -> list[str]:
    """The lines with each scalar a terminal cut joined back (see the module's docstring).
    The width is the one the cuts share (two or more lines of one length, each going on at
    column 0) or, with one cut only, a console's default (event_table.TERMINAL_WIDTH): a
    line of another length that goes on at column 0 is no terminal's cut. Other lines as
    given."""
    cut = [len(line) for line, following, (inside, opener) in zip(lines, lines[1:],
                                                                    _quotes(lines))
           if len(line) >= event_table.TERMINAL_WIDTH and
           _rest_of_value(line, following, inside, _json_string(line, inside, opener))]
    if not cut:
        return lines
    width, seen = Counter(cut).most_common(1)[0]
    width = width if seen >= 2 else event_table.TERMINAL_WIDTH
    out: list[str] = []
    inside: str | None = None  # the quote a scalar begun above the last line left open
    opener = ""  # the line that opened it
    last_piece, chained = 0, False
    for line in lines:
        json = bool(out) and _json_string(out[-1], inside, opener)
        # a piece of exactly the width after a cut one is cut too: its rest goes on, even
        # where it looks like a key (`hint: the service port ...` inside a message)
        if out and last_piece == width and (chained and _piece(line, json) or
                                            _rest_of_value(out[-1], line, inside, json)):
            out[-1] += line
            chained = True
        else:
            if out:
                opener = out[-1] if inside is None else opener
                inside = _open_after(out[-1], inside)
            out.append(line)
            chained = False
        last_piece = len(line)
    return out


def _piece(line: str, json: bool = False) -> bool:
    """A line that can be a cut's rest: text at column 0, or after the one space the cut
    fell before (kubectl indents by two or more); inside a JSON string any text (JSON has no
    line break in a string, so the spaces the cut fell before are the string's own)."""
    return bool(line.strip()) and (json or not line[0].isspace() or
                                   (line[0] == " " and not line[1].isspace()))


# a JSON member whose string value is open: `"key": "...` (kubectl's YAML never quotes a key)
_JSON_MEMBER = re.compile(r'^\s*"(?:[^"\\]|\\.)*"\s*:\s*"')


def _json_string(logical: str, inside: str | None, opener: str) -> bool:
    """The scalar open after `logical` is a JSON string: a quoted key's value, opened on
    `logical` or (`inside` one begun above) on `opener`."""
    if _open_after(logical, inside) != '"':
        return False
    return bool(_JSON_MEMBER.match(opener if inside else logical))


def _quotes(lines: list[str]) -> list[tuple[str | None, str]]:
    """For each line, the quote a scalar begun above it leaves open (None: none) and the line
    that opened it."""
    out: list[tuple[str | None, str]] = []
    inside: str | None = None
    opener = ""
    for line in lines:
        out.append((inside, opener))
        opener = line if inside is None else opener
        inside = _open_after(line, inside)
    return out


def _rest_of_value(logical: str, line: str, inside: str | None, json: bool = False) -> bool:
    """`line` (at column 0) goes on the value `logical` left open: a quoted scalar not yet
    closed (begun on `logical` or, `inside` it, above), or a plain one under an indented
    key, where YAML allows no column-0 line but the rest of the cut."""
    if not _piece(line, json):
        return False
    if inside:
        return _still_open(logical, line, inside)
    found = _VALUE.match(logical)
    if not found:
        # an indented line with no key: the rest of a plain scalar go-yaml folded onto its
        # own lines (`message: ...` then `        TargetRef.Namespace:default ...`), itself cut
        # (YAML allows no column-0 line below it either); a comment or an item is no such line
        return (logical[:1].isspace() and not logical.lstrip().startswith(("#", "-"))
                and not _STRUCTURE.match(line))
    value = logical[found.end():]
    if value[0] in "\"'":
        return _still_open(logical, line, None)
    # a capitalised key is a describe field (kubectl's YAML keys are lowerCamelCase)
    describe = logical.strip().lstrip("- ")[:1].isupper()
    structure = _DESCRIBE_STRUCTURE if describe else _STRUCTURE
    return (bool(found.group(1)) and not value.startswith(_NOT_PLAIN)
            and " #" not in value and not structure.match(line))


def _still_open(logical: str, line: str, inside: str | None) -> bool:
    """The scalar is open after `logical`, or `logical` looks closed only because the cut
    fell inside YAML's doubled quote (`didn'` / `'t`): the rest starts with the other half."""
    if _open_after(logical, inside) is not None:
        return True
    return line.startswith("'") and _open_after(logical + "'", inside) is not None


def _open_after(line: str, inside: str | None) -> str | None:
    """The quote a quoted scalar (`"..."` with backslash escapes, `'...'` with `''`) leaves
    open after `line`: one begun on it as a key's or an item's value, or, `inside` one
    begun above, that one unless the line closes it. A blank line ends what was open (no
    kubectl output folds a scalar across one; text that only looked like YAML stops)."""
    if not line.strip():
        return None
    if inside:
        quote, index = inside, 0
    else:
        found = _VALUE.match(line)
        if not found or line[found.end()] not in "\"'":
            return None
        quote, index = line[found.end()], found.end() + 1
    while index < len(line):
        char = line[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and line[index + 1:index + 2] == "'":
                index += 2
                continue
            return None
        index += 1
    return quote
