"""The skills as they sit on disk: their scripts, references and decision trees.

References become MCP resources (`skill://<skill>/references/<file>`) and each skill's
"Decision tree" sections of SKILL.md become one MCP prompt, so a client can pull the same
procedure a Claude Skill follows.
"""
from __future__ import annotations

import re
from pathlib import Path

from harness.errors import UserError
from harness.skillpack.skills import SKILLS_DIR, Skill

HEADING = re.compile(r"^(#{2,3}) (.+)$", re.M)


def find_skills(folder: str | Path | None = None) -> dict[str, Skill]:
    """The skills in `folder` (the repository's skills/, a built dist/skills, or a plugin's
    skills/): every sub-folder with a SKILL.md."""
    root = Path(folder) if folder else SKILLS_DIR
    if not root.is_dir():
        raise UserError(f"skills folder {root} does not exist: pass --skills-dir")
    found = {p.name: Skill(p.name, p) for p in sorted(root.iterdir())
             if (p / "SKILL.md").is_file() and not p.name.startswith(("_", "."))}
    if not found:
        raise UserError(f"no skills (folders with SKILL.md) in {root}: pass --skills-dir")
    return found


def references(skill: Skill) -> list[Path]:
    folder = skill.path / "references"
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def description(skill: Skill) -> str:
    return " ".join(str(skill.frontmatter().get("description", "")).split())


def decision_trees(skill: Skill) -> str:
    """Every `## Decision tree...` section of SKILL.md, with its ### subsections."""
    text = skill.body()
    marks = [(m.start(), len(m.group(1)), m.group(2)) for m in HEADING.finditer(text)]
    parts = []
    for i, (start, level, title) in enumerate(marks):
        if level != 2 or not title.lower().startswith("decision tree"):
            continue
        end = next((s for s, lvl, _ in marks[i + 1:] if lvl == 2), len(text))
        parts.append(text[start:end].strip())
    return "\n\n".join(parts)
