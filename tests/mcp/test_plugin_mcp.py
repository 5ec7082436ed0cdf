"""The plugin's .mcp.json, judged by the real Claude Code CLI (bundled with claude-agent-sdk)
in a throwaway home: the plugin lists one MCP server, and `claude mcp list` starts it the
way Claude Code does and reports it connected (its own health check: spawn, initialize)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from harness.skillpack.claude_cli import ClaudeCLI
from harness.skillpack.marketplace import NAME
from harness.skillpack.skills import REPO_ROOT

pytestmark = pytest.mark.claude_cli


@pytest.fixture(scope="module")
def cli(tmp_path_factory, monkeypatch_module):
    # `k8s-skills` must be on PATH, as it is for a user who installed the package
    monkeypatch_module.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}"
                                      f"{os.environ.get('PATH', '')}")
    cli = ClaudeCLI(tmp_path_factory.mktemp("claude-home-mcp"))
    cli.run("plugin", "marketplace", "add", str(REPO_ROOT))
    cli.run("plugin", "install", f"{NAME}@{NAME}")
    return cli


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def test_the_plugin_declares_the_mcp_server():
    config = json.loads((REPO_ROOT / ".mcp.json").read_text())
    assert config == {"mcpServers": {"kubernetes-skills": {"command": "k8s-skills",
                                                           "args": ["mcp"]}}}


def test_details_list_the_mcp_server(cli):
    out = cli.run("plugin", "details", NAME).stdout
    assert "MCP servers (1)  kubernetes-skills" in out, out


def test_claude_code_starts_it_and_connects(cli):
    out = cli.run("mcp", "list").stdout
    line = next(row for row in out.splitlines() if row.startswith(f"plugin:{NAME}:kubernetes-skills"))
    assert line.endswith("✔ Connected"), out
