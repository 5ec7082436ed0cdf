"""The binary cache: intact components are reused, partial or corrupt ones rebuilt."""
from __future__ import annotations

import json

import pytest

from harness.cluster import build, paths
from harness.errors import UserError


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("K8S_SKILLS_CACHE", str(tmp_path))
    return tmp_path


def _fake_built(component: build.Component) -> None:
    """Lay out binaries and a stamp the way a successful build does."""
    stage = paths.versions_dir() / "fake-stage"
    stage.mkdir(parents=True, exist_ok=True)
    for name in component.binaries:
        (stage / name).write_bytes(b"#!/bin/sh\necho " + name.encode() + b"\n")
        (stage / name).chmod(0o755)
    build._install_binaries(component, stage)


def test_everything_missing_in_an_empty_cache(cache):
    assert [c.name for c in build.missing_components()] == [c.name for c in build.COMPONENTS]


def test_intact_components_are_reused(cache):
    for component in build.COMPONENTS:
        _fake_built(component)
    assert build.missing_components() == []
    assert build.verify_hashes() == []


def test_truncated_binary_marks_its_component_for_rebuild(cache):
    for component in build.COMPONENTS:
        _fake_built(component)
    with open(build.binary("kube-scheduler"), "ab") as handle:
        handle.write(b"garbage")
    assert [c.name for c in build.missing_components()] == ["kubernetes"]
    assert any("kube-scheduler" in p for p in build.verify_hashes())


def test_missing_stamp_means_partial_build(cache):
    for component in build.COMPONENTS:
        _fake_built(component)
    build._stamp_path(build.COMPONENTS[1]).unlink()
    assert [c.name for c in build.missing_components()] == [build.COMPONENTS[1].name]


def test_stamp_of_another_version_is_not_trusted(cache):
    for component in build.COMPONENTS:
        _fake_built(component)
    stamp = build._stamp_path(build.COMPONENTS[0])
    data = json.loads(stamp.read_text())
    data["version"] = "v0.0.1"
    stamp.write_text(json.dumps(data))
    assert [c.name for c in build.missing_components()] == [build.COMPONENTS[0].name]


def test_cache_folder_is_keyed_by_every_pinned_version(cache):
    key = paths.versions_dir().name
    from harness import pins
    for version in (pins.KUBERNETES, pins.KUEUE, pins.KWOK, pins.ETCD):
        assert version in key


def test_missing_go_is_one_clear_error(cache, monkeypatch):
    from harness import gomod
    monkeypatch.setattr(gomod.shutil, "which", lambda name: None)
    monkeypatch.setattr(gomod.os, "access", lambda path, mode: False)
    with pytest.raises(UserError, match="Go is not installed: install Go 1.26"):
        build.ensure_built(log=lambda m: None)


def test_failed_build_names_the_log(cache, monkeypatch, tmp_path):
    monkeypatch.setattr(build.gomod, "require_go", lambda: "/bin/false")
    monkeypatch.setattr(build, "_build_command",
                        lambda go, component, stage: (["/bin/sh", "-c", "echo boom >&2; exit 3"],
                                                      str(tmp_path), {}))
    with pytest.raises(UserError) as err:
        build.ensure_built(log=lambda m: None)
    assert "go build failed (boom)" in str(err.value) and "full log:" in str(err.value)
