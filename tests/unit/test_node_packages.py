"""Debian packages installed by `cluster build` (harness/cluster/node_packages.py): the real
node's and the Claude Code sandbox's (bwrap and socat, which the CLI needs for
CLAUDE_CODE_SUBPROCESS_ENV_SCRUB: harness/evals/agents/claude_env.sandbox_problem)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from harness.cluster import node_packages
from harness.evals.agents import claude_env


def _no_apt(*_args, **_kwargs):
    raise AssertionError("apt-get must not run")


def test_present_packages_install_nothing(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "bwrap").touch()
    monkeypatch.setattr(subprocess, "run", _no_apt)
    assert node_packages.ensure(print, {"bubblewrap": str(tmp_path / "bwrap")}, "sandbox")


def test_missing_without_root_is_one_line_naming_who_needs_them(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(node_packages.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(subprocess, "run", _no_apt)
    lines: list[str] = []
    packages = {"socat": str(tmp_path / "socat")}
    assert not node_packages.ensure(lines.append, packages, "Claude Code's Bash sandbox")
    assert lines == ["Claude Code's Bash sandbox: skipped installing socat (not root)"]


def test_sandbox_lists_what_claude_env_checks() -> None:
    # The commands the CLI's sandbox needs (claude_env) are the ones `cluster build` installs.
    commands = {Path(path).name for path in node_packages.SANDBOX.values()}
    assert commands == {"bwrap", "socat"}
    if all(Path(p).exists() for p in node_packages.SANDBOX.values()):
        assert claude_env.sandbox_problem() is None


@pytest.mark.skipif(not Path("/usr/bin/apt-get").exists(), reason="needs apt-get (Debian)")
def test_cluster_build_installs_the_sandbox_packages_on_this_machine() -> None:
    # `make setup` runs `cluster build` first; on a Debian machine as root the sandbox
    # commands must then be there (CI: the Claude Code tests need them).
    import os
    if os.geteuid() != 0:
        pytest.skip("needs root to install with apt-get")
    assert node_packages.missing(node_packages.SANDBOX) == []
