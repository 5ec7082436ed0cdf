"""Run the k8s-dra scripts as a user would (subprocess, text or --json) on YAML fixtures."""
from __future__ import annotations

import sys

import pytest
import yaml

from tests.skill_scripts import ROOT, resource_fixture, script_fixture

SCRIPTS = ROOT / "skills" / "k8s-dra" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "dra"

sys.path[:0] = [str(SCRIPTS), str(ROOT / "skills" / "_shared")]


script = script_fixture(SCRIPTS)


@pytest.fixture
def dump(tmp_path):
    """dump("cluster-nvidia.yaml", "explain/busy.yaml") -> path of one `kind: List` holding
    every object, as `kubectl get resourceslices,deviceclasses,... -A -o yaml` prints it (so
    the kinds it holds are listed in full); as_list=False keeps the multi-document paste."""
    def make(*names: str, extra: str = "", as_list: bool = True) -> str:
        text = "\n---\n".join((RESOURCES / n).read_text() for n in names)
        text += "\n---\n" + extra if extra else ""
        if as_list:
            items = [d for d in yaml.safe_load_all(text) if d]
            text = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": items})
        path = tmp_path / "dump.yaml"
        path.write_text(text)
        return str(path)
    return make


resource = resource_fixture(RESOURCES)
