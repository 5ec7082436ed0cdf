"""Which lines of a paste sit inside a markdown code fence, as CommonMark reads fences.

Prose readers take a fenced line as something a program printed, not a person's words. Two
things decide which lines those are (CommonMark 0.31, "Fenced code blocks"):
- a fence closes only on a line of the same character (` or ~), at least as long as the one
  that opened it, with nothing after it; a ```` block can therefore quote a ``` block, and a
  ``` line inside it is text, not a fence;
- a block that is never closed runs to the end of the paste.

A paste that is all fenced, with no words outside any fence, tells nothing apart: a person who
fences the whole message fences their own sentences too. `prose_marks` reads such a paste as
unfenced, so wrapping a report in a fence does not change what is read from it.
"""
from __future__ import annotations

import re
from typing import Literal

Mark = Literal["fence", "code", "text"]

# An opening fence: 3+ backticks (its info string holds no backtick) or 3+ tildes. A line
# that opens and closes backticks (```a log line```) is an inline code span, not a fence.
FENCE = re.compile(r"^\s*(?P<run>`{3,}(?=[^`]*$)|~{3,})")


def marks(lines: list[str]) -> list[Mark]:
    """Per line: "fence" (a fence line), "code" (inside a fenced block) or "text"."""
    out: list[Mark] = []
    closing = ""  # the run that closes the open block ("" when none is open)
    for line in lines:
        if closing:
            if _closes(line, closing):
                out.append("fence")
                closing = ""
            else:
                out.append("code")
            continue
        opened = FENCE.match(line)
        if opened:
            closing = opened.group("run")
            out.append("fence")
        else:
            out.append("text")
    return out


def _closes(line: str, run: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(run) and set(stripped) == {run[0]}


def prose_marks(lines: list[str]) -> list[Mark]:
    """`marks`, with a paste fenced as a whole (no non-blank line outside its fences) read as
    unfenced: the inside of each of its blocks is marked as if it stood alone, so a ``` block
    quoted in a ```` block is still a block, and the rest is "text"."""
    found = marks(lines)
    if "fence" not in found or any(mark == "text" and line.strip()
                                   for mark, line in zip(found, lines)):
        return found
    out: list[Mark] = []
    index = 0
    while index < len(lines):
        if found[index] != "code":
            out.append(found[index])
            index += 1
            continue
        end = index
        while end < len(lines) and found[end] == "code":
            end += 1
        out.extend(marks(lines[index:end]))
        index = end
    return out
