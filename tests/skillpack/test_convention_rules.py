"""The convention rules accept a good skill and name each way a skill can break them."""
from __future__ import annotations

import subprocess
import sys

import pytest
import skills_ref

from skillpack_helpers import clean_env
from harness.skillpack import conventions
from harness.skillpack.skills import discover


def _skill(root):
    return discover(root)[0]


def _edit(skill, old, new):
    text = skill.skill_md.read_text()
    assert old in text
    skill.skill_md.write_text(text.replace(old, new, 1))


def test_tiny_skill_passes_every_rule(tiny_skills):
    skill = _skill(tiny_skills)
    assert skills_ref.validate(skill.path) == []
    assert conventions.frontmatter_problems(skill) == []
    assert conventions.body_problems(skill) == []
    assert conventions.mentioned_paths(skill) == ["scripts/count_objects.py",
                                                   "references/causes.md"]
    assert conventions.missing_paths(skill) == []


def test_discover_skips_shared_and_folders_without_skill_md(tiny_skills):
    (tiny_skills / "notes").mkdir()
    assert [s.name for s in discover(tiny_skills)] == ["tiny-demo"]


@pytest.mark.parametrize("old,new,expected", [
    ("name: tiny-demo", "name: other-name", "must equal the folder name"),
    ("name: tiny-demo", "name: Tiny_Demo", "lowercase"),
    ("Use when testing", "Use when testing <x>", "< or >"),
    ("Use when testing the skill framework.", "For tests.", "say when to use"),
    ("license: Apache-2.0", "license: Apache-2.0\nversion: 1", "keys not allowed: version"),
    ("Counts Kubernetes", "x" * 1100 + " Counts Kubernetes", "limit 1024"),
])
def test_frontmatter_rule_violations_are_named(tiny_skills, old, new, expected):
    skill = _skill(tiny_skills)
    _edit(skill, old, new)
    problems = conventions.frontmatter_problems(skill)
    assert any(expected in p for p in problems), problems


def test_long_body_is_reported(tiny_skills):
    skill = _skill(tiny_skills)
    skill.skill_md.write_text(skill.skill_md.read_text() + "line\n" * 500)
    assert "limit 500" in conventions.body_problems(skill)[0]


def test_missing_mentioned_files_are_reported(tiny_skills):
    skill = _skill(tiny_skills)
    _edit(skill, "references/causes.md for", "references/gone.md and scripts/nope.py for")
    assert conventions.missing_paths(skill) == ["references/gone.md", "scripts/nope.py"]


def test_paths_of_other_folders_and_urls_are_not_ours(tiny_skills):
    skill = _skill(tiny_skills)
    _edit(skill, "# Tiny demo", "# Tiny demo\n\nSee https://example.test/x/scripts/a.py "
          "and ../other/references/b.md.")
    assert conventions.missing_paths(skill) == []


def _run(script, *args):
    return subprocess.run([sys.executable, str(script), *args], capture_output=True,
                          text=True, timeout=60, env=clean_env())


def test_tiny_script_follows_the_output_contract(tiny_skills, tmp_path):
    script = _skill(tiny_skills).scripts()[0]
    assert _run(script, "--help").returncode == 0
    bad = _run(script, "--bogus")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and bad.stdout == ""
    dump = tmp_path / "pods.yaml"
    dump.write_text("kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c}]}\n")
    found = _run(script, "-f", str(dump), "--json")
    assert found.returncode == 1 and '"missing_requests"' in found.stdout
    empty = _run(script, "-f", str(tmp_path / "absent.yaml"))
    assert empty.returncode == 2 and empty.stderr.startswith("error: ")
