"""generate.py: every shape is schema-valid and rule-clean; both renderers agree."""
from __future__ import annotations

import json

import pytest
import yaml

from _manifest import render
from conftest import RESOURCES
from manifests_helpers import SHAPE_ARGS, render_case

CLI_CASES = yaml.safe_load((RESOURCES / "generate-cases.yaml").read_text())


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_generated_manifest_validates_clean(run_script, case):
    code, out, err = run_script("generate.py", *CLI_CASES[case])
    assert code == 0, err
    code, report, err = run_script("validate_manifest.py", "-f", "-", "--json", stdin=out)
    doc = json.loads(report)
    assert doc["schema"]["validated"] is True
    bad = [f for f in doc["findings"] if f["severity"] in ("error", "warning")]
    assert bad == [] and code == 0, bad


@pytest.mark.parametrize("case", sorted(SHAPE_ARGS))
def test_builtin_renderer_matches_jinja(case):
    # jinja2 is a dependency of the project (pyproject.toml), not an optional tool
    assert render_case(case, use_jinja=False)[0] == render_case(case, use_jinja=True)[0]


def test_builtin_renderer_is_used_without_jinja(monkeypatch):
    monkeypatch.setattr(render, "jinja2", None)
    assert "built-in" in render.engine_name()
    _, objs = render_case("training-job")
    assert [o["kind"] for o in objs] == ["Service", "Job"]


def test_every_shape_has_a_cli_case():
    from _manifest import shapes
    assert {args[0] for args in CLI_CASES.values()} == set(shapes.SHAPES)


def test_notes_explain_what_was_left_out(run_script):
    code, out, err = run_script("generate.py", "deployment", "--name", "w", "--image", "a:1",
                                "--port", "0")
    assert code == 0 and "no --port" in err and "readinessProbe" not in out
    _, _, err = run_script("generate.py", "training-job", "--name", "t")
    assert "suspended for Kueue LocalQueue 'user-queue'" in err
    _, out, _ = run_script("generate.py", "training-job", "--name", "t", "--queue", "")
    assert "suspend" not in out and "queue-name" not in out


def test_training_job_wiring():
    _, objs = render_case("training-job")
    svc, job = objs
    spec = job["spec"]
    assert spec["completions"] == spec["parallelism"] == 4 and spec["suspend"] is True
    assert spec["completionMode"] == "Indexed"
    assert job["metadata"]["labels"]["kueue.x-k8s.io/queue-name"] == "team-a"
    pod = spec["template"]["spec"]
    env = {e["name"]: e for e in pod["containers"][0]["env"]}
    assert env["WORLD_SIZE"]["value"] == "4" and env["MASTER_ADDR"]["value"] == "ft-0.ft"
    assert "job-completion-index" in env["RANK"]["valueFrom"]["fieldRef"]["fieldPath"]
    assert pod["subdomain"] == svc["metadata"]["name"] and svc["spec"]["clusterIP"] == "None"
    assert pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "8"


def test_llm_inference_wiring():
    _, objs = render_case("llm-inference-pvc")
    kinds = [o["kind"] for o in objs]
    assert kinds[0] == "PersistentVolumeClaim" and "Service" in kinds
    c = objs[1]["spec"]["template"]["spec"]["containers"][0]
    assert {"startupProbe", "readinessProbe", "livenessProbe"} <= set(c)
    assert c["startupProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert c["ports"][0]["containerPort"] == 8000
    assert {m["mountPath"] for m in c["volumeMounts"]} >= {"/dev/shm", "/models", "/tmp"}
    assert objs[0]["spec"]["accessModes"] == ["ReadWriteMany"]


def test_spec_file_equals_flags(run_script, tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"shape": "deployment", "name": "web",
                                    "image": "nginx:1.27", "with": ["service"]}))
    _, from_spec, _ = run_script("generate.py", "-f", str(spec))
    _, from_flags, _ = run_script("generate.py", "deployment", "--name", "web",
                                  "--image", "nginx:1.27", "--with", "service")
    assert from_spec == from_flags and "kind: Service" in from_spec


@pytest.mark.parametrize("args, needle", [
    (["deployment", "--name", "x"], "--image is required"),
    (["nosuchshape", "--name", "x"], "usage:"),
    (["deployment", "--name", "x", "--image", "a:1", "--replicas", "two"], "replicas"),
])
def test_generate_bad_input_exit_2(run_script, args, needle):
    code, out, err = run_script("generate.py", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err


def test_generate_unknown_spec_key(run_script, tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text("shape: job\nname: j\nimage: a:1\nreplicaz: 3\n")
    code, _, err = run_script("generate.py", "-f", str(spec))
    assert code == 2 and "replicaz" in err


@pytest.mark.parametrize("args, needle", [
    (["service", "--name", "Web_1"], "--name 'Web_1'"),
    (["deployment", "--name", "w", "--image", "a:1", "--with", "ingress"], "--with ingress"),
    (["llm-inference", "--name", "m", "--model-cache", "nfs"], "--model-cache nfs"),
])
def test_generate_rejects_bad_values(run_script, args, needle):
    code, out, err = run_script("generate.py", *args)
    assert code == 2 and out == "" and needle in err and err.count("\n") == 1
