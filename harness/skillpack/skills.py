"""Find the skills in a skills folder and read their SKILL.md frontmatter.

A skill is a folder `skills/<name>/` holding a SKILL.md; folders starting with `_` (the
shared helper code) or `.` are not skills.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.errors import UserError

REPO_ROOT = Path(__file__).resolve().parents[2]
SKILLS_DIR = REPO_ROOT / "skills"
SHARED_PACKAGE = "k8s_skillkit"


@dataclass(frozen=True)
class Skill:
    """One skill folder; `name` is the folder name (the conventions tests keep it equal to
    the frontmatter name)."""

    name: str
    path: Path

    @property
    def skill_md(self) -> Path:
        return self.path / "SKILL.md"

    def frontmatter(self) -> dict[str, Any]:
        return self._parts()[0]

    def body(self) -> str:
        return self._parts()[1]

    def _parts(self) -> tuple[dict[str, Any], str]:
        """Frontmatter and body; a broken SKILL.md is the user's to fix, so UserError."""
        try:
            return split_skill_md(self.skill_md.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise UserError(f"{self.skill_md}: {' '.join(str(err).split())}") from err

    def scripts(self) -> list[Path]:
        """Entry-point scripts: `scripts/*.py`, not the skill's private package (`scripts/_<name>/`)
        or a private `_*.py` module."""
        folder = self.path / "scripts"
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def split_skill_md(text: str) -> tuple[dict[str, Any], str]:
    """(frontmatter dict, body) of a SKILL.md; ValueError when the frontmatter is broken.

    >>> split_skill_md("---\\nname: x\\n---\\n# X\\n")
    ({'name': 'x'}, '# X\\n')
    """
    if not text.startswith("---"):
        raise ValueError("SKILL.md must start with a `---` frontmatter block")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise ValueError("SKILL.md frontmatter is not closed with `---`")
    head = parts[0][3:]
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    try:
        data = yaml.safe_load(head) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"SKILL.md frontmatter is not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise ValueError("SKILL.md frontmatter must be a mapping")
    return data, body


def shared_dir(skills_dir: Path) -> Path:
    """The helper package every bundle gets a copy of: `<skills_dir>/_shared/k8s_skillkit`."""
    return Path(skills_dir) / "_shared" / SHARED_PACKAGE


def discover(skills_dir: Path | None = None, names: list[str] | None = None) -> list[Skill]:
    """Skills under `skills_dir` (default: the repo's), optionally only `names`.

    Raises UserError naming the skills that exist when a requested one does not.
    """
    root = Path(skills_dir or SKILLS_DIR)
    if not root.is_dir():
        raise UserError(f"{root}: no such skills folder")
    found = {p.name: Skill(p.name, p) for p in sorted(root.iterdir())
             if p.is_dir() and not p.name.startswith(("_", ".")) and (p / "SKILL.md").is_file()}
    if not names:
        return list(found.values())
    missing = [n for n in names if n not in found]
    if missing:
        known = ", ".join(found) or "none"
        raise UserError(f"unknown skill {', '.join(missing)}: skills in {root} are {known}")
    return [found[n] for n in dict.fromkeys(names)]
