"""The shared helper package every skill script imports (skills/_shared/k8s_skillkit)."""
from __future__ import annotations

import io
import json
import sys
from fractions import Fraction
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))

from k8s_skillkit import SCHEMA_VERSION
from k8s_skillkit import loading
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, finding, object_ref, render_text
from k8s_skillkit.objects import conditions, dig, name_of, namespace_of, api_group
from k8s_skillkit.quantity import format_quantity, parse_quantity

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ml"},
       "status": {"conditions": [{"type": "Ready", "status": "False"}]}}


# --- cli: the output contract -------------------------------------------------------

def _parser():
    parser = make_parser("Demo.")
    parser.add_argument("--count", type=int, required=True)
    return parser


def test_json_output_carries_schema_version(capsys):
    code = run(_parser(), ["--count", "2", "--json"], lambda a: ({"n": a.count}, "text", 1))
    assert code == 1
    assert json.loads(capsys.readouterr().out) == {"schema_version": SCHEMA_VERSION, "n": 2}


def test_text_output_by_default(capsys):
    assert run(_parser(), ["--count", "2"], lambda a: ({}, "two things", 0)) == 0
    assert capsys.readouterr().out == "two things\n"


def test_usage_error_is_one_line_exit_2_and_nothing_on_stdout(capsys):
    assert run(_parser(), ["--count", "x"], lambda a: ({}, "", 0)) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: usage: argument --count") and err.count("\n") == 1


def test_multi_line_input_error_is_folded_to_one_line(capsys):
    def body(args):
        raise InputError("kubectl said:\nline two\nline three")
    assert run(_parser(), ["--count", "1"], body) == 2
    assert capsys.readouterr().err == "error: kubectl said: line two line three\n"


# --- findings: the shared shape -----------------------------------------------------

def test_finding_has_the_shared_shape():
    f = finding("warning", "no_limits", POD, "no limits", "containers[0]", fix="set limits")
    assert f == {"severity": "warning", "cause": "no_limits",
                 "object": {"kind": "Pod", "namespace": "ml", "name": "p"},
                 "message": "no limits", "evidence": ["containers[0]"], "fix": "set limits",
                 "basis": "inferred", "confirm": ""}


def test_reported_and_inferred_findings_render_their_basis():
    reported = finding("error", "quota", POD, "no quota", basis="reported")
    inferred = finding("warning", "lq", POD, "no lq", basis="inferred",
                       confirm="kubectl get localqueue -n ml")
    text = render_text([reported, inferred])
    assert "ERROR quota Pod/ml/p [reported]: no quota" in text
    assert "WARNING lq Pod/ml/p [inferred]: no lq\n  confirm: kubectl get localqueue -n ml" in text
    with pytest.raises(ValueError):
        finding("error", "x", POD, "m", basis="guessed")


def test_unknown_severity_is_a_programming_error():
    with pytest.raises(ValueError):
        finding("fatal", "x", POD, "m")


def test_object_ref_accepts_a_reduced_reference():
    assert object_ref({"kind": "Node", "name": "n1"}) == {"kind": "Node", "namespace": "",
                                                          "name": "n1"}


@pytest.mark.parametrize("severities,fail_on,expected", [
    ([], "warning", 0), (["info"], "warning", 0), (["warning"], "warning", 1),
    (["warning"], "error", 0), (["error", "info"], "error", 1), (["info"], "info", 1),
])
def test_exit_code_follows_the_threshold(severities, fail_on, expected):
    found = [finding(s, "c", POD, "m") for s in severities]
    assert exit_code(found, fail_on) == expected


def test_text_lists_errors_first_with_evidence_and_fix():
    text = render_text([finding("info", "a", POD, "fyi"),
                        finding("error", "b", POD, "broken", ["ev"], "do this")])
    assert text.splitlines() == ["ERROR b Pod/ml/p [inferred]: broken", "  evidence: ev",
                                 "  fix: do this", "INFO a Pod/ml/p [inferred]: fyi"]


# --- loading: files, stdin, dumps -----------------------------------------------------

def test_multi_document_yaml_with_lists_and_empty_docs(tmp_path):
    dump = tmp_path / "dump.yaml"
    dump.write_text("# Source: chart/templates/a.yaml\n---\nkind: PodList\nitems:\n"
                    "- {kind: Pod, metadata: {name: a}}\n---\n---\nkind: Service\n"
                    "metadata: {name: s}\n")
    assert [o["kind"] for o in loading.load_objects(str(dump))] == ["Pod", "Service"]


def test_json_list_output_is_flattened():
    text = json.dumps({"kind": "List", "items": [POD, POD]})
    assert len(loading.parse_documents(text, "x")) == 2


def test_stdin_is_read_for_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("kind: Pod\nmetadata: {name: a}\n"))
    assert loading.load_objects("-")[0]["metadata"]["name"] == "a"


