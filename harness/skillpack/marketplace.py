"""`.claude-plugin/marketplace.json` and `plugin.json`: this repo as a Claude Code marketplace.

How Claude Code 2.1.332 loads it (read in the CLI, and checked by tests/skillpack/
test_claude_cli_plugin.py with the real CLI):
- The marketplace lists one plugin whose source is the repo root (`"./"`). Its entry is
  `strict` (the default): plugin.json is the plugin's manifest and the entry carries only
  catalogue data. A non-strict entry that names components beside a plugin.json is refused
  at load time ("conflicting manifests: both plugin.json and marketplace entry specify
  components"), which is how the plugin failed to load before.
- Skills come from the default `skills/` folder: every `skills/<name>/SKILL.md` loads as
  `kubernetes-skills:<name>`; `skills/_shared` has no SKILL.md and is only a library the
  scripts import (`../../_shared`, which resolves inside the plugin's own copy too).
- Hooks: the plugin root has no `hooks/hooks.json`, so plugin.json names the file each
  skill ships (k8s-rbac's command guard), run with `${CLAUDE_PLUGIN_ROOT}`.
- One version: `harness.__version__` is the package's version (pyproject reads it) and the
  plugin's; plugin.json and the marketplace entry carry it (`claude plugin tag` checks that
  they agree, `claude plugin validate` warns when plugin.json has none).
- The icon is `.claude-plugin/icon.png` (see `harness.skillpack.icon`).
"""
from __future__ import annotations

from typing import Any
import json
from pathlib import Path

from harness import __version__
from harness.skillpack.skills import REPO_ROOT, discover

PLUGIN_DIR = REPO_ROOT / ".claude-plugin"
MARKETPLACE = PLUGIN_DIR / "marketplace.json"
PLUGIN_MANIFEST = PLUGIN_DIR / "plugin.json"
NAME = "kubernetes-skills"
DESCRIPTION = ("Skills for Kubernetes AI infrastructure: manifests, Kueue batch queues, "
               "DRA accelerators, Gateway API inference routing, RBAC and troubleshooting")
OWNER = {"name": "kubernetes-skills maintainers"}
KEYWORDS = ["kubernetes", "kueue", "dra", "gpu", "gateway-api", "inference", "rbac",
            "troubleshooting"]


def marketplace(skills_dir: Path | None = None) -> dict[str, Any]:
    """The catalogue: where the plugin is and what it is, no components (strict entry)."""
    del skills_dir  # the entry names no components; kept for a uniform signature
    plugin = {"name": NAME, "description": DESCRIPTION, "version": __version__,
              "source": "./", "strict": True, "category": "development",
              "keywords": KEYWORDS}
    return {"name": NAME, "owner": OWNER,
            "metadata": {"description": DESCRIPTION, "version": __version__},
            "plugins": [plugin]}


def hook_files(skills_dir: Path | None = None) -> list[str]:
    """`./skills/<name>/hooks/hooks.json` of every skill that ships Claude Code hooks."""
    return [f"./skills/{s.name}/hooks/hooks.json" for s in discover(skills_dir)
            if (s.path / "hooks" / "hooks.json").is_file()]


def plugin_manifest(skills_dir: Path | None = None) -> dict[str, Any]:
    manifest = {"name": NAME, "version": __version__, "description": DESCRIPTION,
                "author": OWNER, "license": "Apache-2.0", "keywords": KEYWORDS}
    hooks = hook_files(skills_dir)
    if hooks:
        manifest["hooks"] = hooks[0] if len(hooks) == 1 else hooks
    return manifest


def render_files(skills_dir: Path | None = None) -> dict[Path, str]:
    """{path: text} of both JSON files, stable formatting so --check can compare bytes."""
    def dump(doc: dict[str, Any]) -> str:
        return json.dumps(doc, indent=2) + "\n"
    return {MARKETPLACE: dump(marketplace(skills_dir)),
            PLUGIN_MANIFEST: dump(plugin_manifest(skills_dir))}
