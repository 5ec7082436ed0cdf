"""The skills offered to a Claude backend: built once per process, copied per project.

Uses harness.skillpack (the same build users install); whatever skills exist in skills/
are offered, so the harness never needs to know their names.
"""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from harness.skillpack import build as skill_build
from harness.skillpack.skills import split_skill_md

_lock = threading.Lock()
_built: dict[str, Path] = {}


def built_bundles(skills_dir: Path | None = None) -> Path:
    """A folder of built bundles (dist layout), built on first use."""
    key = str(skills_dir or "")
    with _lock:
        if key not in _built:
            out = Path(tempfile.mkdtemp(prefix="k8s-skills-eval-bundles-"))
            skill_build.build(out, skills_dir)
            _built[key] = out
        return _built[key]


def install_into_project(project: Path, skills_dir: Path | None = None) -> list[dict[str, str]]:
    """Copy every bundle to <project>/.claude/skills/<name>/; returns [{name, description}]."""
    source = built_bundles(skills_dir)
    dest = Path(project) / ".claude" / "skills"
    dest.mkdir(parents=True, exist_ok=True)
    offered = []
    for bundle in sorted(p for p in source.iterdir() if p.is_dir()):
        shutil.copytree(bundle, dest / bundle.name, dirs_exist_ok=True)
        meta, _ = split_skill_md((bundle / "SKILL.md").read_text(encoding="utf-8"))
        offered.append({"name": meta.get("name", bundle.name),
                        "description": " ".join(str(meta.get("description", "")).split())})
    return offered


def offered(project: Path) -> list[dict[str, str]]:
    """The bundles installed in a project: [{name, description}]."""
    found = []
    for skill_md in sorted((Path(project) / ".claude" / "skills").glob("*/SKILL.md")):
        meta, _ = split_skill_md(skill_md.read_text(encoding="utf-8"))
        found.append({"name": meta.get("name", skill_md.parent.name),
                      "description": " ".join(str(meta.get("description", "")).split())})
    return found


def skill_body(project: Path, name: str) -> str | None:
    path = Path(project) / ".claude" / "skills" / name / "SKILL.md"
    if not path.is_file():
        return None
    return split_skill_md(path.read_text(encoding="utf-8"))[1]
