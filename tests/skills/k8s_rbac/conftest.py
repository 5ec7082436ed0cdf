"""Run the k8s-rbac scripts as a user would: a subprocess, text or --json out."""
from __future__ import annotations

import sys

import pytest

from tests.skill_scripts import ROOT, run_script

SCRIPTS = ROOT / "skills" / "k8s-rbac" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "rbac"
for _path in (SCRIPTS, ROOT / "skills" / "_shared"):
    if str(_path) not in sys.path:
        sys.path.append(str(_path))


@pytest.fixture
def script():
    def run(name: str, *args: str, stdin: str | None = None, env: dict | None = None):
        return run_script(SCRIPTS, name, *args, stdin=stdin, env=env)
    return run


@pytest.fixture
def resource():
    return lambda name: str(RESOURCES / name)
