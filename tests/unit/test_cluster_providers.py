"""Adding a cluster provider is one file: a class registered with `providers.register` shows
up in `cluster up`'s choices and help, takes only the options it declares, and is driven by
`cluster up/status/env/down` with nothing else edited. The dummy provider below is that one
file. Also: each provider refuses the options it does not take (one line, exit 2); the
local provider records its topology in state.json, keeps a failed start with `--retain`,
and the safeguards protect the cluster's own topology."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from harness.cli import main
from harness.cluster import build, paths, procs, providers, topology
from harness.cluster.health import ComponentHealth
from harness.cluster.kubectl import Kubectl
from harness.cluster.local import LocalCluster
from harness.errors import UserError

FAIL_START = providers.Option("--fail-start", "fail", action="store_true",
                              help="make the start fail (to test --retain)")


@pytest.fixture(autouse=True)
def state_root(tmp_path, monkeypatch):
    monkeypatch.setenv("K8S_SKILLS_STATE", str(tmp_path / "state"))
    before = signal.getsignal(signal.SIGTERM)  # `cluster up` sets its own SIGTERM handler
    yield tmp_path / "state" / "clusters"
    signal.signal(signal.SIGTERM, before)


@pytest.fixture
def dummy():
    """A provider with 3 Ready nodes that lives only in its state folder."""
    @providers.register("dummy", options=(providers.RETAIN, FAIL_START))
    class DummyCluster:
        """three pretend nodes (a stand-in for a new provider)"""

        def __init__(self, name: str, log=None):
            self.name = name
            self.dir = paths.cluster_dir(name)

        @property
        def kubeconfig(self) -> Path:
            return self.dir / "kubeconfig"

        def kubectl(self) -> Kubectl:
            return Kubectl(self.kubeconfig)

        def state(self) -> dict[str, Any]:
            return providers.read_state(self.name)

        def up(self, retain: bool = False, fail: bool = False) -> bool:
            if self.state().get("phase") == "running":
                return False
            self.dir.mkdir(parents=True)
            (self.dir / "state.json").write_text(json.dumps({
                "provider": "dummy", "phase": "failed" if fail else "running",
                "kubeconfig": str(self.kubeconfig)}))
            if fail:
                if not retain:
                    self.down()
                raise UserError("the pretend nodes did not come up")
            return True

        def down(self) -> int:
            shutil.rmtree(self.dir)
            return 3

        def status(self) -> list[ComponentHealth]:
            return [ComponentHealth("pretend-apiserver", self.state()["phase"] == "running",
                                    self.state()["phase"])]

        def inventory(self) -> dict[str, int]:
            return {"nodes": 3, "ready_nodes": 3, "real_nodes": 0, "extended_gpus": 24,
                    "dra_devices": 0}

        def logs(self) -> str:
            return str(self.dir / "logs")

    yield DummyCluster
    del providers.registry.REGISTRY["dummy"]


def test_the_cli_offers_the_new_provider_and_its_options(dummy, capsys):
    with pytest.raises(SystemExit):
        main(["cluster", "up", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--provider {local,kubeconfig,kind,dummy}" in out
    assert "dummy: three pretend nodes (a stand-in for a new provider)" in out
    assert "--fail-start dummy: make the start fail" in out
    assert "--retain local, kind, dummy: when the start fails" in out


def test_up_status_env_down_drive_the_new_provider(dummy, state_root, capsys):
    assert main(["cluster", "up", "--provider", "dummy", "--name", "d1"]) == 0
    out = capsys.readouterr().out
    assert "cluster 'd1' (dummy): healthy" in out
    assert "ok   pretend-apiserver" in out and "nodes: 3/3 Ready" in out
    assert json.loads((state_root / "d1" / "state.json").read_text())["provider"] == "dummy"

    assert main(["cluster", "up", "--provider", "dummy", "--name", "d1"]) == 0
    assert "cluster 'd1' is already running" in capsys.readouterr().out
    assert main(["cluster", "status", "--name", "d1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["provider"] == "dummy" and report["healthy"] is True
    assert report["inventory"]["extended_gpus"] == 24
    assert main(["cluster", "env", "--name", "d1"]) == 0
    assert capsys.readouterr().out.startswith(
        f"export KUBECONFIG={state_root / 'd1' / 'kubeconfig'}")

    assert main(["cluster", "down", "--name", "d1"]) == 0
    assert "cluster 'd1' removed (3 processes stopped)" in capsys.readouterr().out
    assert not (state_root / "d1").exists()
    assert main(["cluster", "status", "--name", "d1"]) == 1
    assert "is not running" in capsys.readouterr().out


def test_retain_keeps_a_failed_start_and_says_how_to_remove_it(dummy, state_root, capsys):
    assert main(["cluster", "up", "--provider", "dummy", "--name", "d2", "--fail-start",
                 "--retain"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == "error: the pretend nodes did not come up"
    assert (f"cluster 'd2' failed to start and is kept (--retain): its processes are "
            f"stopped, logs: {state_root / 'd2' / 'logs'}; remove it: k8s-skills cluster "
            "down --name d2") in err
    assert main(["cluster", "status", "--name", "d2"]) == 1
    assert "FAIL pretend-apiserver" in capsys.readouterr().out
    assert main(["cluster", "down", "--name", "d2"]) == 0
    assert not (state_root / "d2").exists()

    assert main(["cluster", "up", "--provider", "dummy", "--name", "d3", "--fail-start"]) == 2
    assert "kept" not in capsys.readouterr().err
    assert not (state_root / "d3").exists()


@pytest.mark.parametrize("argv, message", [
    (["--provider", "dummy", "--topology", "x.yaml"],
     "error: --topology is not an option of the dummy provider (it takes: --retain, "
     "--fail-start)"),
    (["--provider", "kubeconfig", "--port", "6443"],
     "error: --port is not an option of the kubeconfig provider (it takes: --kubeconfig, "
     "--context)"),
    (["--provider", "kubeconfig", "--retain"],
     "error: --retain is not an option of the kubeconfig provider (it takes: --kubeconfig, "
     "--context)"),
    (["--provider", "kind", "--no-real-node"],
     "error: --no-real-node is not an option of the kind provider (it takes: --retain)"),
    (["--kubeconfig", "/nowhere"],
     "error: --kubeconfig is not an option of the local provider (it takes: --topology, "
     "--port, --gateway-channel, --no-gateway-controller, --no-ai-gateway, --no-real-node, "
     "--retain)"),
    (["--fail-start"], "error: --fail-start is not an option of the local provider"),
])
def test_an_option_the_provider_does_not_take_is_one_line_and_exit_2(dummy, state_root, capsys,
                                                                    argv, message):
    assert main(["cluster", "up", "--name", "never", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert not (state_root / "never").exists()


def test_an_option_declared_twice_differently_is_refused_at_registration():
    with pytest.raises(ValueError, match="--retain is declared differently"):
        providers.register("clash", options=(providers.Option("--retain", "keep", "x"),))(
            type("Clash", (), {}))
    assert "clash" not in providers.registry.REGISTRY


def test_a_cluster_of_an_unknown_provider_is_one_clear_error(state_root, capsys):
    (state_root / "gone").mkdir(parents=True)
    (state_root / "gone" / "state.json").write_text('{"provider": "removed-one"}')
    assert main(["cluster", "down", "--name", "gone"]) == 2
    assert capsys.readouterr().err.startswith(
        "error: cluster 'gone' was made by provider 'removed-one', which this harness does "
        "not know (known: local, kubeconfig, kind)")


# -- the local provider: topology in state.json, --retain ---------------------------------

def _sleeper(folder: Path) -> list[str]:
    """A process whose command line names the cluster folder, like every local component."""
    return [sys.executable, "-c", "import time; time.sleep(300)", str(folder)]


@pytest.fixture
def failing_local_start(monkeypatch):
    """LocalCluster.up with everything real except `_start`, which writes its first state,
    starts one process of the cluster and a log, then fails as kwokctl would."""
    monkeypatch.setattr(build, "ensure_built", lambda **kwargs: None)
    started: list[int] = []

    def start(self, topo, *args):
        self.dir.mkdir(parents=True)
        self._write_state({"phase": "starting", "provider": self.provider})
        started.append(procs.start_background(_sleeper(self.dir), self.dir / "logs" / "x.log"))
        raise UserError("kwokctl could not start the control plane: boom")
    monkeypatch.setattr(LocalCluster, "_start", start)
    return started


def _custom_topology(tmp_path: Path) -> Path:
    path = tmp_path / "two-pools.yaml"
    path.write_text("pools:\n- {name: tiny-a, count: 1, flavor: tiny}\n"
                    "- {name: tiny-b, count: 2, gpus: {mode: extended, count: 4}}\n")
    return path


def test_retain_keeps_a_failed_local_start_with_its_topology(failing_local_start, tmp_path,
                                                             state_root, capsys):
    topo_file = _custom_topology(tmp_path)
    assert main(["cluster", "up", "--name", "r1", "--retain", "--no-gateway-controller",
                 "--no-real-node", "--topology", str(topo_file)]) == 2
    err = capsys.readouterr().err
    assert err.endswith("error: kwokctl could not start the control plane: boom\n")
    assert "remove it: k8s-skills cluster down --name r1" in err
    assert f"logs: {state_root / 'r1' / 'logs'}" in err
    assert not _alive(failing_local_start[0])
    state = json.loads((state_root / "r1" / "state.json").read_text())
    assert state["phase"] == "failed" and state["retain"] is True
    assert state["topology"]["file"] == str(topo_file.resolve())
    assert state["topology"]["content"] == topo_file.read_text()
    assert len(state["topology"]["sha256"]) == 64
    assert (state_root / "r1" / "logs" / "x.log").exists()

    assert main(["cluster", "status", "--name", "r1"]) == 1
    assert (f"FAIL start-up                 failed, kept by --retain; logs: "
            f"{state_root / 'r1' / 'logs'}") in capsys.readouterr().out
    assert main(["cluster", "down", "--name", "r1"]) == 0
    assert not (state_root / "r1").exists()


def test_without_retain_a_failed_local_start_is_removed(failing_local_start, state_root,
                                                        capsys):
    assert main(["cluster", "up", "--name", "r2", "--no-gateway-controller",
                 "--no-real-node"]) == 2
    assert "kept" not in capsys.readouterr().err
    assert not (state_root / "r2").exists()
    assert procs.processes_using(state_root / "r2") == []


def test_the_watchdog_keeps_a_retained_start_whose_cli_died(state_root):
    from harness.cluster import watchdog
    cluster = LocalCluster("r3")
    cluster.dir.mkdir(parents=True)
    cluster._recorded = {"topology": topology.record(), "retain": True}
    cluster._write_state({"phase": "starting", "provider": "local"})
    component = procs.start_background(_sleeper(cluster.dir), cluster.dir / "logs" / "x.log")
    dead_cli = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_cli.wait()
    assert watchdog.watch(dead_cli.pid, "r3") == 0
    assert procs.processes_using(cluster.dir) == [] and not _alive(component)
    state = json.loads((cluster.dir / "state.json").read_text())
    assert state["phase"] == "failed" and state["topology"] == topology.record()
    cluster.down()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_the_evals_protect_the_topology_the_cluster_started_with(tmp_path, state_root,
                                                                 monkeypatch):
    from harness.evals import cli as evals_cli
    from harness.evals import safeguards
    folder = state_root / "t1"
    folder.mkdir(parents=True)
    (folder / "kubeconfig").write_text("{}")
    (folder / "state.json").write_text(json.dumps({
        "provider": "local", "phase": "running", "kubeconfig": str(folder / "kubeconfig"),
        "topology": topology.record(_custom_topology(tmp_path))}))
    monkeypatch.setattr(Kubectl, "ok", lambda self, *args, **kwargs: True)
    kube = evals_cli._kube(_Args(cluster="t1"))
    asked: list[str] = []

    def get_many(refs):
        asked.extend(refs)
        return {}
    monkeypatch.setattr(kube, "get_many", get_many)
    safeguards.protected_objects(kube)
    assert [r for r in asked if r.startswith("nodes/")] == \
        ["nodes/tiny-a-0", "nodes/tiny-b-0", "nodes/tiny-b-1"]
    assert "resourceflavors.kueue.x-k8s.io/tiny" in asked
    assert not any("gpu-h100" in r for r in asked)  # the default topology's pools


def test_a_cluster_without_a_recorded_topology_protects_the_default_one(state_root):
    assert topology.of_cluster({"provider": "kubeconfig"}) is None
    default = topology.load()
    recorded = topology.of_cluster({"topology": topology.record()})
    assert recorded is not None and recorded.pools == default.pools


class _Args:
    def __init__(self, cluster: str):
        self.cluster, self.kubeconfig, self.context = cluster, None, None


# -- the kind provider, with stand-ins for `docker` and `kind` on PATH ---------------------

@pytest.fixture
def failing_kind(tmp_path, monkeypatch):
    """`docker info` succeeds; `kind` logs its argv and fails every `create`."""
    bin_dir, calls = tmp_path / "bin", tmp_path / "kind-calls"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "kind").write_text(f'#!/bin/sh\necho "$@" >> {calls}\n'
                                  'if [ "$1" = create ]; then echo "ERROR: failed to create '
                                  'cluster: boom" >&2; exit 1; fi\n')
    for tool in ("docker", "kind"):
        (bin_dir / tool).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    return calls


def test_kind_retain_passes_retain_to_kind_and_keeps_the_state(failing_kind, state_root,
                                                               capsys):
    assert main(["cluster", "up", "--provider", "kind", "--name", "k1", "--retain"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == ("error: kind create cluster failed: ERROR: failed to "
                                    "create cluster: boom")
    assert "logs: `kind export logs --name k1`; remove it: k8s-skills cluster down --name k1" \
        in err
    assert failing_kind.read_text().splitlines() == [
        f"create cluster --name k1 --kubeconfig {state_root / 'k1' / 'kubeconfig'} --retain"]
    assert json.loads((state_root / "k1" / "state.json").read_text())["phase"] == "failed"
    assert main(["cluster", "down", "--name", "k1"]) == 0
    assert failing_kind.read_text().splitlines()[-1] == "delete cluster --name k1"
    assert not (state_root / "k1").exists()


def test_kind_without_retain_removes_what_it_made(failing_kind, state_root, capsys):
    assert main(["cluster", "up", "--provider", "kind", "--name", "k2"]) == 2
    assert "kept" not in capsys.readouterr().err
    # kind removes the nodes of a create it failed; nothing of ours is left either
    assert failing_kind.read_text().splitlines() == [
        f"create cluster --name k2 --kubeconfig {state_root / 'k2' / 'kubeconfig'}"]
    assert not (state_root / "k2").exists()


def test_retain_gives_kwokctl_no_chance_to_uninstall(tmp_path, state_root):
    """kwokctl stopped mid-install deletes the cluster's folder (kwok v0.8.0
    pkg/kwokctl/cmd/create/cluster/cluster.go, cleanUp when rt.Install fails): a stand-in
    that does the same on SIGTERM finds nothing to delete, because it gets SIGKILL."""
    cluster = LocalCluster("r4")
    data = cluster.dir / "kwok" / "clusters" / "r4" / "etcd"
    data.mkdir(parents=True)
    cluster._write_state({"phase": "starting", "provider": "local"})
    kwokctl = tmp_path / "kwokctl"
    kwokctl.write_text('#!/bin/sh\ntrap \'rm -rf "$1"; exit 0\' TERM\n'
                       'while :; do sleep 0.05; done\n')
    kwokctl.chmod(0o755)
    pid = procs.start_background([str(kwokctl), str(data)], tmp_path / "kwokctl.log")
    deadline = time.monotonic() + 10
    while not procs.processes_using(data) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cluster.keep_failed() >= 1
    assert not _alive(pid) and data.is_dir()
    assert json.loads((cluster.dir / "state.json").read_text())["phase"] == "failed"
    cluster.down()
