"""Run the k8s-rbac scripts as a user would: a subprocess, text or --json out."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "skills" / "k8s-rbac" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "rbac"
for _path in (SCRIPTS, ROOT / "skills" / "_shared"):
    if str(_path) not in sys.path:
        sys.path.append(str(_path))


class Result:
    def __init__(self, proc):
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    @property
    def doc(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def script():
    def run(name: str, *args: str, stdin: str | None = None, env: dict | None = None) -> Result:
        proc = subprocess.run([sys.executable, str(SCRIPTS / name), *args], input=stdin,
                              capture_output=True, text=True, timeout=60, env=env)
        return Result(proc)
    return run


@pytest.fixture
def resource():
    return lambda name: str(RESOURCES / name)
