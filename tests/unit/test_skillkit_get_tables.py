"""`kubectl get` tables as users paste them: printed back to back by a script with banners
between them (kubernetes-sigs/kueue#1651), the same object printed twice, and the columns of
current kubectl releases (k8s.io/kubernetes pkg/printers/internalversion/printers.go; Kueue
apis/kueue/v1beta1/localqueue_types.go printcolumns)."""
from __future__ import annotations

import sys
from pathlib import Path

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
