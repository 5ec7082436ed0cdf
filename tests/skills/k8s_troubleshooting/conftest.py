"""Run the k8s-troubleshooting scripts as a user would: a subprocess, text or --json out."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "skills" / "k8s-troubleshooting" / "scripts"
RESOURCES = ROOT / "tests" / "resources" / "troubleshooting"


class Result:
    def __init__(self, proc):
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    @property
    def doc(self) -> dict:
        return json.loads(self.out)


def run_script(name: str, *args: str, stdin: str | None = None) -> Result:
    proc = subprocess.run([sys.executable, str(SCRIPTS / name), *args], input=stdin,
                          capture_output=True, text=True, timeout=120)
    return Result(proc)


def paste_findings(script: str, text: str) -> list[dict]:
    """The findings `script -f - --json` gives for `text`, in order; the paste must be read."""
    res = run_script(script, "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


def loud(findings: list[dict]) -> list[dict]:
    """The findings that say something is wrong (error or warning), in order."""
    return [f for f in findings if f["severity"] in ("error", "warning")]


def paste_causes(script: str, text: str) -> list[str]:
    """The causes `script -f - --json` finds in `text`, in order; the paste must be read."""
    return [f["cause"] for f in paste_findings(script, text)]


def first_finding(script: str, text: str) -> dict:
    """The first finding `script -f - --json` gives for a paste."""
    res = run_script(script, "-f", "-", "--json", stdin=text)
    assert res.doc["findings"], res.doc
    return res.doc["findings"][0]


def load(name: str) -> list[dict]:
    return yaml.safe_load((RESOURCES / name).read_text())["items"]


def as_dump(*objects: dict) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": list(objects)})


@pytest.fixture
def triage():
    """triage(objects, *args) -> Result; objects are dumped to stdin as one JSON List."""
    def run(objects: list[dict], *args: str) -> Result:
        return run_script("triage.py", "-f", "-", *args, stdin=as_dump(*objects))
    return run


@pytest.fixture
def scenario():
    """The 8 cluster nodes plus one captured scenario file."""
    return lambda name: load("nodes.yaml") + load(name)
