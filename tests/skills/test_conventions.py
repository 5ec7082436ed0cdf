"""Every skill in skills/ follows the Agent Skills format and our own rules.

Parametrized per skill and per script so a failure names the culprit. With no skills yet
the parametrized tests are collected as skipped; the rules themselves are proven to catch
broken skills in tests/skillpack/test_convention_rules.py.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import skills_ref

from harness.skillpack import conventions
from harness.skillpack.skills import discover

SKILLS = discover()
SCRIPTS = [(skill, script) for skill in SKILLS for script in skill.scripts()]
TIMEOUT = 60


def _ids(items):
    return [getattr(i, "name", None) or f"{i[0].name}/{i[1].name}" for i in items]


def run_script(script: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a script as a user would: its own interpreter, no PYTHONPATH, a neutral cwd."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run([sys.executable, str(script), *args], capture_output=True,
                          text=True, timeout=TIMEOUT, env=env, cwd=script.parents[2])


@pytest.mark.parametrize("skill", SKILLS, ids=_ids(SKILLS))
def test_skills_ref_validates(skill):
    assert skills_ref.validate(skill.path) == []


@pytest.mark.parametrize("skill", SKILLS, ids=_ids(SKILLS))
def test_frontmatter_follows_our_rules(skill):
    assert conventions.frontmatter_problems(skill) == []


@pytest.mark.parametrize("skill", SKILLS, ids=_ids(SKILLS))
def test_body_is_at_most_500_lines(skill):
    assert conventions.body_problems(skill) == []


@pytest.mark.parametrize("skill", SKILLS, ids=_ids(SKILLS))
def test_every_mentioned_script_and_reference_exists(skill):
    assert conventions.missing_paths(skill) == []


@pytest.mark.parametrize("skill,script", SCRIPTS, ids=_ids(SCRIPTS))
def test_script_answers_help(skill, script):
    proc = run_script(script, "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage:")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("skill,script", SCRIPTS, ids=_ids(SCRIPTS))
def test_script_usage_error_is_one_line_and_exit_2(skill, script):
    proc = run_script(script, "--no-such-option-for-sure")
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stdout == ""
