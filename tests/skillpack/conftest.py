"""Fixtures for the skillpack tests: a throwaway skills folder and a PyYAML-only venv."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skillpack_helpers import write_tiny_skill


@pytest.fixture
def tiny_skills(tmp_path) -> Path:
    """A skills folder holding only the tiny-demo skill (and _shared)."""
    root = tmp_path / "skills"
    write_tiny_skill(root)
    return root


@pytest.fixture(scope="session")
def yaml_only_python(tmp_path_factory) -> Path:
    """Python of a fresh venv whose only third-party package is PyYAML.

    The venv is made without pip and PyYAML is copied in from the running interpreter:
    no network needed, and nothing but PyYAML can leak in (what the Skills API sandbox
    offers). Cached for the whole session because creating it costs a few seconds.
    """
    import yaml
    venv = tmp_path_factory.mktemp("yaml-only-venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    source = Path(yaml.__file__).parent
    shutil.copytree(source, Path(purelib) / "yaml")
    if (source.parent / "_yaml").is_dir():
        shutil.copytree(source.parent / "_yaml", Path(purelib) / "_yaml")
    return python
