"""The rules every skill follows, as functions returning problems (empty list = fine).

tests/skills/test_conventions.py runs them over every real skill; keeping them here lets
tests prove each rule catches a broken skill, and lets a contributor run them by hand.
Script behaviour (--help, usage errors) is checked by running the scripts, in the tests.
"""
from __future__ import annotations

import re

from harness.skillpack.skills import Skill, split_skill_md

ALLOWED_KEYS = {"name", "description", "license", "compatibility", "metadata",
                "allowed-tools"}
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_NAME = 64
MAX_DESCRIPTION = 1024
MAX_BODY_LINES = 500
# A path the SKILL.md points the model at: scripts/x.py, references/y.md. Not assets/:
# build-time generators (extras.py) may write there, so those files need not be in the repo.
MENTIONED_PATH = re.compile(r"(?<![\w./-])((?:scripts|references)/[\w./-]*[\w/])")


def frontmatter_problems(skill: Skill) -> list[str]:
    """Our rules on top of skills-ref: name, description and top-level keys."""
    try:
        meta, _ = split_skill_md(skill.skill_md.read_text(encoding="utf-8"))
    except ValueError as err:
        return [str(err)]
    problems = []
    extra = sorted(set(meta) - ALLOWED_KEYS)
    if extra:
        problems.append(f"top-level keys not allowed: {', '.join(extra)}")
    problems += _name_problems(str(meta.get("name", "")), skill.name)
    problems += _description_problems(meta.get("description"))
    return problems


def _name_problems(name: str, folder: str) -> list[str]:
    problems = []
    if name != folder:
        problems.append(f"name {name!r} must equal the folder name {folder!r}")
    if not NAME_PATTERN.match(name) or len(name) > MAX_NAME:
        problems.append(f"name {name!r} must be lowercase [a-z0-9-], at most {MAX_NAME} chars")
    return problems


def _description_problems(description: object) -> list[str]:
    if not isinstance(description, str) or not description.strip():
        return ["description must be a non-empty string"]
    problems = []
    if len(description) > MAX_DESCRIPTION:
        problems.append(f"description is {len(description)} chars, limit {MAX_DESCRIPTION}")
    if "<" in description or ">" in description:
        problems.append("description must not contain < or >")
    if not re.search(r"\bwhen\b", description, flags=re.IGNORECASE):
        problems.append("description must say when to use the skill (e.g. 'Use when ...')")
    return problems


def body_problems(skill: Skill) -> list[str]:
    lines = len(skill.body().splitlines())
    if lines > MAX_BODY_LINES:
        return [f"body has {lines} lines, limit {MAX_BODY_LINES}: move detail to references/"]
    return []


def mentioned_paths(skill: Skill) -> list[str]:
    """Every scripts/ or references/ path the SKILL.md mentions, in order."""
    text = skill.skill_md.read_text(encoding="utf-8")
    found = [m.rstrip(".") for m in MENTIONED_PATH.findall(text)]
    return list(dict.fromkeys(found))


def missing_paths(skill: Skill) -> list[str]:
    return [p for p in mentioned_paths(skill) if not (skill.path / p).exists()]
