"""Helpers shared by the skillpack tests: a throwaway skill and a clean script environment.

The throwaway skill exercises every channel even before the repo has real skills, and uses
the shared helper package exactly as real scripts do (the one-line sys.path prelude).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

TINY_SKILL_MD = """\
---
name: tiny-demo
description: Counts Kubernetes objects in a dump and flags Pods without resource requests. Use when testing the skill framework.
license: Apache-2.0
metadata:
  example-prompts: "how many objects are in this dump? | which pods lack requests?"
---
# Tiny demo

Run `python scripts/count_objects.py -f FILE` and read references/causes.md for the causes.

## Example prompts

- Count the objects in this kubectl dump
- Which pods have no resource requests?
"""

TINY_SCRIPT = '''\
"""Count Kubernetes objects in a dump and flag Pods without resource requests."""
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))
from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.loading import load_objects
from k8s_skillkit.objects import dig


def body(args):
    objects = load_objects(args.file)
    findings = [finding("warning", "missing_requests", o, "container has no requests",
                        fix="set resources.requests")
                for o in objects if o.get("kind") == "Pod"
                for c in dig(o, "spec", "containers", default=[])
                if not dig(c, "resources", "requests")]
    text = f"{len(objects)} objects" + ("\\n" + render_text(findings) if findings else "")
    return {"count": len(objects), "findings": findings}, text, exit_code(findings)


def main(argv=None):
    parser = make_parser(__doc__.splitlines()[0])
    parser.add_argument("-f", "--file", required=True, help="dump file, or - for stdin")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
'''


def write_tiny_skill(skills_dir: Path, name: str = "tiny-demo") -> Path:
    """Create skills_dir/<name>/ (SKILL.md, one script, one reference) and _shared/."""
    skills_dir.mkdir(parents=True, exist_ok=True)
    shared = skills_dir / "_shared"
    if not shared.exists():
        shutil.copytree(REPO / "skills" / "_shared", shared,
                        ignore=shutil.ignore_patterns("__pycache__"))
    skill = skills_dir / name
    (skill / "scripts").mkdir(parents=True)
    (skill / "references").mkdir()
    (skill / "SKILL.md").write_text(TINY_SKILL_MD.replace("tiny-demo", name))
    (skill / "scripts" / "count_objects.py").write_text(TINY_SCRIPT)
    (skill / "references" / "causes.md").write_text("# Causes\n\n- missing_requests\n")
    return skill


def clean_env(**extra) -> dict:
    """The environment for running a script as a user would: no PYTHONPATH from pytest."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(PYTHONDONTWRITEBYTECODE="1", **extra)
    return env
