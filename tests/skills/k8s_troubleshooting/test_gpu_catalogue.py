"""explain_gpu_failure.py on every wording of references/catalogue/gpu.yaml (the NVIDIA and AMD
device plugins', the GPU Operator validator's and the NVIDIA container toolkit's messages, from
the upstream source cited per row), in the forms users paste them: the component's log line,
the line inside a kubelet Failed event (a describe Events row), and the log line hard-wrapped
at 80 columns by a narrow terminal (both lists of the file: see its header); the log line and
the event again in the shapes pastes arrive in (catalogue_shapes). The first
finding's cause must be the row's: the cause the row's source gives the message, never the
script's output.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import sys
from types import SimpleNamespace

import pytest
import yaml

from . import catalogue_forms as forms
from . import catalogue_shapes as shapes
from .conftest import SCRIPTS, run_script

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


# --- the log and the kubelet event in the shapes pastes arrive in (catalogue_shapes) ---------
# explain_gpu_failure.py runs in-process here (a subprocess per case would take minutes)
def _gpu_main():
    shared = str(SCRIPTS.parent.parent / "_shared")
    for path in (str(SCRIPTS), shared):
        if path not in sys.path:
            sys.path.insert(0, path)
    spec = importlib.util.spec_from_file_location("_catalogue_gpu", SCRIPTS / "explain_gpu_failure.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


@pytest.fixture(scope="module")
def explain(tmp_path_factory):
    main = _gpu_main()
    path = tmp_path_factory.mktemp("gpu_catalogue") / "paste.txt"

    def run(text: str) -> tuple[int, dict | None, str]:
        path.write_text(text)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["-f", str(path), "--json"])
        return code, json.loads(out.getvalue()) if code in (0, 1) else None, err.getvalue()
    return run


# the shapes' form names: the kubelet's Failed event is a describe Events row
SHAPED_FORMS = {"log": log_line, "describe": in_kubelet_event}


def _row_entry(row: dict) -> SimpleNamespace:
    return SimpleNamespace(object="Pod", message=_message(row), fill=row.get("fill", []))


def _shaped(index: int, form: str, shape: str) -> str | None:
    row = ROWS[index]
    return shapes.SHAPES[shape](SHAPED_FORMS[form](row), _row_entry(row), form)


SHAPE_CASES = [(i, form, shape) for i in range(len(ROWS)) for form in SHAPED_FORMS
               for shape in shapes.SHAPES if _shaped(i, form, shape) is not None]


@pytest.mark.parametrize("index,form,shape", SHAPE_CASES,
                         ids=[f"{i}:{_message(ROWS[i])[:40]}|{f}|{s}" for i, f, s in SHAPE_CASES])
def test_every_gpu_wording_is_read_in_every_paste_shape(explain, index, form, shape):
    row = ROWS[index]
    paste = _shaped(index, form, shape)
    code, doc, err = explain(paste)
    assert code == 1, f"exit {code} {err.strip()}\n--- {form}/{shape} paste:\n{paste}"
    top = doc["findings"][0]
    assert top["cause"] == row["cause"], (
        f"{form}/{shape}: expected {row['cause']} ({row['from']} {row['source']}), got "
        f"{top['cause']}: {top.get('message')}\n--- paste:\n{paste}")
