"""`k8s-skills skills install --target claude-code`: put built skills where Claude Code looks.

Claude Code loads personal skills from `~/.claude/skills/<name>/` and project skills from
`./.claude/skills/<name>/`. Each folder we install carries a marker file, so a later
install replaces our own older copies and refuses to touch a same-named folder someone
else put there.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from harness.errors import UserError
from harness.skillpack.build import Bundle, build

MARKER = ".k8s-skills-bundle"
TARGETS = ("claude-code",)
SCOPES = ("user", "project")


def destination(scope: str, directory: Path | None = None, home: Path | None = None,
                cwd: Path | None = None) -> Path:
    """The skills folder for a scope; an explicit `directory` wins."""
    if directory is not None:
        return Path(directory)
    if scope == "user":
        return Path(home or Path.home()) / ".claude" / "skills"
    if scope == "project":
        return Path(cwd or Path.cwd()) / ".claude" / "skills"
    raise UserError(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")


def is_ours(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def install(dest: Path, skills_dir: Path | None = None,
            names: list[str] | None = None) -> list[Path]:
    """Build into a temp folder, check every target first, then copy; returns installed paths.

    Checking all conflicts before writing means a refused install leaves nothing half done.
    """
    dest = Path(dest)
    with tempfile.TemporaryDirectory(prefix="k8s-skills-build-") as tmp:
        bundles = build(Path(tmp), skills_dir, names)
        foreign = [dest / b.name for b in bundles
                   if (dest / b.name).exists() and not is_ours(dest / b.name)]
        if foreign:
            raise UserError(f"{foreign[0]} exists and was not installed by k8s-skills: "
                            "move it away (or pass --dir PATH) and run install again")
        dest.mkdir(parents=True, exist_ok=True)
        return [_replace(bundle, dest) for bundle in bundles]


def _replace(bundle: Bundle, dest: Path) -> Path:
    """Copy beside the target, then swap, so a failed copy never leaves a half skill."""
    target = dest / bundle.name
    staging = dest / f".{bundle.name}.k8s-skills-new"
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(bundle.path, staging)
    (staging / MARKER).write_text(json.dumps({"name": bundle.name, "sha256": bundle.digest})
                                  + "\n", encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target
