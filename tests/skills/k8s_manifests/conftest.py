"""Fixtures for the k8s-manifests skill: script paths, pinned schemas built once per session."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.needs import go_toolchain

REPO = Path(__file__).resolve().parents[3]
SKILL = REPO / "skills" / "k8s-manifests"
SCRIPTS = SKILL / "scripts"
RESOURCES = REPO / "tests" / "resources" / "manifests"

# The scripts import their helper modules and k8s_skillkit by path, as in a bundle.
for folder in (str(SCRIPTS), str(REPO / "skills" / "_shared")):
    if folder not in sys.path:
        sys.path.insert(0, folder)


@pytest.fixture(scope="session")
def schemas_dir(tmp_path_factory) -> Path:
    """k8s-schemas.json.gz compiled from the pinned Go modules (skip only without `go`)."""
    go_toolchain()
    from harness.skillpack.schemas import build_schemas
    out = tmp_path_factory.mktemp("schemas")
    build_schemas(out)
    return out


@pytest.fixture
def run_script(schemas_dir):
    """Run a skill script as a user would: (returncode, stdout, stderr)."""
    def _run(script: str, *args: str, stdin: str | None = None, schemas: bool = True):
        env = {k: v for k, v in os.environ.items() if k != "K8S_SKILLS_SCHEMAS"}
        if schemas:
            env["K8S_SKILLS_SCHEMAS"] = str(schemas_dir)
        proc = subprocess.run([sys.executable, str(SCRIPTS / script), *args], input=stdin,
                              capture_output=True, text=True, timeout=120, env=env)
        return proc.returncode, proc.stdout, proc.stderr
    return _run


@pytest.fixture(scope="session")
def module_dir():
    """A pinned Go module's folder (skip only without `go`)."""
    def _dir(key: str) -> Path:
        go_toolchain()
        from harness import gomod
        return gomod.pinned_dir(key)
    return _dir
