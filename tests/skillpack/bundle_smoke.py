"""Run a skill's example invocations (tests/skills/<name>/bundle_smoke.yaml) in a bundle.

<name> may also be spelled with underscores (tests/skills/k8s_manifests/).

File format, a YAML list of cases, each run with the PyYAML-only Python from inside the
unpacked bundle folder:

    - argv: [scripts/validate_manifest.py, -f, "{fixtures}/good.yaml"]
      exit: 0
    - argv: [scripts/validate_manifest.py, -f, "-"]
      stdin: bad.yaml            # a file next to this YAML
      exit: 1
      stdout_contains: some_cause_id

`{fixtures}` in argv is the folder holding the YAML file, so cases can use the skill's
test fixtures without shipping them in the bundle. Every case also fails on a traceback,
and an expected exit 2 must come with exactly one `error: ...` line on stderr.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from skillpack_helpers import clean_env

TESTS_SKILLS = Path(__file__).resolve().parents[1] / "skills"
TIMEOUT = 120


def smoke_file(name: str) -> Path:
    """tests/skills/<name>/bundle_smoke.yaml, or the same under <name_with_underscores>/
    (the importable spelling skill test folders use)."""
    for folder in (name, name.replace("-", "_")):
        path = TESTS_SKILLS / folder / "bundle_smoke.yaml"
        if path.is_file():
            return path
    return TESTS_SKILLS / name.replace("-", "_") / "bundle_smoke.yaml"


def load_cases(path: Path) -> list[dict]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    assert isinstance(cases, list), f"{path}: expected a list of cases"
    for case in cases:
        assert isinstance(case.get("argv"), list) and "exit" in case, f"{path}: {case}"
    return cases


def run_case(python: Path, bundle_dir: Path, case: dict, base: Path):
    """Returns (completed process, problem or None)."""
    argv = [str(a).replace("{fixtures}", str(base)) for a in case["argv"]]
    stdin = (base / case["stdin"]).read_text(encoding="utf-8") if case.get("stdin") else ""
    proc = subprocess.run([str(python), *argv], input=stdin, capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=bundle_dir, env=clean_env())
    problem = None
    if proc.returncode != case["exit"]:
        problem = f"exit {proc.returncode}, expected {case['exit']}"
    elif "Traceback" in proc.stderr:
        problem = "traceback on stderr"
    elif proc.returncode == 2 and not _one_error_line(proc.stderr):
        problem = "exit 2 without exactly one `error: ...` line on stderr"
    elif case.get("stdout_contains") and case["stdout_contains"] not in proc.stdout:
        problem = f"stdout lacks {case['stdout_contains']!r}"
    return proc, problem


def _one_error_line(stderr: str) -> bool:
    lines = stderr.strip().splitlines()
    return len(lines) == 1 and lines[0].startswith("error: ")
