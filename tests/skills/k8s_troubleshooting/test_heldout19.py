"""Held-out round 19 (pods, nodes, training): ncclSystemError beside a /dev/shm full of an
earlier run's segments, and a refusal that a job controller's helper reconciler logged. Ground
truth: the threads and upstream sources named in each test."""
from __future__ import annotations

from .conftest import run_script


def _findings(text: str, script: str) -> list[dict]:
    res = run_script(script, "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


SYSTEM_ERROR = ("ERROR 10-13 09:06:25 [v1/executor/multiproc_executor.py:597] RuntimeError: NCCL "
                "error: unhandled system error (run with NCCL_DEBUG=INFO for details)\n")
SHM_LISTING = "# ls -alht /dev/shm\ntotal 1.3G\n" + "".join(
    f"-rw-------  1 root root 101M Oct 11 04:32 psm_{i:08x}\n" for i in range(6)) + "".join(
    f"-rw-------  1 root root  32M Oct 11 04:23 nccl-Ab{i}xYz\n" for i in range(4))


def test_an_nccl_system_error_beside_a_dev_shm_full_of_old_segments():
    # llm-d/llm-d#352: crashed vLLM workers' NCCL/PSM segments stayed in the pod's /dev/shm;
    # the next start's NCCL init failed with ncclSystemError (fixed by clearing /dev/shm before
    # start, llm-d#364)
    found = _findings(SYSTEM_ERROR + "[...]\n" + SHM_LISTING, "explain_gpu_failure.py")
    assert [(f["cause"], f["basis"]) for f in found] == [("nccl_shm_exhausted", "inferred")]
    assert "df -h /dev/shm" in found[0]["confirm"], found


def test_an_nccl_system_error_alone_stays_the_transports():
    found = _findings(SYSTEM_ERROR, "explain_gpu_failure.py")
    assert [f["cause"] for f in found] == ["nccl_network_error"], found
    # a listing of a healthy /dev/shm (one segment) says nothing
    found = _findings(SYSTEM_ERROR + "# ls /dev/shm\n-rw------- 1 root root 32M Oct 11 "
                      "04:23 nccl-Ab0xYz\n", "explain_gpu_failure.py")
    assert [f["cause"] for f in found] == ["nccl_network_error"], found


LWS_LOG = """\
2025-03-01T03:39:39Z    DEBUG   events  Replicas are progressing, with 0 groups ready of total 1 groups {"type": "Normal", "object": {"kind":"LeaderWorkerSet","namespace":"default","name":"tensorrt","uid":"516a1bc7","apiVersion":"leaderworkerset.x-k8s.io/v1","resourceVersion":"100034871"}, "reason": "GroupsAreProgressing"}
2025-03-01T03:39:39Z    ERROR   Reconciler error        {"controller": "pod", "controllerGroup": "", "controllerKind": "Pod", "Pod": {"name":"tensorrt-0","namespace":"default"}, "namespace": "default", "name": "tensorrt-0", "reconcileID": "6239de19", "error": "failed to create typed patch object (default/tensorrt-0; apps/v1, Kind=StatefulSet): .spec.ordinals: field not declared in schema"}
"""


def test_a_refusal_the_job_controllers_pod_reconciler_logged():
    # kubernetes-sigs/lws#401: LWS's pod controller builds the worker StatefulSet from the
    # leader pod; Kubernetes < 1.26 has no StatefulSet spec.ordinals (lws#406 made 1.26 the
    # minimum). The log names one LeaderWorkerSet in that namespace: the refusal is its.
    found = _findings(LWS_LOG, "check_training.py")
    top = found[0]
    assert (top["cause"], top["object"]["kind"], top["object"]["name"]) == (
        "training_invalid", "LeaderWorkerSet", "tensorrt"), found
    assert "older than" in top["fix"], top


def test_a_helper_refusal_with_two_jobs_in_the_namespace_is_not_guessed():
    second = LWS_LOG.splitlines()[0].replace('"tensorrt"', '"other"')
    found = _findings(second + "\n" + LWS_LOG, "check_training.py")
    assert not [f for f in found if f["cause"] == "training_invalid"], found


def test_a_node_without_a_pod_cidr():
    # cloudnativelabs/kube-router#360 (kubeadm --pod-network-cidr=192.168.0.0/24: one /24, one
    # node); flannel pkg/subnet/kube/kube.go `node %q pod cidr not assigned`; kubernetes
    # v1.37.2 nodeipam cidr_set.go ErrCIDRRangeNoCIDRsRemaining
    for line in ("`Failed to create network services controller: Failed to get pod CIDR details "
                 "from Node.spec: node.Spec.PodCIDR not set for node: master-etcd3`",
                 'E0304 04:04:44.958281       1 main.go:292] Error registering network: failed to '
                 'acquire lease: node "worker-2" pod cidr not assigned',
                 "Error while processing Node Add: failed to allocate cidr from cluster cidr at "
                 "idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in "
                 "the accepted range"):
        top = _findings(line + "\n", "triage.py")[0]
        assert (top["cause"], top["basis"]) == ("node_not_ready", "reported"), top
        assert "--allocate-node-cidrs" in top["fix"] and "pod CIDR" in top["message"], top
