"""check_rollout.py and _tshoot/rollout.py.

fenceposts: the cases of TestResolveFenceposts (k8s.io/kubernetes v1.30.0
pkg/controller/deployment/util/deployment_util_test.go; a nil fencepost there is 0 here: the
apiserver defaults an absent one to 25%, SetDefaults_Deployment). The dump below is the state
the live test (tests/live/test_rollout_gpu_live.py) reached with the real controller and
scheduler: 4 one-GPU replicas fill two 2-GPU nodes; the surge pod is Pending with the
scheduler's message as it printed it."""
from __future__ import annotations

import copy
import json
import sys

import pytest
import yaml

from .conftest import SCRIPTS, run_script

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parents[1] / "_shared")]

from _tshoot import rollout  # noqa: E402

GPU = "nvidia.com/gpu"


@pytest.mark.parametrize("surge,unavailable,desired,want", [
    ("0%", "0%", 0, (0, 1)),
    ("39%", "39%", 10, (4, 3)),
    (0, "39%", 10, (0, 3)),
    ("39%", 0, 10, (4, 0)),
    (0, 0, 10, (0, 1)),
])
def test_fenceposts_as_resolve_fenceposts(surge, unavailable, desired, want):
    dep = {"spec": {"replicas": desired, "strategy": {"rollingUpdate": {
        "maxSurge": surge, "maxUnavailable": unavailable}}}}
    assert rollout.fenceposts(dep) == want


@pytest.mark.parametrize("surge,unavailable", [("oops", "39%"), ("55%", "urg")])
def test_fenceposts_refuse_what_intstr_refuses(surge, unavailable):
    dep = {"spec": {"replicas": 10, "strategy": {"rollingUpdate": {
        "maxSurge": surge, "maxUnavailable": unavailable}}}}
    with pytest.raises(ValueError):
        rollout.fenceposts(dep)


def test_absent_fenceposts_default_to_25_percent():
    assert rollout.fenceposts({"spec": {"replicas": 10}}) == (3, 2)


def _node(name):
    cap = {"cpu": "16", "memory": "64Gi", "pods": "110", GPU: "2"}
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {
        "kubernetes.io/hostname": name}}, "status": {"allocatable": cap, "capacity": cap}}


def _pod(name, node=None, phase="Running"):
    spec = {"containers": [{"name": "vllm", "resources": {"limits": {GPU: "1"},
                                                          "requests": {GPU: "1"}}}]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "serving", "labels": {"app": "server"}},
            "spec": spec, "status": {"phase": phase}}


def _dump(max_surge=1, max_unavailable=0, rolling=False, nodes=2):
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "server", "namespace": "serving"},
           "spec": {"replicas": 4, "selector": {"matchLabels": {"app": "server"}},
                    "strategy": {"type": "RollingUpdate", "rollingUpdate": {
                        "maxSurge": max_surge, "maxUnavailable": max_unavailable}},
                    "template": {"metadata": {"labels": {"app": "server"}}, "spec": {
                        "containers": [{"name": "vllm", "image": "vllm:0.1",
                                        "resources": {"limits": {GPU: "1"}}}]}}},
           "status": {"replicas": 5 if rolling else 4, "readyReplicas": 4,
                      "updatedReplicas": 1 if rolling else 4}}
    items = [dep] + [_node(f"g{i}") for i in range(nodes)] + \
        [_pod(f"server-old-{i}", f"g{i // 2}") for i in range(4)]
    if rolling:
        items.append(_pod("server-new-0", phase="Pending"))
        items.append({"apiVersion": "v1", "kind": "Event", "reason": "FailedScheduling",
                      "metadata": {"name": "e1", "namespace": "serving"},
                      "involvedObject": {"kind": "Pod", "name": "server-new-0"},
                      "message": "0/10 nodes are available: 2 Insufficient nvidia.com/gpu, 8 "
                      "node(s) didn't match Pod's node affinity/selector. preemption: 0/10 "
                      "nodes are available: 2 No preemption victims found for incoming pod, 8 "
                      "Preemption is not helpful for scheduling."})
    return yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": items})


def _run(dump):
    result = run_script("check_rollout.py", "-f", "-", "--json", stdin=dump)
    assert result.code in (0, 1), result.err
    return result.code, result.doc


def test_stall_predicted_then_reported():
    code, doc = _run(_dump())
    assert code == 1 and doc["findings"][0]["cause"] == "rollout_surge_stalls"
    assert doc["findings"][0]["basis"] == "inferred"
    code, doc = _run(_dump(rolling=True))
    finding = doc["findings"][0]
    assert finding["basis"] == "reported" and "is stalled" in finding["message"]
    assert any("Insufficient nvidia.com/gpu" in e for e in finding["evidence"])


def test_max_unavailable_drops_capacity():
    code, doc = _run(_dump(max_surge=0, max_unavailable=1))
    finding = doc["findings"][0]
    assert finding["cause"] == "rollout_capacity_drop" and "only 3 of 4 serve" in \
        finding["message"]
    assert any("no container has a readinessProbe" in e for e in finding["evidence"])


def test_spare_gpu_for_the_surge_is_safe():
    code, doc = _run(_dump(nodes=3))
    assert code == 0 and doc["deployments"][0]["state"] == "ok" and not doc["findings"]


def test_bad_fencepost_is_one_line_exit_2():
    bad = yaml.safe_load(_dump())
    bad["items"][0]["spec"]["strategy"]["rollingUpdate"]["maxSurge"] = "oops"
    result = run_script("check_rollout.py", "-f", "-", stdin=yaml.safe_dump(bad))
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1 and "'oops'" in result.err


def test_non_gpu_deployments_are_skipped():
    doc = yaml.safe_load(_dump())
    dep = copy.deepcopy(doc["items"][0])
    dep["spec"]["template"]["spec"]["containers"][0]["resources"] = {}
    result = run_script("check_rollout.py", "-f", "-", "--json",
                        stdin=json.dumps({"kind": "List", "items": [dep]}))
    assert result.code == 0 and result.doc["deployments"] == []
