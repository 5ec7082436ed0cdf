"""validate_manifest.py: inputs, schema checks, exit codes, upstream examples."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import RESOURCES


def _json(run_script, path, *extra):
    code, out, err = run_script("validate_manifest.py", "-f", str(path), "--json", *extra)
    return code, json.loads(out) if out else None, err


@pytest.mark.parametrize("name, needle", [
    ("malformed.yaml", "not valid YAML"),
    ("unknown-kind.yaml", "unknown apiVersion/kind example.com/v1 Widget"),
    ("empty.yaml", "empty input"),
])
def test_bad_input_is_one_line_and_exit_2(run_script, name, needle):
    code, out, err = run_script("validate_manifest.py", "-f", str(RESOURCES / name))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and needle in err


def test_unknown_kind_allowed_becomes_warning(run_script):
    code, doc, _ = _json(run_script, RESOURCES / "unknown-kind.yaml", "--allow-unknown")
    assert code == 1 and [f["cause"] for f in doc["findings"]] == ["unknown_kind"]


def test_crd_in_same_file_makes_kind_known(run_script, tmp_path):
    crd = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
---
"""
    path = tmp_path / "w.yaml"
    path.write_text(crd + (RESOURCES / "unknown-kind.yaml").read_text().replace("3", '"3"'))
    code, doc, _ = _json(run_script, path)
    assert [f["cause"] for f in doc["findings"]] == ["schema_violation"]
    assert "spec.size" in doc["findings"][0]["evidence"][0]


def test_schema_errors_are_reported_with_paths(run_script):
    code, doc, _ = _json(run_script, RESOURCES / "schema-errors.yaml", "--fail-on", "error")
    violation = next(f for f in doc["findings"] if f["cause"] == "schema_violation")
    assert code == 1 and violation["severity"] == "error"
    assert any("spec.replicas" in e and "integer" in e for e in violation["evidence"])
    assert 'unknown field "spec.template.spec.containers[0].imagePullPolicyy"' in \
        violation["evidence"]


def test_helm_output_and_lists_are_read(run_script):
    _, doc, _ = _json(run_script, RESOURCES / "helm-rendered.yaml")
    assert doc["objects"] == 2 and doc["counts"]["error"] == 0
    code, doc, _ = _json(run_script, RESOURCES / "list.yaml")
    assert code == 0 and doc["objects"] == 2


def test_kueue_v1beta1_and_v1beta2_both_validate(run_script):
    code, doc, _ = _json(run_script, RESOURCES / "kueue-both-versions.yaml")
    assert code == 0 and doc["counts"]["error"] == 0
    assert [f["cause"] for f in doc["findings"]] == ["kueue_v1beta1_deprecated"]


def test_gateway_experimental_field_is_flagged(run_script):
    _, doc, _ = _json(run_script, RESOURCES / "gateway-experimental.yaml")
    assert [f["cause"] for f in doc["findings"]] == ["gateway_experimental_field"]


def test_from_the_repository_schemas_are_found(run_script):
    """The plugin channel loads skills straight from the repo: the schemas ship there."""
    code, out, err = run_script("validate_manifest.py", "-f",
                                str(RESOURCES / "helm-rendered.yaml"), schemas=False)
    assert "skipped" not in err and "schema: pinned k8s-schemas.json.gz" in out


def test_without_schemas_rules_still_run(tmp_path):
    """A copy of the skill that lost its assets still runs the best-practice rules."""
    import shutil
    import subprocess
    import sys
    repo = Path(__file__).resolve().parents[3]
    skill = tmp_path / "skills" / "k8s-manifests"
    shutil.copytree(repo / "skills" / "k8s-manifests" / "scripts", skill / "scripts")
    shutil.copytree(repo / "skills" / "_shared", tmp_path / "skills" / "_shared")
    env = {k: v for k, v in __import__("os").environ.items() if k != "K8S_SKILLS_SCHEMAS"}
    proc = subprocess.run([sys.executable, str(skill / "scripts" / "validate_manifest.py"),
                           "-f", str(RESOURCES / "helm-rendered.yaml")], capture_output=True,
                          text=True, timeout=120, env=env)
    assert "schema validation skipped" in proc.stderr and proc.returncode == 1
    assert "missing_resource_requests" in proc.stdout


def test_explicit_schemas_dir_wins(run_script, schemas_dir, tmp_path):
    code, out, err = run_script("validate_manifest.py", "-f", str(RESOURCES / "list.yaml"),
                                "--schemas", str(schemas_dir), schemas=False)
    assert code == 0 and "skipped" not in err


def test_bad_kube_version_is_exit_2(run_script):
    code, out, err = run_script("validate_manifest.py", "-f", str(RESOURCES / "list.yaml"),
                                "--kube-version", "latest")
    assert code == 2 and out == "" and "--kube-version" in err


def test_text_output_is_a_digest(run_script):
    code, out, _ = run_script("validate_manifest.py", "-f", str(RESOURCES / "roundtrip.yaml"),
                              "--allow-unknown")
    first = out.splitlines()[0]
    assert code == 1 and first.startswith("3 object(s) checked") and "error(s)" in first
    assert out.index("ERROR") < out.index("WARNING") < out.index("INFO")


def test_help_teaches(run_script):
    code, out, _ = run_script("validate_manifest.py", "--help")
    assert code == 0 and "examples:" in out and "--dry-run=server" in out


def _upstream(module_dir):
    """Real example manifests from the pinned modules (read at test time, never committed)."""
    files = []
    globs = {"kueue": ["cmd/kueueviz/examples/*.yaml"],
             "gateway-api": ["examples/standard/**/*.yaml"],
             "jobset": ["config/samples/batch_*.yaml"],
             "leaderworkerset": ["config/samples/leaderworkerset_*.yaml",
                                 "config/samples/disaggregatedset_*.yaml"],
             "kubernetes": ["test/integration/scheduler_perf/dra/templates/*.yaml"]}
    for key, patterns in globs.items():
        root = module_dir(key)
        for pattern in patterns:
            files += sorted(root.glob(pattern))
    # Go-templated DRA perf files are not manifests; another-resourceclaimtemplate.yaml uses
    # the v1alpha2-era `controller` field that resource.k8s.io/v1 rejects.
    return [f for f in files if "{{" not in f.read_text()
            and f.name != "another-resourceclaimtemplate.yaml"]


def test_upstream_examples_have_no_errors(run_script, module_dir):
    files = _upstream(module_dir)
    assert len(files) > 40
    failures = []
    for path in files:
        code, out, err = run_script("validate_manifest.py", "-f", str(path), "--json",
                                    "--fail-on", "error")
        if code != 0:
            failures.append(f"{path}: {err.strip() or out[:400]}")
    assert failures == []
