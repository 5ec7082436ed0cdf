"""Run the k8s-gateway-gaie scripts in-process (fast) or as a subprocess (as a user would)."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "skills" / "k8s-gateway-gaie" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "gateway"


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def doc(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def gw_run(capsys):
    """gw_run("check_routes", "-f", path, "--json") -> Result, calling main() in-process."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))

    def run(name: str, *args: str) -> Result:
        module = importlib.import_module(name)
        capsys.readouterr()
        code = module.main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)
    return run


@pytest.fixture
def gw_proc():
    def run(name: str, *args: str, stdin: str | None = None) -> Result:
        proc = subprocess.run([sys.executable, str(SCRIPTS / f"{name}.py"), *args], input=stdin,
                              capture_output=True, text=True, timeout=60)
        return Result(proc.returncode, proc.stdout, proc.stderr)
    return run


@pytest.fixture
def gw_resource():
    return lambda *parts: str(RESOURCES.joinpath(*parts))


def paste_findings(gw_run, tmp_path, text: str) -> list[dict]:
    """check_routes --json on `text` saved as a paste; the input must be read (exit != 2)."""
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code != 2, result.err
    return result.doc["findings"]


def paste_problems(gw_run, tmp_path, text: str) -> list[dict]:
    """The paste's findings that are not info."""
    return [f for f in paste_findings(gw_run, tmp_path, text) if f["severity"] != "info"]


def problem_causes(gw_run, tmp_path, text: str) -> list[str]:
    """The causes of the paste's findings that are not info, in order."""
    return [f["cause"] for f in paste_problems(gw_run, tmp_path, text)]


def causes_or_refused(gw_run, tmp_path, text: str) -> list[str]:
    """problem_causes, or [] when check_routes refuses the input (exit 2): for near-misses that
    may be read or refused, as long as they are not read as the cause."""
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    if result.code == 2:
        return []
    return [f["cause"] for f in result.doc["findings"] if f["severity"] != "info"]
