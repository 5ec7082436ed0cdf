"""Run a skill's scripts as a user would in tests: a subprocess, text or --json out."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Result:
    def __init__(self, proc):
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    @property
    def doc(self) -> dict:
        return json.loads(self.out)

    @property
    def causes(self) -> list[str]:
        return [f["cause"] for f in self.doc["findings"]]


def run_script(scripts: Path, name: str, *args: str, stdin: str | None = None,
               env: dict | None = None, timeout: float = 60) -> Result:
    """Run scripts/<name>; a traceback on stderr is always a defect (exit 2 is the contract)."""
    proc = subprocess.run([sys.executable, str(scripts / name), *args], input=stdin,
                          capture_output=True, text=True, timeout=timeout, env=env)
    assert "Traceback" not in proc.stderr, proc.stderr
    return Result(proc)


def script_fixture(scripts: Path):
    """A `script` fixture running scripts/<name> of one skill: script("x.py", "-f", f)."""
    import pytest

    @pytest.fixture
    def script():
        def run(name: str, *args: str, stdin: str | None = None, env: dict | None = None):
            return run_script(scripts, name, *args, stdin=stdin, env=env)
        return run
    return script


def resource_fixture(resources: Path):
    """A `resource` fixture: resource("file.yaml") -> path under tests/resources/<area>."""
    import pytest

    @pytest.fixture
    def resource():
        return lambda name: str(resources / name)
    return resource
