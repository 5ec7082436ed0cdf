"""`k8s-skills skills build|install|upload|catalog`."""
from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING
from pathlib import Path

from harness.errors import UserError


DEFAULT_OUT = Path("dist") / "skills"
if TYPE_CHECKING:  # not subscriptable at run time
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
Handler = Callable[[argparse.Namespace], int]


def register(groups: SubParsers) -> None:
    parser = groups.add_parser(
        "skills", help="build, install, upload the skills; generate CATALOG.md")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    _add_build(sub)
    _add_install(sub)
    _add_upload(sub)
    _add_catalog(sub)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these skills")
    parser.add_argument("--skills-dir", type=Path, default=None,
                        help="folder holding <name>/SKILL.md (default: the repo's skills/)")


def _add_build(sub: SubParsers) -> None:
    p = sub.add_parser("build", help="write dist/skills/<name>/ and <name>.zip")
    _common(p)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: dist/skills")
    p.set_defaults(handler=_build)


def _add_install(sub: SubParsers) -> None:
    p = sub.add_parser("install", help="copy the built skills where Claude Code finds them")
    _common(p)
    p.add_argument("--target", required=True, choices=["claude-code"])
    p.add_argument("--scope", choices=["user", "project"], default="user",
                   help="user: ~/.claude/skills, project: ./.claude/skills (default: user)")
    p.add_argument("--dir", type=Path, default=None, help="install into this folder instead")
    p.set_defaults(handler=_install)


def _add_upload(sub: SubParsers) -> None:
    p = sub.add_parser("upload", help="create or version each skill via the Skills API")
    _common(p)
    p.set_defaults(handler=_upload)


def _add_catalog(sub: SubParsers) -> None:
    p = sub.add_parser("catalog", help="regenerate CATALOG.md and .claude-plugin/*.json "
                                        "(or --check they are current)")
    p.add_argument("--skills-dir", type=Path, default=None,
                   help="default: the repo's skills/ (then the plugin JSON is written too)")
    p.add_argument("--out", type=Path, default=None, help="default: CATALOG.md in the repo")
    p.add_argument("--plugin-dir", type=Path, default=None,
                   help="write marketplace.json and plugin.json here (default: the repo's "
                        ".claude-plugin/, only for the repo's skills)")
    p.add_argument("--check", action="store_true",
                   help="exit 1 when the file differs from what would be generated")
    p.set_defaults(handler=_catalog)


def _file_errors(handler: Handler) -> Handler:
    """A full disk or a read-only target is the user's to fix: one line, exit 2."""
    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except OSError as err:
            where = err.filename or "file system"
            raise UserError(f"{where}: {err.strerror or err}") from err
    return wrapped


@_file_errors
def _build(args: argparse.Namespace) -> int:
    from harness.skillpack.build import build
    for bundle in build(args.out, args.skills_dir, args.names):
        print(f"{bundle.name}: {bundle.path}/ and {bundle.zip_path.name}")
    return 0


@_file_errors
def _install(args: argparse.Namespace) -> int:
    from harness.skillpack.install import destination, install
    dest = destination(args.scope, args.dir)
    for path in install(dest, args.skills_dir, args.names):
        print(f"installed {path.name} -> {path}")
    return 0


@_file_errors
def _upload(args: argparse.Namespace) -> int:
    from harness.skillpack.upload import upload
    for outcome in upload(args.skills_dir, args.names):
        print(f"{outcome.name}: {outcome.action} (skill {outcome.skill_id}, "
              f"version {outcome.version_id})")
    return 0


@_file_errors
def _catalog(args: argparse.Namespace) -> int:
    from harness.skillpack.catalog import generated_files, stale, write
    files = generated_files(args.skills_dir, args.out, args.plugin_dir)
    if args.check:
        outdated = stale(files)
        for path in outdated:
            print(f"{path} is stale: run `k8s-skills skills catalog` and commit the result",
                  file=sys.stderr)
        if not outdated:
            print("catalog and plugin files are up to date")
        return 1 if outdated else 0
    changed = write(files)
    for path in files:
        print(f"{path}: {'written' if path in changed else 'unchanged'}")
    return 0
