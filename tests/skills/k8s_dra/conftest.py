"""Run the k8s-dra scripts as a user would (subprocess, text or --json) on YAML fixtures."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "skills" / "k8s-dra" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "dra"

sys.path[:0] = [str(SCRIPTS), str(ROOT / "skills" / "_shared")]


class Result:
    def __init__(self, proc):
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    @property
    def doc(self) -> dict:
        return json.loads(self.out)

    @property
    def causes(self) -> list[str]:
        return [f["cause"] for f in self.doc["findings"]]


@pytest.fixture
def script():
    def run(name: str, *args: str, stdin: str | None = None) -> Result:
        proc = subprocess.run([sys.executable, str(SCRIPTS / name), *args], input=stdin,
                              capture_output=True, text=True, timeout=60)
        assert "Traceback" not in proc.stderr, proc.stderr
        return Result(proc)
    return run


@pytest.fixture
def dump(tmp_path):
    """dump("cluster-nvidia.yaml", "explain/busy.yaml") -> path of the concatenation."""
    def make(*names: str, extra: str = "") -> str:
        text = "\n---\n".join((RESOURCES / n).read_text() for n in names)
        path = tmp_path / "dump.yaml"
        path.write_text(text + ("\n---\n" + extra if extra else ""))
        return str(path)
    return make


@pytest.fixture
def resource():
    return lambda name: str(RESOURCES / name)
