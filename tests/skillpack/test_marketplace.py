"""The repo is a Claude Code plugin marketplace whose plugin lists every skill folder.

Structure checked against the marketplace format (anthropics/skills uses the same shape):
top-level name, owner.name and plugins; each plugin a name and a source; with
`strict: false` the entry lists its skills and plugin.json declares no components.
"""
from __future__ import annotations

import json
import re

import pytest

from harness.skillpack import marketplace
from harness.skillpack.skills import REPO_ROOT, discover

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RESERVED = {"claude-code-marketplace", "claude-code-plugins", "claude-plugins-official",
            "anthropic-marketplace", "anthropic-plugins", "agent-skills", "life-sciences"}
COMPONENT_KEYS = {"commands", "agents", "skills", "hooks", "mcpServers", "lspServers"}


@pytest.fixture(scope="module")
def market():
    return json.loads(marketplace.MARKETPLACE.read_text(encoding="utf-8"))


def test_marketplace_has_the_required_top_level_keys(market):
    assert KEBAB.match(market["name"]) and market["name"] not in RESERVED
    assert isinstance(market["owner"], dict) and market["owner"]["name"]
    assert isinstance(market["plugins"], list) and market["plugins"]


def test_every_plugin_entry_is_well_formed(market):
    names = [p["name"] for p in market["plugins"]]
    assert len(names) == len(set(names))
    for plugin in market["plugins"]:
        assert KEBAB.match(plugin["name"]), plugin["name"]
        assert isinstance(plugin["source"], str) and plugin["source"].startswith("./")
        assert (REPO_ROOT / plugin["source"]).is_dir()
        assert plugin.get("description")
        assert isinstance(plugin.get("skills", []), list)


def test_every_listed_skill_path_exists_and_holds_skill_md(market):
    for plugin in market["plugins"]:
        root = REPO_ROOT / plugin["source"]
        for path in plugin.get("skills", []):
            assert path.startswith("./"), path
            assert (root / path / "SKILL.md").is_file(), f"{path} has no SKILL.md"


def test_every_skill_is_offered(market):
    listed = {p for plugin in market["plugins"] for p in plugin.get("skills", [])}
    assert {f"./skills/{s.name}" for s in discover()} == listed


def test_plugin_manifest_declares_metadata_only():
    manifest = json.loads(marketplace.PLUGIN_MANIFEST.read_text(encoding="utf-8"))
    assert KEBAB.match(manifest["name"])
    assert not COMPONENT_KEYS & set(manifest), "strict: false plugins take components " \
                                               "from marketplace.json only"
    assert "version" not in manifest, "the marketplace entry versions a relative-path plugin"


def test_generated_marketplace_lists_a_new_skill(tiny_skills):
    doc = marketplace.marketplace(tiny_skills)
    assert doc["plugins"][0]["skills"] == ["./skills/tiny-demo"]
    assert doc["plugins"][0]["strict"] is False
