"""No control character in the project's own text files. A regex written in a plain (not raw)
Python string turns `\\b` into a backspace, which then silently never matches: that bug sat in
skills/k8s-dra/scripts/_dra/prose.py (the constraint wording) until session 21."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SUFFIXES = (".py", ".md", ".toml", ".yaml", ".yml", ".json", ".sh", ".cfg")


def _tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    # the corpus keeps users' pastes verbatim, control characters included
    return [ROOT / p for p in out if p.endswith(SUFFIXES) and not p.startswith("tests/resources/")]


def test_tracked_text_files_hold_no_control_characters():
    files = _tracked()
    assert len(files) > 100
    bad = [f"{p.relative_to(ROOT)}:{n}" for p in files if p.exists()
           for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
           if CONTROL.search(line)]
    assert not bad, bad
