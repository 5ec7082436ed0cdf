"""CATALOG.md is generated from the skills, and a stale one fails the build."""
from __future__ import annotations

import pytest

from harness import cli
from harness.errors import UserError
from harness.skillpack import catalog
from harness.skillpack.skills import discover


def test_catalog_lists_skill_purpose_scripts_and_example_prompts(tiny_skills):
    text = catalog.render(tiny_skills)
    assert text.startswith("# Skills catalog\n")
    assert "| [tiny-demo](#tiny-demo) | `count_objects.py` |" in text
    assert "## tiny-demo\n\nCounts Kubernetes objects in a dump" in text
    assert ("| `scripts/count_objects.py` | Count Kubernetes objects in a dump and flag Pods "
            "without resource requests. |") in text
    assert "- Count the objects in this kubectl dump\n" in text


def test_example_prompts_fall_back_to_frontmatter_metadata(tiny_skills):
    skill_md = tiny_skills / "tiny-demo" / "SKILL.md"
    text = skill_md.read_text()
    skill_md.write_text(text[:text.index("## Example prompts")])
    assert catalog.example_prompts(discover(tiny_skills)[0]) == [
        "how many objects are in this dump?", "which pods lack requests?"]


def test_check_passes_when_current_and_fails_when_stale(tiny_skills, tmp_path, capsys):
    out = tmp_path / "CATALOG.md"
    args = ["skills", "catalog", "--skills-dir", str(tiny_skills), "--out", str(out),
            "--plugin-dir", str(tmp_path / ".claude-plugin")]
    assert cli.main(args) == 0
    assert (tmp_path / ".claude-plugin" / "marketplace.json").is_file()
    assert cli.main(args + ["--check"]) == 0
    (tiny_skills / "tiny-demo" / "SKILL.md").write_text(
        (tiny_skills / "tiny-demo" / "SKILL.md").read_text().replace("Counts", "Tallies"))
    capsys.readouterr()
    assert cli.main(args + ["--check"]) == 1
    err = capsys.readouterr().err
    assert f"{out} is stale: run `k8s-skills skills catalog`" in err
    assert "marketplace.json" not in err


def test_custom_skills_dir_never_touches_the_repo_plugin_files(tiny_skills, tmp_path):
    files = catalog.generated_files(tiny_skills, tmp_path / "CATALOG.md")
    assert list(files) == [tmp_path / "CATALOG.md"]


def test_script_whose_help_fails_is_named(tiny_skills):
    script = tiny_skills / "tiny-demo" / "scripts" / "count_objects.py"
    script.write_text("raise SystemExit(3)\n")
    with pytest.raises(UserError, match="count_objects.py: --help exited 3"):
        catalog.render(tiny_skills)


def test_repo_catalog_and_plugin_files_are_current():
    stale = catalog.stale(catalog.generated_files())
    assert stale == [], "stale: run `k8s-skills skills catalog` and commit the result"


def test_broken_frontmatter_is_one_line_exit_2(tiny_skills, tmp_path, capsys):
    (tiny_skills / "tiny-demo" / "SKILL.md").write_text("---\nname: [oops\n---\nbody\n")
    assert cli.main(["skills", "catalog", "--skills-dir", str(tiny_skills),
                     "--out", str(tmp_path / "C.md")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "SKILL.md" in err and err.count("\n") == 1


def test_script_without_description_gets_an_empty_purpose(tiny_skills):
    script = tiny_skills / "tiny-demo" / "scripts" / "count_objects.py"
    script.write_text("import argparse\nargparse.ArgumentParser().parse_args()\n")
    assert "| `scripts/count_objects.py` |  |" in catalog.render(tiny_skills)
