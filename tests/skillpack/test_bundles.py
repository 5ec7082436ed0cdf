"""Each built bundle runs alone: unzipped into an empty folder, PyYAML-only Python.

This is the Skills API sandbox in miniature (no repo, no network, no pip): a script that
reaches for the repo's `_shared` folder or a package other than PyYAML fails here.
"""
from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from bundle_smoke import load_cases, run_case, smoke_file
from harness.skillpack.build import build
from harness.skillpack.skills import SKILLS_DIR, discover
from skillpack_helpers import clean_env, write_tiny_skill

REAL = discover()
REAL_SCRIPTS = [(s.name, p.name) for s in REAL for p in s.scripts()]
REAL_SMOKE = [s.name for s in REAL if smoke_file(s.name).is_file()]


def _unpack(zip_path: Path, into: Path) -> Path:
    into.mkdir(parents=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(into)
    return into / zip_path.stem


@pytest.fixture(scope="session")
def unpacked(tmp_path_factory) -> dict[str, Path]:
    """Every real skill built, zipped and unpacked apart from the repo (once a session)."""
    root = tmp_path_factory.mktemp("bundles")
    bundles = build(root / "dist", SKILLS_DIR) if REAL else []
    return {b.name: _unpack(b.zip_path, root / "unpacked" / b.name) for b in bundles}


@pytest.fixture(scope="session")
def tiny_bundle(tmp_path_factory) -> Path:
    """The throwaway skill, built and unpacked: proves the mechanism without real skills."""
    root = tmp_path_factory.mktemp("tiny-bundle")
    tiny = write_tiny_skill(root / "skills")
    [bundle] = build(root / "dist", tiny.parent)
    return _unpack(bundle.zip_path, root / "unpacked")


def _run(python, bundle, *argv, stdin=""):
    return subprocess.run([str(python), *argv], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=bundle, env=clean_env())


def test_venv_has_pyyaml_and_nothing_else(yaml_only_python):
    assert _run(yaml_only_python, "/", "-c", "import yaml").returncode == 0
    for absent in ("jinja2", "jsonschema", "harness", "k8s_skillkit"):
        assert _run(yaml_only_python, "/", "-c", f"import {absent}").returncode != 0, absent


def test_tiny_bundle_runs_alone(tiny_bundle, yaml_only_python):
    bundle = tiny_bundle
    assert not (bundle.parent / "_shared").exists()
    assert _run(yaml_only_python, bundle, "scripts/count_objects.py", "--help").returncode == 0
    pods = "kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n"
    proc = _run(yaml_only_python, bundle, "scripts/count_objects.py", "-f", "-", stdin=pods)
    assert proc.returncode == 1 and "missing_requests" in proc.stdout


def test_smoke_cases_report_a_wrong_exit_code(tiny_bundle, yaml_only_python, tmp_path):
    case = {"argv": ["scripts/count_objects.py", "-f", "{fixtures}/ok.yaml"], "exit": 0}
    (tmp_path / "ok.yaml").write_text("kind: ConfigMap\nmetadata: {name: c}\n")
    assert run_case(yaml_only_python, tiny_bundle, case, tmp_path)[1] is None
    case["exit"] = 1
    assert run_case(yaml_only_python, tiny_bundle, case, tmp_path)[1] == \
        "exit 0, expected 1"


@pytest.mark.parametrize("skill,script", REAL_SCRIPTS,
                         ids=[f"{s}/{p}" for s, p in REAL_SCRIPTS])
def test_real_bundle_script_answers_help_alone(unpacked, yaml_only_python, skill, script):
    proc = _run(yaml_only_python, unpacked[skill], f"scripts/{script}", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("skill", REAL_SMOKE)
def test_real_bundle_example_invocations(unpacked, yaml_only_python, skill):
    path = smoke_file(skill)
    failures = []
    for case in load_cases(path):
        proc, problem = run_case(yaml_only_python, unpacked[skill], case, path.parent)
        if problem:
            failures.append(f"{' '.join(map(str, case['argv']))}: {problem}: "
                            f"{proc.stderr.strip()[-300:]}")
    assert failures == []


def test_smoke_exit_2_needs_one_error_line(tiny_bundle, yaml_only_python, tmp_path):
    ok = {"argv": ["scripts/count_objects.py", "-f", "{fixtures}/absent.yaml"], "exit": 2}
    assert run_case(yaml_only_python, tiny_bundle, ok, tmp_path)[1] is None
    noisy = {"argv": ["-c", "import sys; sys.stderr.write('a\\nb\\n'); sys.exit(2)"], "exit": 2}
    assert "exactly one" in run_case(yaml_only_python, tiny_bundle, noisy, tmp_path)[1]
