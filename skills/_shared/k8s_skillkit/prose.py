"""Is a paste that holds no object and no message a script knows a user's report in prose?

Issue threads are often prose and markdown only: a bug template ("### Bug Description", a
bullet list of versions), a sentence saying what happened, a link to another thread, log
lines of a successful run. A script cannot decide a cause from that, but refusing it as bad
input (exit 2) is not the honest answer either: the honest answer is "the cause cannot be
told from this paste; collect X" (an info finding). Text that is not written by a person
(binary noise, a lone symbol, an empty file) stays bad input.

`report_lines(lines)` returns the lines that read as a person's report: sentences (at least
three space-separated words of letters), markdown headings (two words) and bullets with words, and links to a thread
(http(s) URLs). `is_report(lines, vocabulary)` is true when there is at least one such line
and, when a skill passes its vocabulary (a compiled pattern of the words its area uses), the
text mentions the area at least once or links a thread (a bare link is a report about
whatever it links; the script cannot follow it and says so).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from . import fences
from .errors import InputError
from .event_table import unwrap_free_text
from .findings import finding

_URL = re.compile(r"https?://\S+")
# a word as prose writes it: letters, maybe an apostrophe or hyphen, maybe punctuation after;
# `key: value` YAML, `a.b.c` names and log fields are not (they split into fewer such tokens)
_WORD = re.compile(r"^[(\"'`*_]*[A-Za-z][A-Za-z'-]*[)\"'`*_]*[,.;:!?]?$")
_MARKDOWN = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")
_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")  # a GitHub quote's markers, nested too


def report_lines(lines: list[str]) -> list[str]:
    """The lines of `lines` that a person wrote: prose outside code fences (fences.prose_marks),
    and links; a line a console cut is joined back first (unwrap_free_text)."""
    out = []
    texts = unwrap_free_text([str(raw) for raw in lines])
    for line, mark in zip(texts, fences.prose_marks(texts)):
        if mark == "fence":
            continue
        if _URL.search(line):
            out.append(_QUOTE.sub("", line).strip())
            continue
        if mark == "code":
            continue
        text = _MARKDOWN.sub("", line)
        # a sentence has 3+ words; a markdown heading ("### Bug Description") 2+
        words = sum(1 for token in text.split() if _WORD.match(token))
        if words >= (2 if _HEADING.match(line) else 3):
            out.append(_QUOTE.sub("", line).strip())
    return out


def links(lines: list[str]) -> list[str]:
    """The http(s) links in the lines, in order, each once."""
    seen: list[str] = []
    for line in lines:
        for url in _URL.findall(str(line)):
            url = url.rstrip(").,;>]`'\"")
            if url not in seen:
                seen.append(url)
    return seen


def is_report(lines: list[str], vocabulary: re.Pattern[str] | None = None) -> bool:
    """A person's report (prose or a link), about the skill's area when a vocabulary is
    given: anywhere in the text, code blocks included (a log line names the driver)."""
    said = report_lines(lines)
    if not said:
        return False
    if vocabulary is None or links(said):
        return True
    return any(vocabulary.search(str(line)) for line in lines)


# --- answering a report in words --------------------------------------------------------------
# A script whose loader found nothing to read raises ProseOnly for a report (above) about its
# area; `cli.run` answers it with one info finding, `not_evaluated` (the cause is not decided
# here, and the commands whose output would decide it), and exit 0. Anything else that is
# unreadable stays bad input (InputError: one line, exit 2).

NOT_EVALUATED = "not_evaluated"


class ProseOnly(InputError):
    """A paste that is a person's report and holds nothing the script reads."""

    def __init__(self, label: str, said: list[str], asks: Sequence[str]):
        self.label = label
        self.said = said
        self.asks = list(asks)
        super().__init__(f"{label}: a report in words, nothing a component printed "
                         f"(paste: {'; '.join(self.asks)})")

    def finding(self) -> dict[str, Any]:
        urls = links(self.said)
        evidence = [f"the paste is prose only ({len(self.said)} line(s) of report text, no "
                    "Kubernetes object and no message a component prints that this script "
                    "reads)"]
        evidence += [f"in the text: {line[:200]}" for line in self.said if line not in urls][:2]
        if urls:
            evidence.append("links (not followed: paste what they show): " + ", ".join(urls[:3]))
        return finding("info", NOT_EVALUATED, {"kind": "Paste", "name": ""},
                       "the cause cannot be told from this paste: it reports the problem in "
                       "words but holds nothing this script can check", evidence,
                       f"paste what these print: {'; '.join(self.asks)}",
                       basis="inferred", confirm=self.asks[0] if self.asks else "")


def refuse_unless_report(text: str, label: str, reason: str, asks: Sequence[str],
                         vocabulary: re.Pattern[str] | None = None) -> InputError:
    """What a loader that found nothing to read raises: ProseOnly for a person's report
    (about the skill's area when `vocabulary` is given), else InputError(reason). Returned,
    so the caller writes `raise refuse_unless_report(...)`."""
    lines = text.splitlines()
    if is_report(lines, vocabulary):
        return ProseOnly(label, report_lines(lines), asks)
    return InputError(reason)
