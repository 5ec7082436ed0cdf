"""`cluster up` waiting for the KWOK nodes: a controller that made no node Ready is started
again once, the Leases of the nodes not Ready deleted first (kwok v0.8.0
node_lease_controller.go: a Lease another holder renews stays with it until it expires);
a machine that is only slow (some nodes Ready) is waited for, not disturbed; a timeout names
the controller's state."""
from __future__ import annotations

import pytest

from harness.cluster import local
from harness.errors import UserError


def _node(name: str, ready: bool) -> dict:
    return {"metadata": {"name": name},
            "status": {"conditions": [{"type": "Ready", "status": str(ready)}]}}


class FakeApi:
    def __init__(self, answers):
        self.answers, self.deleted = answers, []

    def get(self, path):
        nodes = self.answers[0] if len(self.answers) == 1 else self.answers.pop(0)
        return 200, {"items": nodes}

    def delete(self, path):
        self.deleted.append(path.rsplit("/", 1)[-1])
        return 200


@pytest.fixture
def cluster(monkeypatch, tmp_path):
    monkeypatch.setattr(local.paths, "cluster_dir", lambda name: tmp_path / name)
    monkeypatch.setattr(local, "NODE_STALL", 0.3)
    monkeypatch.setattr(local, "READY_TIMEOUT", 0.8)
    made = local.LocalCluster("c", log=lambda m: logged.append(m))
    logged: list[str] = []
    made.logged = logged
    made.restarts = []
    monkeypatch.setattr(made, "_restart_kwok_controller", lambda: made.restarts.append(1))
    return made


def test_no_node_ready_restarts_the_controller_once_with_leases_cleared(cluster):
    stuck = [_node("a", False), _node("b", False)]
    api = FakeApi([stuck] * 3 + [[_node("a", True), _node("b", True)]])
    cluster._wait_nodes(api, 2)  # (the first answers come within NODE_STALL)
    assert cluster.restarts == [1] and sorted(api.deleted) == ["a", "b"]
    assert "no node Ready after" in cluster.logged[0]


def test_some_ready_is_a_slow_machine_not_a_restart(cluster):
    api = FakeApi([[_node("a", True), _node("b", False)]])
    with pytest.raises(UserError, match=r"1 were Ready when last seen; kwok-controller not "
                                        r"running"):
        cluster._wait_nodes(api, 2)
    assert cluster.restarts == [] and api.deleted == []
