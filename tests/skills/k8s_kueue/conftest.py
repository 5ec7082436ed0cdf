"""Run the k8s-kueue scripts as a user would: a subprocess, text or --json out."""
from __future__ import annotations

import pytest

from tests.skill_scripts import ROOT, run_script

SCRIPTS = ROOT / "skills" / "k8s-kueue" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "kueue"


@pytest.fixture
def script():
    def run(name: str, *args: str, stdin: str | None = None, env: dict | None = None):
        return run_script(SCRIPTS, name, *args, stdin=stdin, env=env)
    return run


@pytest.fixture
def resource():
    return lambda name: str(RESOURCES / name)
