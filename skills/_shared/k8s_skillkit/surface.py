"""Undo what posting a paste does to its text, before any form is read.

People paste kubectl output into issues, chats and mails, and the text changes on the way:
Windows and some web forms give CRLF line endings, a reply quotes it with GitHub's `> `
prefix, a terminal or an editor leaves trailing spaces, and a copy from some terminals and
web views turns kubectl's column padding into tabs. None of that is evidence; each is undone
here, so every reader (YAML, JSON, describe, tables) sees the text kubectl printed. (Trailing
spaces are left: in describe text they tell an empty value from a map.)

Markdown fences and `$ kubectl ...` lines are separators, handled where the paste is cut
into parts (paste.segments).
"""
from __future__ import annotations

import re

# A GitHub/markdown quote line: `>` then an optional space (`> > ` when nested).
_QUOTED = re.compile(r"^>( |$)")
# A tab after text: a column gap, not indentation.
_INNER_TAB = re.compile(r"\S\t")
# The padding kubectl's table printer puts between columns (k8s.io/cli-runtime
# pkg/printers/tabwriter.go: tabwriterPadding = 3); the readers take any run of 2+ spaces
# as a gap.
_PADDING = 3


def line_endings(text: str) -> str:
    """CRLF (Windows) and lone CR (old Mac) line endings as LF."""
    if "\r" not in text:  # one scan; each replace copies the text (a dump: 140 MB)
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def unquote(text: str) -> str:
    """Lines of a quote block (consecutive lines starting with `> `) without the prefix,
    nested quotes too. A `> kubectl get pods` prompt line becomes a bare `kubectl get pods`,
    which the command reader also takes."""
    # No quote line: the text as is, unsplit (a kubectl dump: 15 million lines, 355 MB).
    # `">" in` first: one memchr, and kubectl's JSON has no literal ">" at all (Go's
    # encoding/json writes it as \u003e); the two-character search costs 0.3 s on 355 MB.
    if ">" not in text or (not text.startswith(">") and "\n>" not in text):
        return text
    lines = text.split("\n")
    changed = True
    while changed:
        changed = False
        out: list[str] = []
        index = 0
        while index < len(lines):
            end = index
            while end < len(lines) and _QUOTED.match(lines[end]):
                end += 1
            if end > index:
                out.extend(_QUOTED.sub("", line, count=1) for line in lines[index:end])
                changed = True
                index = end
            else:
                out.append(lines[index])
                index += 1
        lines = out
    return "\n".join(lines)


