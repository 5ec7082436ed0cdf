"""`skills build` writes a self-contained folder and a reproducible zip per skill."""
from __future__ import annotations

import os
import zipfile

import pytest

from harness import cli
from harness.errors import UserError
from harness.skillpack import build as build_mod
from harness.skillpack import extras
from skillpack_helpers import write_tiny_skill


def _zip_names(path):
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def test_bundle_folder_holds_skill_scripts_shared_package_and_references(tiny_skills, tmp_path):
    [bundle] = build_mod.build(tmp_path / "dist", tiny_skills)
    assert bundle.path == tmp_path / "dist" / "tiny-demo"
    for rel in ("SKILL.md", "scripts/count_objects.py", "scripts/k8s_skillkit/__init__.py",
                "scripts/k8s_skillkit/cli.py", "references/causes.md"):
        assert (bundle.path / rel).is_file(), rel
    assert not list(bundle.path.rglob("__pycache__"))


def test_zip_has_one_top_level_folder_matching_the_bundle(tiny_skills, tmp_path):
    [bundle] = build_mod.build(tmp_path / "dist", tiny_skills)
    names = _zip_names(bundle.zip_path)
    assert {n.split("/")[0] for n in names} == {"tiny-demo"}
    on_disk = sorted(f"tiny-demo/{p.relative_to(bundle.path).as_posix()}"
                     for p in bundle.path.rglob("*") if p.is_file())
    assert sorted(names) == on_disk
    assert names == sorted(names)


def test_zip_bytes_do_not_depend_on_build_time_or_mtimes(tiny_skills, tmp_path):
    first = build_mod.build(tmp_path / "a", tiny_skills)[0].zip_path.read_bytes()
    script = tiny_skills / "tiny-demo" / "scripts" / "count_objects.py"
    os.utime(script, (1_000_000_000, 1_000_000_000))
    second = build_mod.build(tmp_path / "b", tiny_skills)[0]
    assert second.zip_path.read_bytes() == first


def test_rebuild_drops_files_removed_from_the_skill(tiny_skills, tmp_path):
    build_mod.build(tmp_path / "dist", tiny_skills)
    (tiny_skills / "tiny-demo" / "references" / "causes.md").unlink()
    [bundle] = build_mod.build(tmp_path / "dist", tiny_skills)
    assert not (bundle.path / "references" / "causes.md").exists()
    assert "tiny-demo/references/causes.md" not in _zip_names(bundle.zip_path)


def test_registered_extra_writes_generated_files_into_bundle_and_zip(tiny_skills, tmp_path,
                                                                     monkeypatch):
    def write_schema(bundle_dir):
        (bundle_dir / "references" / "schema.json").write_text("{}")
    monkeypatch.setitem(extras.EXTRAS, "tiny-demo", write_schema)
    [bundle] = build_mod.build(tmp_path / "dist", tiny_skills)
    assert (bundle.path / "references" / "schema.json").read_text() == "{}"
    assert "tiny-demo/references/schema.json" in _zip_names(bundle.zip_path)


def test_digest_changes_with_content(tiny_skills, tmp_path):
    before = build_mod.build(tmp_path / "dist", tiny_skills)[0].digest
    (tiny_skills / "tiny-demo" / "references" / "causes.md").write_text("changed\n")
    assert build_mod.build(tmp_path / "dist", tiny_skills)[0].digest != before


def test_only_named_skills_are_built(tiny_skills, tmp_path):
    write_tiny_skill(tiny_skills, "second-demo")
    built = build_mod.build(tmp_path / "dist", tiny_skills, ["second-demo"])
    assert [b.name for b in built] == ["second-demo"]
    assert not (tmp_path / "dist" / "tiny-demo").exists()


def test_unknown_skill_names_the_ones_that_exist(tiny_skills, tmp_path):
    with pytest.raises(UserError, match="unknown skill nope: .* tiny-demo"):
        build_mod.build(tmp_path / "dist", tiny_skills, ["nope"])


def test_cli_build_reports_bundles_and_bad_names_exit_2(tiny_skills, tmp_path, capsys):
    out = tmp_path / "dist"
    assert cli.main(["skills", "build", "--skills-dir", str(tiny_skills),
                     "--out", str(out)]) == 0
    assert "tiny-demo" in capsys.readouterr().out
    assert (out / "tiny-demo.zip").is_file()
    assert cli.main(["skills", "build", "--skills-dir", str(tiny_skills), "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown skill nope") and err.count("\n") == 1


def test_cli_build_with_missing_skills_dir_exits_2(tmp_path, capsys):
    assert cli.main(["skills", "build", "--skills-dir", str(tmp_path / "none")]) == 2
    assert "no such skills folder" in capsys.readouterr().err


def test_out_path_that_is_a_file_is_one_line_exit_2(tiny_skills, tmp_path, capsys):
    blocker = tmp_path / "dist"
    blocker.write_text("not a folder")
    assert cli.main(["skills", "build", "--skills-dir", str(tiny_skills),
                     "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {blocker}") and err.count("\n") == 1