@pytest.mark.parametrize("text,message", [
    ("", "empty input"), ("   \n# only a comment\n", "no Kubernetes objects"),
    ("---\n---\n", "no Kubernetes objects"), ("kind: [unclosed\n", "not valid YAML/JSON"),
    ("- a\n- b\n", "document 1 is a list"),
])
def test_bad_input_raises_input_error(text, message):
    with pytest.raises(InputError, match=message):
        loading.parse_documents(text, "f.yaml")


def test_missing_file_and_directory_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        loading.read_text(str(tmp_path / "absent.yaml"))
    with pytest.raises(InputError, match="is a directory"):
        loading.read_text(str(tmp_path))


def test_non_utf8_file_is_an_input_error(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\xff\xfe\x00kind")
    with pytest.raises(InputError, match="cannot read"):
        loading.read_text(str(path))


def test_missing_kubectl_says_how_to_work_offline(monkeypatch):
    monkeypatch.setattr(loading.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match="pass a dump with -f FILE"):
        loading.kubectl_get("pods")


def _fake_kubectl(tmp_path, monkeypatch, script: str):
    exe = tmp_path / "kubectl"
    exe.write_text("#!/bin/sh\n" + script)
    exe.chmod(0o755)
    monkeypatch.setattr(loading.shutil, "which", lambda name: str(exe))


def test_kubectl_failure_is_one_clear_line(tmp_path, monkeypatch):
    _fake_kubectl(tmp_path, monkeypatch, 'echo "error: the server has asked\n for creds" >&2\n'
                  "exit 1\n")
    with pytest.raises(InputError, match="kubectl get pods: error: the server has asked for"):
        loading.kubectl_get("pods")


def test_kubectl_garbage_output_is_an_input_error(tmp_path, monkeypatch):
    _fake_kubectl(tmp_path, monkeypatch, "echo 'not json'\n")
    with pytest.raises(InputError, match="output is not JSON"):
        loading.kubectl_get("pods")


def test_kubectl_list_is_flattened_and_namespace_passed(tmp_path, monkeypatch):
    _fake_kubectl(tmp_path, monkeypatch,
                  'echo "$@" > "$(dirname "$0")/args"\necho \'{"kind":"List","items":'
                  '[{"kind":"Pod","metadata":{"name":"a"}}]}\'\n')
    assert loading.kubectl_get("pods", namespace="ml")[0]["kind"] == "Pod"
    assert (tmp_path / "args").read_text().split() == ["get", "pods", "-o", "json", "-n", "ml"]


# --- objects and quantities -------------------------------------------------------------

def test_getters_read_the_raw_dict():
    assert (name_of(POD), namespace_of(POD), api_group(POD)) == ("p", "ml", "")
    assert api_group({"apiVersion": "kueue.x-k8s.io/v1beta2"}) == "kueue.x-k8s.io"
    assert conditions(POD)["Ready"]["status"] == "False"
    assert dig(POD, "spec", "containers", 0, default="none") == "none"


@pytest.mark.parametrize("text,expected", [
    ("500m", Fraction(1, 2)), ("2Gi", 2 * 1024**3), ("1e3", 1000), ("1.5", Fraction(3, 2)),
    ("1G", 10**9), ("100Mi", 100 * 2**20), (2, 2), (0.1, Fraction(1, 10)),
])
def test_parse_quantity(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "5 Gi", "1Xi", True])
def test_parse_quantity_rejects_what_kubernetes_rejects(bad):
    with pytest.raises(ValueError):
        parse_quantity(bad)


@pytest.mark.parametrize("value,resource,expected", [
    (Fraction(3, 2), "cpu", "1500m"), (Fraction(2), "cpu", "2"),
    (Fraction(2 * 1024**3), "memory", "2Gi"), (Fraction(10**9), "memory", "1G"),
    (Fraction(1536), "memory", "1536"), (Fraction(4), "nvidia.com/gpu", "4"),
])
def test_format_quantity(value, resource, expected):
    assert format_quantity(value, resource) == expected


def test_closed_pipe_is_not_a_traceback():
    """`script --json | head -1` must not print a BrokenPipeError traceback."""
    import subprocess
    shared = str(Path(__file__).resolve().parents[2] / "skills" / "_shared")
    code = (f"import sys; sys.path.insert(0, {shared!r})\n"
            "from k8s_skillkit.cli import make_parser, run\n"
            "sys.exit(run(make_parser('x'), [], lambda a: ({}, 'line\\n' * 200000, 1)))\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


def test_shape_errors_become_one_line_input_errors():
    from k8s_skillkit.cli import shape_errors_as_input
    from k8s_skillkit.errors import InputError

    def body(args):
        return {}["spec"]  # a dump missing a field the script expected

    with pytest.raises(InputError, match="unexpected object shape in the input: KeyError"):
        shape_errors_as_input(body)(None)