def untab(lines: list[str]) -> list[str]:
    """Runs of lines with tabs between columns re-aligned with spaces, as kubectl's
    tabwriter prints them (the table readers find cells by the header's column offsets);
    leading tabs become 4 spaces (indentation)."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not _INNER_TAB.search(lines[index]):
            out.append(_indent(lines[index]))
            index += 1
            continue
        end = index
        while end < len(lines) and _INNER_TAB.search(lines[end]):
            end += 1
        out.extend(_align([_indent(line) for line in lines[index:end]]))
        index = end
    return out


def _indent(line: str) -> str:
    stripped = line.lstrip("\t ")
    lead = line[:len(line) - len(stripped)]
    return lead.replace("\t", "    ") + stripped


def _align(block: list[str]) -> list[str]:
    rows = [line.split("\t") for line in block]  # two tabs in a row: an empty cell
    widths: dict[int, int] = {}
    for row in rows:
        for column, cell in enumerate(row[:-1]):
            widths[column] = max(widths.get(column, 0), len(cell.rstrip()))
    return ["".join(cell.rstrip().ljust(widths[column] + _PADDING) for column, cell
                    in enumerate(row[:-1])) + row[-1] for row in rows]


# A terminal UI's pane border: k9s and tmux draw one (U+2502, U+2503) at each side of every
# row, a space inside it; a long log line wraps inside the pane, so a copy holds its pieces
# framed ("... contro │" / "│ ller-manager ..."; open-feature/open-feature-operator#645).
_FRAME_LEFT = re.compile(r"^[│┃] ?")
_FRAME_RIGHT = re.compile(r" ?[│┃][ \t]*$")


def unframe(text: str) -> str:
    """Lines of a pane border run (2+ lines in a row, each framed at a side), or one line
    framed at both sides (`│ Port is required │`), without the border. A row the pane
    wrapped (its text reaching the right border, see _wrapped_rows) is joined to the piece
    below it, as it was; other pieces a wrap left are joined by the readers' unwrap
    (event_table), which measures the pane by its edges."""
    if "│" not in text and "┃" not in text:
        return text
    lines = text.split("\n")
    framed = [bool(_FRAME_LEFT.match(line) or _FRAME_RIGHT.search(line)) for line in lines]
    boxed = [bool(_FRAME_LEFT.match(line) and _FRAME_RIGHT.search(line)) for line in lines]
    out = []
    for index, line in enumerate(lines):
        beside = (index > 0 and framed[index - 1]) or (index + 1 < len(lines) and
                                                       framed[index + 1])
        in_run = framed[index] and (beside or boxed[index])
        out.append(_FRAME_RIGHT.sub("", _FRAME_LEFT.sub("", line)) if in_run else line)
    return "\n".join(_wrapped_rows(out, boxed, framed))


def _wrapped_rows(out: list[str], boxed: list[bool], framed: list[bool]) -> list[str]:
    """`out` (the unframed lines) with each row a pane wrapped joined to its next piece: in
    a run of lines framed at both sides, the pane pads every row to its inner width, so a
    row as wide as the widest one that does not end in padding reached the right border
    and goes on in the next framed line, when that line reads as its rest (_rest_of_row;
    k9s wraps a long log line or event message inside its pane; the cut falls anywhere, so
    nothing is inserted). The last piece may be framed at its left only (a copy that
    stopped before the row's end, open-feature/open-feature-operator#645)."""
    inner = [len(row) if boxed[i] else -1 for i, row in enumerate(out)]  # unframed already
    widths = _run_widths(inner)
    joined: list[str] = []
    pieces: list[int] = []
    for index, line in enumerate(out):
        previous = index - 1
        if (joined and framed[index] and previous >= 0 and boxed[previous]
                and inner[previous] == widths[previous]
                and _rest_of_row(out[previous], line)):
            joined[-1] += line
            pieces[-1] += 1
        else:
            joined.append(line)
            pieces.append(1)
    # the last piece of a wrapped row is padded to the border: the pane's, not the row's
    return [row.rstrip() if count > 1 else row for row, count in zip(joined, pieces)]


def _run_widths(inner: list[int]) -> list[int]:
    """For each framed line, the inner width of its pane (its run's widest row, which two
    rows reach); -1 for other lines, -2 in a run whose width no two rows show."""
    widths = [-1] * len(inner)
    start = 0
    while start < len(inner):
        if inner[start] < 0:
            start += 1
            continue
        end = start
        while end < len(inner) and inner[end] >= 0:
            end += 1
        # two rows at least must reach it, or the pane's width is not known: one row
        # framed at both sides ends where its text ends
        widest = max(inner[start:end])
        known = inner[start:end].count(widest) >= 2
        widths[start:end] = [widest if known else -2] * (end - start)
        start = end
    return widths


# a line that starts a structure of its own: a top-level key of a Kubernetes object's YAML
# (a pane sized to the widest line of `kubectl get -o yaml`), an item, a document marker, a
# describe field (`Events:  <none>`: describe aligns its values two spaces or more after the
# colon); not a wrapped message's rest (`on: Invalid value: ...`, `PrivilegeEscalation: ...`)
_OWN_LINE = re.compile(r"^(?:(?:apiVersion|kind|metadata|spec|status|items|data|type|rules|"
                       r"subjects|roleRef|webhooks):(?:\s|$)|[A-Z][\w ./()-]*:(?:\s{2,}|$)|"
                       r"- |---|\.\.\.)")


def _rest_of_row(row: str, piece: str) -> bool:
    """`piece` goes on `row`, which reached the border: the wrap split a token (text on both
    sides), or fell at a space, left at the end of the row or at the start of the piece
    (one space, then text: a row of its own is indented by two or more, as kubectl's are).
    A piece that opens a YAML key or item at its start is a line of its own (a pane sized
    to its widest line, which then reaches the border unwrapped)."""
    if not row.strip() or not piece.strip() or _OWN_LINE.match(piece):
        return False
    ends_in_text = not row[-1].isspace()
    one_space_end = row.endswith(" ") and len(row) > 1 and not row[-2].isspace()
    if piece[0].isspace():
        return ends_in_text and piece[0] == " " and not piece[1:2].isspace()
    return ends_in_text or one_space_end


def clean(text: str) -> str:
    """The text as kubectl printed it: LF endings, quote prefixes and pane borders removed."""
    return unframe(unquote(line_endings(text)))


def clean_lines(text: str) -> list[str]:
    """The lines a part reader works on: `clean`, tabs re-aligned. Trailing spaces stay:
    describe pads an empty scalar (`Group:  `) and prints a map as `Spec:` (describe_outline)."""
    return untab(clean(text).split("\n"))
