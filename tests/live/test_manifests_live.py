"""Issue 3, live: every manifest generate.py produces is accepted by the real apiserver.

Server-side dry-run runs admission (including Kueue's webhooks) and the full Go validation
that the offline validator does not reproduce; nothing is persisted.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "skills" / "k8s-manifests" / "scripts"
RESOURCES = REPO / "tests" / "resources" / "manifests"
CLI_CASES = yaml.safe_load((RESOURCES / "generate-cases.yaml").read_text())


def _script(name: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(SCRIPTS / name), *args], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_generated_manifest_passes_server_dry_run(kubectl, namespace, case):
    manifest = _script("generate.py", *CLI_CASES[case], "--namespace", namespace)
    proc = kubectl("apply", "--dry-run=server", "-f", "-", stdin=manifest, check=False)
    assert proc.returncode == 0, f"{case}: {proc.stderr}"


def test_hardened_manifest_passes_server_dry_run(kubectl, namespace):
    fixture = RESOURCES / "helm-rendered.yaml"
    hardened = _script("harden.py", "-f", str(fixture))
    proc = kubectl("apply", "--dry-run=server", "-n", namespace, "-f", "-", stdin=hardened,
                   check=False)
    assert proc.returncode == 0, proc.stderr
