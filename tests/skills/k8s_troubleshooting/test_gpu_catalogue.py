"""explain_gpu_failure.py on every wording of references/catalogue/gpu.yaml (the NVIDIA and AMD
device plugins', the GPU Operator validator's and the NVIDIA container toolkit's messages, from
the upstream source cited per row), in the forms users paste them: the component's log line,
the line inside a kubelet Failed event (a describe Events row), and the log line hard-wrapped
at 80 columns by a narrow terminal (both lists of the file: see its header). The first
finding's cause must be the row's: the cause the row's source gives the message, never the
script's output.
"""
from __future__ import annotations

import pytest
import yaml

from . import catalogue_forms as forms
from .conftest import run_script

GPU_CATALOGUE = forms.CATALOGUE / "gpu.yaml"
# every row (triage.py reads them too: test_catalogue.py)
_DOC = yaml.safe_load(GPU_CATALOGUE.read_text())
ROWS = _DOC["entries"]


def _message(row: dict) -> str:
    return forms.fill(row["wording"], row.get("fill", []))


def log_line(row: dict) -> str:
    return f"I1202 12:00:03.118245       1 main.go:301] {_message(row)}\n"


def in_kubelet_event(row: dict) -> str:
    return ("Name:         train-llm-worker-0\nNamespace:    ml\nStatus:       Pending\n"
            "Events:\n  Type     Reason     Age   From     Message\n"
            "  ----     ------     ----  ----     -------\n"
            f"  Warning  Failed     12s   kubelet  Error: {_message(row)}\n")


def wrapped(row: dict) -> str:
    return forms.wrapped(log_line(row))


FORMS = {"log": log_line, "kubelet_event": in_kubelet_event, "wrapped80": wrapped}
CASES = [(i, form) for i in range(len(ROWS)) for form in FORMS]


def test_rows_are_complete():
    assert len(ROWS) >= 15
    for row in ROWS:
        assert row["versions"] and row["source"] and row["from"] and row["cause"], row
        _message(row)  # the fill matches the verbs


@pytest.mark.parametrize("index,form", CASES,
                         ids=[f"{i}:{_message(ROWS[i])[:40]}|{f}" for i, f in CASES])
def test_every_gpu_wording_is_read(index, form):
    row = ROWS[index]
    paste = FORMS[form](row)
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=paste)
    assert res.code == 1, f"exit {res.code} {res.err.strip()}\n--- {form} paste:\n{paste}"
    top = res.doc["findings"][0]
    assert top["cause"] == row["cause"], (
        f"{form}: expected {row['cause']} ({row['from']} {row['source']}), got "
        f"{top['cause']}: {top.get('message')}\n--- paste:\n{paste}")
