"""`k8s-skills skills build`: write dist/skills/<name>/ and dist/skills/<name>.zip.

A bundle is what Claude Code or the Skills API sandbox sees: SKILL.md, scripts/ with a copy
of the shared `k8s_skillkit` package beside them (so `import k8s_skillkit` works without the
repo), references/, assets/ and any generated files. Zips are byte-for-byte reproducible
(sorted entries, fixed timestamps and modes) so their hash says whether anything changed.
"""
from __future__ import annotations

import hashlib
import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from harness.errors import UserError
from harness.skillpack import extras
from harness.skillpack.skills import Skill, discover, shared_dir, SHARED_PACKAGE

BUNDLED_FOLDERS = ("scripts", "references", "assets", "hooks")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store", ".pytest_cache")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Bundle:
    """A built skill: its folder, its zip and the hash of its content."""

    name: str
    path: Path
    zip_path: Path
    digest: str


def build(out_dir: Path, skills_dir: Path | None = None,
          names: list[str] | None = None) -> list[Bundle]:
    """Build every (or the named) skill into `out_dir`; returns the bundles in name order."""
    skills = discover(skills_dir, names)
    if not skills:
        raise UserError(f"no skills found in {skills_dir or 'skills/'}: nothing to build")
    shared = shared_dir(skills[0].path.parent)
    if not shared.is_dir():
        raise UserError(f"{shared}: shared helper package missing")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [build_one(skill, out_dir, shared) for skill in skills]


def build_one(skill: Skill, out_dir: Path, shared: Path) -> Bundle:
    """Replace `out_dir/<name>/` with a fresh bundle and write its zip."""
    target = out_dir / skill.name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(skill.skill_md, target / "SKILL.md")
    for folder in BUNDLED_FOLDERS:
        if (skill.path / folder).is_dir():
            shutil.copytree(skill.path / folder, target / folder, ignore=IGNORED)
    if (target / "scripts").is_dir():
        shutil.copytree(shared, target / "scripts" / SHARED_PACKAGE, ignore=IGNORED)
    extras.run_extras(skill.name, target)
    zip_path = out_dir / f"{skill.name}.zip"
    write_zip(target, zip_path)
    return Bundle(skill.name, target, zip_path, content_digest(target))


def bundle_files(bundle_dir: Path) -> list[Path]:
    """Every file of a bundle, sorted by its POSIX path relative to the bundle."""
    files = [p for p in Path(bundle_dir).rglob("*") if p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(bundle_dir).as_posix())


def write_zip(bundle_dir: Path, zip_path: Path) -> None:
    """Zip with `<name>/` as the only top-level folder, reproducibly."""
    name = bundle_dir.name
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in bundle_files(bundle_dir):
            info = zipfile.ZipInfo(f"{name}/{path.relative_to(bundle_dir).as_posix()}",
                                   date_time=ZIP_TIME)
            executable = path.stat().st_mode & stat.S_IXUSR
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def content_digest(bundle_dir: Path) -> str:
    """sha256 over every file's relative path and bytes: equal digests, equal bundles."""
    digest = hashlib.sha256()
    for path in bundle_files(bundle_dir):
        digest.update(path.relative_to(bundle_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
