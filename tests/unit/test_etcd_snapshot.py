"""The etcd snapshot cache: its key follows every input, it is built once, restored as a
copy, and its Kueue webhook port goes to one running cluster at a time."""
from __future__ import annotations

import dataclasses
import json
import socket
from pathlib import Path

import pytest

from harness import pins
from harness.cluster import etcd_snapshot, paths, topology
from harness.errors import UserError
from tests import needs


def _inputs(**changes):
    base = {"topo": topology.load(), "gateway_channel": "experimental",
            "gateway_controller": True, "ai_gateway": True}
    base.update(changes)
    return etcd_snapshot.inputs(base["topo"], base["gateway_channel"],
                                base["gateway_controller"], base["ai_gateway"])


def test_key_is_stable_for_the_same_inputs():
    assert etcd_snapshot.key(_inputs()) == etcd_snapshot.key(_inputs())


@pytest.mark.parametrize("change", [
    {"gateway_channel": "standard"}, {"gateway_controller": False}, {"ai_gateway": False}])
def test_key_changes_with_channel_and_controllers(change):
    assert etcd_snapshot.key(_inputs(**change)) != etcd_snapshot.key(_inputs())


def test_key_changes_with_the_topology():
    topo = topology.load()
    first = topo.pools[0]
    bigger = dataclasses.replace(topo, pools=[dataclasses.replace(first, count=first.count + 1)]
                                 + list(topo.pools[1:]))
    assert etcd_snapshot.key(_inputs(topo=bigger)) != etcd_snapshot.key(_inputs())


def test_key_changes_with_a_pin_or_the_generating_code(tmp_path, monkeypatch):
    sources = []
    for path in etcd_snapshot.SOURCES:
        copy = tmp_path / path.parent.name / path.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(path.read_bytes())
        sources.append(copy)
    monkeypatch.setattr(etcd_snapshot, "SOURCES", tuple(sources))
    before = etcd_snapshot.key(_inputs())
    pins_copy = next(p for p in sources if p.name == Path(pins.__file__).name)
    pins_copy.write_text(pins_copy.read_text().replace(
        f'KUEUE = "{pins.KUEUE}"', 'KUEUE = "v9.9.9"'))
    after_pin = etcd_snapshot.key(_inputs())
    assert after_pin != before
    crds_copy = next(p for p in sources if p.name == "crds.py")
    crds_copy.write_text(crds_copy.read_text() + "\n# changed\n")
    assert etcd_snapshot.key(_inputs()) not in (before, after_pin)


def test_sources_cover_the_pins_and_the_object_generators():
    names = {f"{p.parent.name}/{p.name}" for p in etcd_snapshot.SOURCES}
    assert {"harness/pins.py", "cluster/crds.py", "kueue/config.py", "cluster/topology.py",
            "cluster/etcd_snapshot.py"} <= names
    assert all(p.is_file() for p in etcd_snapshot.SOURCES)


def test_snapshots_live_under_the_versioned_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("K8S_SKILLS_CACHE", str(tmp_path))
    assert etcd_snapshot.root().parent == paths.versions_dir()
    assert pins.cache_key() in str(etcd_snapshot.root())


def _fake_build(calls):
    def build(data_dir: Path) -> dict:
        calls.append(data_dir)
        data_dir.mkdir()
        (data_dir / "member").write_text("data")
        return {"webhook_port": 40001, "converted_crds": ["a.example.com"]}
    return build


def test_ensure_builds_once_then_reuses(monkeypatch, tmp_path):
    monkeypatch.setenv("K8S_SKILLS_CACHE", str(tmp_path))
    calls: list[Path] = []
    first = etcd_snapshot.ensure("k1", _fake_build(calls))
    second = etcd_snapshot.ensure("k1", _fake_build(calls))
    assert first == second and len(calls) == 1
    assert etcd_snapshot.meta(first)["webhook_port"] == 40001
    assert (first / etcd_snapshot.ETCD_DIR / "member").read_text() == "data"


