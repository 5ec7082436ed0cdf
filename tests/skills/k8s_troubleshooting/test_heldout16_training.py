"""Held-out round 16 (GPU and training logs): NCCL's socket wording, MPI/UCX shared memory,
and a training job's manifest pasted beside its `kubectl get` row. Ground truth: the NCCL,
UCX and Open MPI sources cited in _tshoot/gpu.py and the threads named in each test."""
from __future__ import annotations

import pytest

from .conftest import run_script


def _findings(text: str, script: str) -> list[dict]:
    res = run_script(script, "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


@pytest.mark.parametrize("line", [
    # NCCL 2.12 misc/socket.cc, with Horovod's rank prefix (NVIDIA/nccl#706)
    "[15]worker-23:83:2526 [0] misc/socket.cc:503 NCCL WARN Net : Call to recv from "
    "100.96.188.199<41468> failed : Connection timed out",
    # NCCL 2.19+ names the function instead of "Net"
    "node-1:51:99 [3] NCCL WARN socketProgressOpt: Call to recv from 10.0.3.7<43211> failed : "
    "Connection reset by peer",
    "node-1:51:99 [3] NCCL WARN Net : Connection closed by remote peer 10.0.3.7<43211>",
    "[15]23:83:2526 [0] transport/net_socket.cc:219 NCCL WARN NET/Socket : socket progress error",
])
def test_nccl_socket_failures_are_the_network(line):
    top = _findings(line + "\n", "explain_gpu_failure.py")[0]
    assert (top["cause"], top["basis"]) == ("nccl_network_error", "reported"), top


def test_ucx_shared_memory_fifo_is_shm_to_be_confirmed():
    # NVIDIA/ai-cloud-validation#643: 8 MPI ranks on one node, no /dev/shm volume; UCX's mm
    # transport cannot get its FIFO and the ranks segfault; a memory-backed /dev/shm fixed it
    top = _findings("mm_iface failed to allocate receive FIFO\n...\n[ucp_address_unpack] "
                    "Caught signal 11 (Segmentation fault)\n", "explain_gpu_failure.py")[0]
    assert (top["cause"], top["basis"]) == ("nccl_shm_exhausted", "inferred"), top
    assert "/dev/shm" in top["confirm"]


def test_open_mpi_backing_file_without_space_is_shm():
    # Open MPI's shmem help text, one message over several lines
    text = ("--------------------------------------------------------------------------\n"
            "It appears as if there is not enough space for /dev/shm/vader_segment.w-0.1 (the\n"
            "shared-memory backing file). It is likely that your MPI job will now either abort\n"
            "or experience performance degradation.\n\n  Local host:  w-0\n"
            "  Space Requested: 4194312 B\n  Space Available: 0 B\n")
    top = _findings(text, "explain_gpu_failure.py")[0]
    assert (top["cause"], top["basis"]) == ("nccl_shm_exhausted", "reported"), top


MANIFEST = """apiVersion: "kubeflow.org/v1"
kind: PyTorchJob
metadata:
  name: pytorchjob
  namespace: kubeflow
spec:
  pytorchReplicaSpecs:
    Worker:
      replicas: 1
      restartPolicy: Never
      template:
        spec:
          containers:
            - name: pytorch
              image: centos:7
"""


def test_a_manifest_beside_its_row_is_the_rows_state():
    # kubeflow/trainer#1579: the reporter's manifest (no status: the file they applied), then
    # `kubectl get pytorchjob` saying Failed; one job, failed, never "not reconciled"
    text = MANIFEST + ("\n# kubectl get pytorchjob -n kubeflow\nNAME         STATE    AGE\n"
                       "pytorchjob   Failed   12m\n")
    found = _findings(text, "check_training.py")
    assert [f["cause"] for f in found] == ["training_failed"], found


def test_a_manifest_alone_says_nothing_of_the_controller():
    found = _findings(MANIFEST, "check_training.py")
    assert [(f["cause"], f["severity"]) for f in found] == [("not_evaluated", "info")], found


def test_a_dump_without_status_is_still_not_reconciled():
    dump = MANIFEST.replace("  namespace: kubeflow\n", "  namespace: kubeflow\n"
                            "  creationTimestamp: \"2024-05-01T10:00:00Z\"\n  uid: 1f0c\n")
    found = _findings(dump, "check_training.py")
    assert found[0]["cause"] == "training_not_reconciled", found
