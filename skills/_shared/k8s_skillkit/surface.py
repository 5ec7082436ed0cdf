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
    framed at both sides (`│ Port is required │`), without the border. The pieces a wrap left
    are joined by the readers' unwrap (event_table), which measures the pane by its edges."""
    if "│" not in text and "┃" not in text:
        return text
    lines = text.split("\n")
    framed = [bool(_FRAME_LEFT.match(line) or _FRAME_RIGHT.search(line)) for line in lines]
    out = []
    for index, line in enumerate(lines):
        beside = (index > 0 and framed[index - 1]) or (index + 1 < len(lines) and
                                                       framed[index + 1])
        boxed = bool(_FRAME_LEFT.match(line) and _FRAME_RIGHT.search(line))
        in_run = framed[index] and (beside or boxed)
        out.append(_FRAME_RIGHT.sub("", _FRAME_LEFT.sub("", line)) if in_run else line)
    return "\n".join(out)


def clean(text: str) -> str:
    """The text as kubectl printed it: LF endings, quote prefixes and pane borders removed."""
    return unframe(unquote(line_endings(text)))


def clean_lines(text: str) -> list[str]:
    """The lines a part reader works on: `clean`, tabs re-aligned. Trailing spaces stay:
    describe pads an empty scalar (`Group:  `) and prints a map as `Spec:` (describe_outline)."""
    return untab(clean(text).split("\n"))