def test_a_failed_build_leaves_nothing_to_restore(monkeypatch, tmp_path):
    monkeypatch.setenv("K8S_SKILLS_CACHE", str(tmp_path))

    def broken(data_dir: Path) -> dict:
        data_dir.mkdir()
        raise UserError("apiserver did not start")

    with pytest.raises(UserError):
        etcd_snapshot.ensure("k2", broken)
    assert not etcd_snapshot.folder("k2").exists()
    assert [p.name for p in etcd_snapshot.root().iterdir() if not p.name.endswith(".lock")] == []


def test_restore_copies_and_never_overwrites(monkeypatch, tmp_path):
    monkeypatch.setenv("K8S_SKILLS_CACHE", str(tmp_path / "cache"))
    snapshot = etcd_snapshot.ensure("k3", _fake_build([]))
    target = tmp_path / "cluster" / "etcd"
    etcd_snapshot.restore(snapshot, target)
    (target / "member").write_text("written by etcd")
    assert (snapshot / etcd_snapshot.ETCD_DIR / "member").read_text() == "data"
    with pytest.raises(UserError, match="exists already"):
        etcd_snapshot.restore(snapshot, target)


def _snapshot_with_port(tmp_path, port: int) -> Path:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / etcd_snapshot.META).write_text(json.dumps(
        {"webhook_port": port, "converted_crds": []}))
    return folder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_webhook_port_goes_to_one_cluster_at_a_time(tmp_path):
    port = _free_port()
    snapshot = _snapshot_with_port(tmp_path, port)
    first = etcd_snapshot.claim_webhook_port(snapshot)
    assert first is not None and first[0] == port
    assert etcd_snapshot.claim_webhook_port(snapshot) is None  # held by the first
    first[1].close()  # its Kueue exited
    again = etcd_snapshot.claim_webhook_port(snapshot)
    assert again is not None
    again[1].close()


def test_a_port_in_use_is_not_claimed(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        snapshot = _snapshot_with_port(tmp_path, busy.getsockname()[1])
        assert etcd_snapshot.claim_webhook_port(snapshot) is None


def test_a_restart_reclaims_only_the_snapshot_port(tmp_path):
    port = _free_port()
    snapshot = _snapshot_with_port(tmp_path, port)
    assert etcd_snapshot.reclaim_webhook_port(str(snapshot), port + 1) is None
    assert etcd_snapshot.reclaim_webhook_port(None, port) is None
    claim = etcd_snapshot.reclaim_webhook_port(str(snapshot), port)
    assert claim is not None
    claim.close()


def test_fixed_objects_leave_per_start_objects_out():
    needs.go_toolchain()
    topo = topology.load()
    objects = etcd_snapshot.fixed_objects(topo, "experimental", True, True, 40123, b"PEM")
    kinds = {o["kind"] for o in objects}
    assert not kinds & {"Node", "ResourceFlavor", "Stage", "MutatingWebhookConfiguration",
                        "ValidatingWebhookConfiguration"}
    converted = [o for o in objects if o["kind"] == "CustomResourceDefinition"
                 and o["spec"].get("conversion", {}).get("strategy") == "Webhook"]
    assert converted and all(
        o["spec"]["conversion"]["webhook"]["clientConfig"]["url"]
        == "https://127.0.0.1:40123/convert" for o in converted)
    assert kinds >= {"CustomResourceDefinition", "Namespace", "DeviceClass", "ResourceSlice"}


def test_snapshots_unused_for_a_week_are_pruned_when_a_new_one_is_made(monkeypatch, tmp_path):
    import os
    import time
    monkeypatch.setenv("K8S_SKILLS_CACHE", str(tmp_path))
    old = etcd_snapshot.ensure("old", _fake_build([]))
    recent = etcd_snapshot.ensure("recent", _fake_build([]))
    week_ago = time.time() - 8 * 86400
    os.utime(old / etcd_snapshot.META, (week_ago, week_ago))
    etcd_snapshot.ensure("new", _fake_build([]))
    assert not old.exists() and recent.exists()
