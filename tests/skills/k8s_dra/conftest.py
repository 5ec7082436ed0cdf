"""Run the k8s-dra scripts as a user would (subprocess, text or --json) on YAML fixtures."""
from __future__ import annotations

import sys

import pytest

from tests.skill_scripts import ROOT, resource_fixture, script_fixture

SCRIPTS = ROOT / "skills" / "k8s-dra" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "dra"

sys.path[:0] = [str(SCRIPTS), str(ROOT / "skills" / "_shared")]


script = script_fixture(SCRIPTS)


@pytest.fixture
def dump(tmp_path):
    """dump("cluster-nvidia.yaml", "explain/busy.yaml") -> path of the concatenation."""
    def make(*names: str, extra: str = "") -> str:
        text = "\n---\n".join((RESOURCES / n).read_text() for n in names)
        path = tmp_path / "dump.yaml"
        path.write_text(text + ("\n---\n" + extra if extra else ""))
        return str(path)
    return make


resource = resource_fixture(RESOURCES)
