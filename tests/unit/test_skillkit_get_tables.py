"""`kubectl get` tables as users paste them: printed back to back by a script with banners
between them (kubernetes-sigs/kueue#1651), the same object printed twice, and the columns of
current kubectl releases (k8s.io/kubernetes pkg/printers/internalversion/printers.go; Kueue
apis/kueue/v1beta1/localqueue_types.go printcolumns)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.loading import parse_paste  # noqa: E402


SCRIPTED = """=====================pod=====================
NAME                     READY   STATUS    RESTARTS   AGE   IP               NODE     NOMINATED NODE   READINESS GATES
sample-job-jd5xb-lf697   1/1     Running   0          4s    10.233.123.196   test-2   <none>           <none>
==================workload===================
NAME                         QUEUE          ADMITTED BY   AGE
job-sample-job-hg2ms-bea37   team-b-queue                 2s
=================localqueue==================
NAME                  CLUSTERQUEUE       PENDING WORKLOADS   ADMITTED WORKLOADS
team-b-queue          team-b-cq          1                   1
==================workload===================
NAME                         QUEUE          ADMITTED BY   AGE
job-sample-job-hg2ms-bea37   team-b-queue   team-b-cq     8s
"""


def test_tables_printed_back_to_back_are_each_read():
    # a table ends at the first line that is not one of its rows (a banner, the next table);
    # the pod table is `-o wide` (printers.go: IP, Node, Nominated Node, Readiness Gates)
    dump = parse_paste(SCRIPTED, "paste")
    kinds = sorted({obj["kind"] for obj in dump})
    assert kinds == ["LocalQueue", "Pod", "Workload"], kinds
    queue = next(obj for obj in dump if obj["kind"] == "LocalQueue")
    assert queue["spec"] == {"clusterQueue": "team-b-cq"}
    assert queue["status"] == {"pendingWorkloads": 1, "admittedWorkloads": 1}


def test_the_last_row_of_an_object_is_its_state():
    # the same Workload printed twice: once pending, then reserved; the later row is now
    rows = [obj for obj in parse_paste(SCRIPTED, "paste") if obj["kind"] == "Workload"]
    assert len(rows) == 1
    assert rows[0]["status"]["admission"] == {"clusterQueue": "team-b-cq"}


def test_a_pvc_table_of_a_current_kubectl():
    # openebs/lvm-localpv#379 (kubectl 1.29+: VolumeAttributesClass before Age)
    text = ("NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS    "
            "VOLUMEATTRIBUTESCLASS   AGE\n"
            "aaa2   Pending                                      openebs-lvmpv   <unset>"
            "                 6s\n")
    (pvc,) = parse_paste(text, "paste")
    assert (pvc["kind"], pvc["status"], pvc["spec"]) == (
        "PersistentVolumeClaim", {"phase": "Pending"}, {"storageClassName": "openebs-lvmpv"})


# kubernetes/kubernetes#109663: `kubectl get pod -o wide | grep` drops the header; the rows
# keep kubectl's alignment (printers.go printPod), and a Failed pod's STATUS is its reason
GREPPED = ("[root@node-1 ~]# kubectl get pod -n ceph -o wide | grep ceph-rgw\n"
           "ceph-rgw-548fdf5fc5-2whgg          1/1     Running        0          4h25m   "
           "10.232.1.28   node-5   <none>           <none>\n"
           "ceph-rgw-548fdf5fc5-t5k8d          0/1     NodeAffinity   0          4h25m   "
           "<none>        node-5   <none>           <none>\n")


def test_pod_rows_under_a_filtered_get_are_read():
    pods = [o for o in parse_paste(GREPPED, "paste") if o.get("kind") == "Pod"]
    assert [o["metadata"]["name"] for o in pods] == ["ceph-rgw-548fdf5fc5-2whgg",
                                                     "ceph-rgw-548fdf5fc5-t5k8d"]
    assert pods[0]["metadata"]["namespace"] == "ceph"
    assert pods[1]["status"]["phase"] == "Failed" and pods[1]["status"]["reason"] == "NodeAffinity"


def test_rows_without_a_get_command_are_not_guessed():
    # (without the command nothing says these are pods: the rows stay text)
    text = GREPPED.split("\n", 1)[1]
    assert all(o.get("kind") != "Pod" for o in parse_paste("intro line\n" + text, "paste"))


# rancher/rke2#127: `kubectl get pods -A -o wide | grep helm` - the rows keep the NAMESPACE
# column -A adds before NAME (printers.go); the kubelet's NodeAffinity refusal is the STATUS
GREPPED_ALL = ("kubectl get pods -A  -o wide |grep helm\n"
               "kube-system   helm-install-canal-6qn9r                         0/1     "
               "NodeAffinity   0          38m   <none>          ip-172-31-27-126   <none>"
               "           <none>\n"
               "kube-system   helm-install-canal-w8wn7                         0/1     "
               "Completed      0          37m   172.31.27.126   ip-172-31-27-126   <none>"
               "           <none>\n")


def test_pod_rows_of_all_namespaces_under_a_filtered_get_are_read():
    pods = [o for o in parse_paste(GREPPED_ALL, "paste") if o.get("kind") == "Pod"]
    assert [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in pods] == [
        ("kube-system", "helm-install-canal-6qn9r"), ("kube-system", "helm-install-canal-w8wn7")]
    assert pods[0]["status"]["reason"] == "NodeAffinity"


@pytest.mark.parametrize("marker", ["****snip****", "...", "[...]", "<snip>", "-- snipped --",
                                    "(omitted)"])
def test_an_elision_line_does_not_end_a_describe_block(marker):
    # cilium/cilium#32865: `kubectl describe gateway` with the reporter's ****snip**** lines;
    # the Status after the cut is the same object's
    text = ("Name:         gw\nNamespace:    default\nAPI Version:  gateway.networking.k8s.io/v1\n"
            "Kind:         Gateway\nSpec:\n  Gateway Class Name:  cilium\n" + marker +
            "\n\nStatus:\n  Addresses:\n    Type:   IPAddress\n    Value:  10.0.0.9\n")
    gateways = [o for o in parse_paste(text, "paste") if o.get("kind") == "Gateway"]
    assert len(gateways) == 1 and gateways[0]["metadata"]["name"] == "gw"
    assert gateways[0]["status"]["addresses"] == [{"type": "IPAddress", "value": "10.0.0.9"}]
