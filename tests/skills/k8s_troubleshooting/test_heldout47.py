"""Held-out round 47: the scheduler's "no nodes available to schedule pods" (a cluster with no
Node), and pods Pending beside a node taint the paste configures. Ground truth: kube-scheduler
ErrNoNodesAvailable (pkg/scheduler/core/generic_scheduler.go@v1.17.0, pkg/scheduler/scheduler.go
@v1.37.2: the node list is empty; Young-ook/terraform-aws-eks#92: an EKS control plane without a
node group);
rancher/rke2#487 (node-taint CriticalAddonsOnly=true:NoExecute on the only server kept the
helm-install Jobs Pending; fixed by k3s-io/helm-controller#84)."""
from __future__ import annotations

from .conftest import paste_causes as _causes
from .conftest import run_script

NO_NODES = ("  Type     Reason            Age    From               Message\n"
            "  ----     ------            ----   ----               -------\n"
            "  Warning  FailedScheduling  3m48s  default-scheduler  no nodes available to "
            "schedule pods\n\n$ kubectl get nodes\nNo resources found\n")
ROWS = ("NAMESPACE     NAME                                READY   STATUS    RESTARTS   AGE\n"
        "kube-system   etcd-ip-10-0-0-1                    1/1     Running   0          4m31s\n"
        "kube-system   helm-install-rke2-canal-z4mcr       0/1     Pending   0          5m18s\n"
        "kube-system   helm-install-rke2-coredns-qhldn     0/1     Pending   0          5m18s\n")


def test_no_node_registered():
    res = run_script("triage.py", "-f", "-", "--json", stdin=NO_NODES)
    first = res.doc["findings"][0]
    assert first["cause"] == "no_nodes" and "node group" in first["fix"], first


def test_pending_rows_beside_a_configured_taint():
    text = "config.yaml:\n\nnode-taint:\n  - \"CriticalAddonsOnly=true:NoExecute\"\n\n" + ROWS
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "unschedulable_taint" and first["basis"] == "inferred", first
    assert "CriticalAddonsOnly=true:NoExecute" in first["message"]


def test_the_kubelet_flag_form():
    text = "kubelet --register-with-taints=nvidia.com/gpu=present:NoSchedule\n\n" + ROWS
    assert _causes("triage.py", text)[0] == "unschedulable_taint"


def test_pending_rows_without_a_taint_stay_undecided():
    res = run_script("triage.py", "-f", "-", "--json", stdin=ROWS)
    assert [f["cause"] for f in res.doc["findings"]] == ["not_evaluated"]
