"""Shared by the message-catalogue tests: read a catalogue TSV (references/catalogue/*.tsv),
fill a Go format string with example values, and wrap a message in the forms users paste
(event table row, describe text, an object's condition in YAML, a log line, a sentence).

The catalogue rows are upstream format strings with their source; the expected cause is the
row's, which its note justifies from that source, never a script's output.
"""
from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

NOT_A_FAULT = "not-a-fault"
UNKNOWN = "unknown-on-purpose"


@dataclass(frozen=True)
class Row:
    wording: str
    versions: str
    source: str
    form: str
    reason: str
    cause: str
    note: str

    @property
    def id(self) -> str:
        return f"{self.versions}:{self.wording[:90]}"


def read_catalogue(path: Path) -> list[Row]:
    lines = [ln for ln in path.read_text().splitlines() if ln and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Row(**{k: (v or "") for k, v in rec.items()}) for rec in reader]


# Example values by what the text before a verb names; the default is a plain name.
_CONTEXT = [
    (r"taint $", "{nvidia.com/gpu present NoSchedule <nil>}"),
    (r"(?:for|resource) $", "nvidia.com/gpu"),
    (r"in flavor $", "a100-spot"),
    (r"pod set $", "workers"),
    (r", $", "2"),
    (r"\($", "16"),
    (r"> $", "8"),
    (r"level:? $", "cloud.provider.com/topology-block"),
    (r"resource\.k8s\.io/$", "v1beta1"),
]
_VERB = re.compile(r"%(?:\.0f|[-+# 0]*\d*)?[sdvqwfT]")


def fill(wording: str) -> str:
    """The format string with each verb replaced by a plausible value."""
    out, last = [], 0
    for found in _VERB.finditer(wording):
        before = wording[last:found.start()]
        out.append(before)
        verb = found.group(0)
        out.append(_value(verb, "".join(out)))
        last = found.end()
    out.append(wording[last:])
    return "".join(out)


def _value(verb: str, before: str) -> str:
    if verb.endswith("d"):
        return "3"
    if verb.endswith("f"):
        return "42"
    if verb.endswith("q"):
        return '"team-gpu"'
    if verb.endswith("w"):
        return "the server could not find the requested resource"
    for pattern, value in _CONTEXT:
        if re.search(pattern, before[-40:]):
            return value
    return "[team-gpu]" if verb.endswith("v") else "team-gpu"


def event_table(message: str, reason: str, kind: str = "workload") -> str:
    reason = reason or "Pending"
    return ("LAST SEEN   TYPE      REASON       OBJECT                    MESSAGE\n"
            f"2m          Warning   {reason:<12} {kind}/job-train-7f3a2   {message}\n")


def describe_events(head: str, message: str, reason: str, source: str) -> str:
    reason = reason or "Pending"
    return (head + "Events:\n"
            "  Type     Reason   Age   From   Message\n"
            "  ----     ------   ----  ----   -------\n"
            f"  Warning  {reason}  2m    {source}  {message}\n")


def log_line(message: str, logger: str) -> str:
    return (f'2025-03-04T10:11:12.123Z\tERROR\t{logger}\t{message}\t'
            '{"object": {"name":"job-train-7f3a2","namespace":"team-gpu"}}\n')


def json_log(message: str, logger: str) -> str:
    return json.dumps({"level": "error", "ts": "2025-03-04T10:11:12.123Z", "logger": logger,
                       "msg": message, "namespace": "team-gpu"}) + "\n"


def prose(message: str) -> str:
    return ("Hi, our training job has been stuck since this morning. The controller says: "
            f"{message} Any idea what is wrong with our setup?\n")


def load_main(script: Path):
    """The script's main(argv), imported once (running each form in a subprocess would
    cost a second of CPU per form on a shared machine)."""
    scripts_dir = str(script.parent)
    if scripts_dir not in sys.path:
        sys.path.insert(0, scripts_dir)
    spec = importlib.util.spec_from_file_location(f"catalogue_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def run_main(main, path: Path, *extra: str) -> tuple[int, dict | None, str]:
    """(exit code, JSON document or None, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-f", str(path), "--json", *extra])
    text = out.getvalue()
    return code, (json.loads(text) if text.strip() else None), err.getvalue()


def first_cause(doc: dict | None) -> str:
    findings = (doc or {}).get("findings") or []
    return findings[0]["cause"] if findings else ""


def assert_read_as(main, paste: str, cause: str, form: str, tmp_path: Path) -> None:
    """The script reads `paste` (one catalogued wording in one form) as `cause`, never exit 2."""
    path = tmp_path / "paste.txt"
    path.write_text(paste)
    code, doc, err = run_main(main, path)
    assert code != 2, f"exit 2 on a catalogued wording ({form}): {err}"
    assert first_cause(doc) == cause, (form, doc and doc.get("summary"))


def elide_metadata(text: str) -> str:
    """A docs page's YAML: `metadata:` followed by `...` for its fields (no name then)."""
    out, skipping = [], False
    for line in text.split("\n"):
        if line == "metadata:":
            out += [line, "  ..."]
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out)
