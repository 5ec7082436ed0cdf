"""`skills install --target claude-code` puts skills where Claude Code looks, and only ours."""
from __future__ import annotations

import json

import pytest

from harness import cli
from harness.errors import UserError
from harness.skillpack import install as install_mod
from skillpack_helpers import write_tiny_skill


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def _install(*args):
    return cli.main(["skills", "install", "--target", "claude-code", *args])


def test_user_scope_installs_into_home_claude_skills(tiny_skills, home, capsys):
    assert _install("--skills-dir", str(tiny_skills)) == 0
    installed = home / ".claude" / "skills" / "tiny-demo"
    assert (installed / "SKILL.md").is_file()
    assert (installed / "scripts" / "k8s_skillkit" / "loading.py").is_file()
    marker = json.loads((installed / install_mod.MARKER).read_text())
    assert marker["name"] == "tiny-demo" and len(marker["sha256"]) == 64
    assert "installed tiny-demo" in capsys.readouterr().out


def test_project_scope_installs_into_cwd(tiny_skills, home, tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    assert _install("--scope", "project", "--skills-dir", str(tiny_skills)) == 0
    assert (project / ".claude" / "skills" / "tiny-demo" / "SKILL.md").is_file()
    assert not (home / ".claude").exists()


def test_dir_wins_over_scope(tiny_skills, home, tmp_path):
    target = tmp_path / "elsewhere"
    assert _install("--dir", str(target), "--skills-dir", str(tiny_skills)) == 0
    assert (target / "tiny-demo" / "SKILL.md").is_file()
    assert not (home / ".claude").exists()


def test_reinstall_replaces_our_older_copy_and_leaves_other_skills(tiny_skills, tmp_path):
    dest = tmp_path / "skills-home"
    install_mod.install(dest, tiny_skills)
    stale = dest / "tiny-demo" / "references" / "old.md"
    stale.write_text("from an older release")
    other = dest / "someone-elses"
    other.mkdir()
    (other / "SKILL.md").write_text("---\nname: someone-elses\n---\n")
    install_mod.install(dest, tiny_skills)
    assert not stale.exists()
    assert (dest / "tiny-demo" / "references" / "causes.md").is_file()
    assert (other / "SKILL.md").read_text().startswith("---\nname: someone-elses")
    assert sorted(p.name for p in dest.iterdir()) == ["someone-elses", "tiny-demo"]


def test_refuses_a_same_named_folder_without_our_marker(tiny_skills, tmp_path):
    write_tiny_skill(tiny_skills, "second-demo")
    dest = tmp_path / "skills-home"
    foreign = dest / "tiny-demo"
    foreign.mkdir(parents=True)
    (foreign / "SKILL.md").write_text("theirs")
    with pytest.raises(UserError, match="was not installed by k8s-skills"):
        install_mod.install(dest, tiny_skills)
    assert (foreign / "SKILL.md").read_text() == "theirs"
    assert not (dest / "second-demo").exists()  # refused before anything was written


def test_refusal_is_one_line_and_exit_2(tiny_skills, tmp_path, capsys):
    dest = tmp_path / "skills-home"
    (dest / "tiny-demo").mkdir(parents=True)
    assert _install("--dir", str(dest), "--skills-dir", str(tiny_skills)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_unknown_target_is_a_usage_error(tiny_skills, capsys):
    with pytest.raises(SystemExit) as exc:
        _install_target("vscode", tiny_skills)
    assert exc.value.code == 2


def _install_target(target, skills_dir):
    return cli.main(["skills", "install", "--target", target, "--skills-dir", str(skills_dir)])
