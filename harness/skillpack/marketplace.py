"""`.claude-plugin/marketplace.json` and `plugin.json`: this repo as a Claude Code marketplace.

Layout follows the anthropics/skills repository's own marketplace: one plugin whose source
is the repo root (`"./"`), `strict: false` so the marketplace entry alone defines the
plugin, and an explicit `skills` list of `./skills/<name>` folders. Scripts in those
folders reach the shared helper package at `../../_shared`, so the raw repo layout works
without a build. The list is generated from the skills (by `k8s-skills skills catalog`)
so it can never name a folder that is missing nor forget a new skill.

plugin.json carries only metadata (no component paths: with `strict: false` a plugin.json
declaring components is a load-time conflict); it also lets `claude --plugin-dir .` load a
checkout directly, finding `skills/` by default.
"""
from __future__ import annotations

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


def marketplace(skills_dir: Path | None = None) -> dict:
    skills = discover(skills_dir)
    plugin = {"name": NAME, "description": DESCRIPTION, "version": __version__,
              "source": "./", "strict": False,
              "skills": [f"./skills/{skill.name}" for skill in skills]}
    # Skills that ship Claude Code hooks (k8s-rbac's command guard) are wired explicitly:
    # the plugin root is the repo root, which has no hooks/ folder of its own.
    hooks = [f"./skills/{s.name}/hooks/hooks.json" for s in skills
             if (s.path / "hooks" / "hooks.json").is_file()]
    if hooks:
        plugin["hooks"] = hooks[0] if len(hooks) == 1 else hooks
    return {"name": NAME, "owner": OWNER,
            "metadata": {"description": DESCRIPTION, "version": __version__},
            "plugins": [plugin]}


def plugin_manifest() -> dict:
    """No `version`: for a relative-path plugin the marketplace entry carries it, and a
    version in plugin.json would silently override the marketplace's."""
    return {"name": NAME, "description": DESCRIPTION, "author": OWNER,
            "license": "Apache-2.0"}


def render_files(skills_dir: Path | None = None) -> dict[Path, str]:
    """{path: text} of both JSON files, stable formatting so --check can compare bytes."""
    def dump(doc):
        return json.dumps(doc, indent=2) + "\n"
    return {MARKETPLACE: dump(marketplace(skills_dir)), PLUGIN_MANIFEST: dump(plugin_manifest())}
