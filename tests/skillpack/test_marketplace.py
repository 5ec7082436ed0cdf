"""The repo is a Claude Code plugin marketplace whose one plugin is the repo itself.

Shape rules read in the Claude Code CLI 2.1.332 that the pinned claude-agent-sdk bundles
(its loader and `claude plugin validate`); test_claude_cli_plugin.py runs that CLI on the
files. Here: the fast structural facts, so a stale or hand-edited manifest fails at once.
"""
from __future__ import annotations

import importlib.metadata
import json
import re
import struct
import zlib
from pathlib import Path

import pytest

from harness import __version__
from harness.skillpack import icon, marketplace
from harness.skillpack.skills import REPO_ROOT

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# semver.org's own regular expression (the CLI asks for "a version following semver").
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
                    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")
RESERVED = {"claude-code-marketplace", "claude-code-plugins", "claude-plugins-official",
            "anthropic-marketplace", "anthropic-plugins", "agent-skills", "life-sciences"}
COMPONENT_KEYS = {"commands", "agents", "skills", "hooks", "mcpServers", "lspServers",
                  "outputStyles", "themes"}


@pytest.fixture(scope="module")
def market():
    return json.loads(marketplace.MARKETPLACE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest():
    return json.loads(marketplace.PLUGIN_MANIFEST.read_text(encoding="utf-8"))


def test_marketplace_has_the_required_top_level_keys(market):
    assert KEBAB.match(market["name"]) and market["name"] not in RESERVED
    assert isinstance(market["owner"], dict) and market["owner"]["name"]
    assert [p["name"] for p in market["plugins"]] == [marketplace.NAME]


def test_the_entry_is_strict_and_names_no_components(market):
    """A non-strict entry with components beside a plugin.json is refused at load time:
    'conflicting manifests: both plugin.json and marketplace entry specify components'."""
    entry = market["plugins"][0]
    assert entry["source"] == "./" and entry.get("strict", True) is True
    assert not COMPONENT_KEYS & set(entry)


def test_plugin_manifest_hooks_point_at_the_guard(manifest):
    path = REPO_ROOT / manifest["hooks"]
    hooks = json.loads(path.read_text(encoding="utf-8"))["hooks"]
    commands = [h["command"] for event in hooks.values() for m in event for h in m["hooks"]]
    assert all("${CLAUDE_PLUGIN_ROOT}/skills/k8s-rbac/scripts/guard_command.py" in c
               for c in commands), commands
    assert not {"skills", "commands", "agents"} & set(manifest), \
        "skills load from the default skills/ folder"


def test_one_semver_version_everywhere(market, manifest):
    assert SEMVER.match(__version__), __version__
    assert manifest["version"] == market["plugins"][0]["version"] == \
        market["metadata"]["version"] == __version__
    assert importlib.metadata.version("kubernetes-skills") == __version__


def test_pyproject_takes_its_version_from_the_package():
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]', text, re.MULTILINE)
    assert re.search(r'^version = \{ attr = "harness.__version__" \}', text, re.MULTILINE)
    assert not re.search(r'^version = "', text, re.MULTILINE)


def test_generated_manifests_are_current():
    for path, text in marketplace.render_files().items():
        assert path.read_text(encoding="utf-8") == text, \
            f"{path} is stale: run `k8s-skills skills catalog`"


def test_generated_manifest_wires_a_new_skills_hooks(tiny_skills):
    hooks = tiny_skills / "tiny-demo" / "hooks"
    hooks.mkdir()
    (hooks / "hooks.json").write_text('{"hooks": {}}', encoding="utf-8")
    assert marketplace.plugin_manifest(tiny_skills)["hooks"] == \
        "./skills/tiny-demo/hooks/hooks.json"


def _png(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def test_icon_is_a_square_png_the_directory_accepts():
    """CLI check ICON_MISSING: a square PNG, 512 to 2048 px on each side, under 2 MB."""
    path = marketplace.PLUGIN_DIR / "icon.png"
    width, height, _ = _png(path)
    assert width == height and 512 <= width <= 2048
    assert path.stat().st_size < 2 * 1024 * 1024


def test_icon_is_what_the_generator_draws(tmp_path):
    icon.main([str(tmp_path / "icon.png")])
    assert _png(tmp_path / "icon.png") == _png(marketplace.PLUGIN_DIR / "icon.png")
