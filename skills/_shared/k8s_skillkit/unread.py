"""What part of a paste no reader could read, said by every script in one line.

A paste is read part by part (paste.py); a part that looked like YAML but is not valid, or a
describe block with no fields the kit knows, is kept as text and noted in `Dump.unread`. A
diagnosis made without that part may be wrong, so the user must hear about it: `cli.run`
adds one line to the text output and an `unread` list to --json for every paste the script
loaded (through loading.parse_paste / parse_documents, so no script needs code for it).
"""
from __future__ import annotations

from typing import Any

from .dump import Dump

_loaded: list[Dump] = []  # the pastes read since the script started (cli.run resets it)
MAX_LINE = 400


def reset() -> None:
    _loaded.clear()


def note(dump: Dump) -> Dump:
    """Remember a dump read from a paste (returned unchanged, for chaining)."""
    _loaded.append(dump)
    return dump


def parts() -> list[str]:
    """Why each unread part of the pastes read so far was not read, in paste order."""
    return [reason for dump in _loaded for reason in dump.unread]


def line(reasons: list[str]) -> str:
    """One line for the text output; "" when everything was read."""
    if not reasons:
        return ""
    count = f"{len(reasons)} parts" if len(reasons) > 1 else "1 part"
    text = f"Not read ({count} of the input, kept as plain text): " + \
        "; ".join(reasons)
    text = " ".join(text.split())
    return text if len(text) <= MAX_LINE else text[:MAX_LINE - 3] + "..."


def report(payload: dict[str, Any], text: str) -> tuple[dict[str, Any], str]:
    """The script's output with what was not read: `unread` in the JSON payload (when a
    paste was read at all), one line after the text (the first line stays the answer)."""
    if not _loaded:
        return payload, text
    reasons = parts()
    payload = {**payload, "unread": reasons}
    said = line(reasons)
    if said:
        text = f"{text.rstrip()}\n{said}" if text.strip() else said
    return payload, text
