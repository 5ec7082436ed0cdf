"""check_training.py on a RayJob status pasted as a fragment (held-out round 6: the elided
`status:` block of ray-project/kuberay#2314, the header-less describe lines of kuberay#1233).
Field names are KubeRay's RayJobStatus json tags (apis/ray/v1/rayjob_types.go) and describe's
split of them; jobStatus FAILED under a Running deployment is KubeRay before v1.1 (no Failed
deployment status until kuberay#1942)."""
from __future__ import annotations

import pytest

from .conftest import run_script

ELIDED = """status:
  jobDeploymentStatus: Failed
  jobStatus: RUNNING
  message: 'Job submission has failed. Reason: BackoffLimitExceeded.'
...
  reason: SubmissionFailed
"""
DESCRIBE = """  Job Deployment Status:  Running
  Job Id:                 train-x7k2p
  Job Status:             FAILED
  Message:                Job failed due to an application error, last available logs
"""
HEADER = """apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: train
  namespace: ml
"""


def _causes(text: str) -> tuple[int, list[str]]:
    result = run_script("check_training.py", "-f", "-", "--json", stdin=text)
    return result.code, ([f["cause"] for f in result.doc["findings"]] if result.doc else [])


@pytest.mark.parametrize("text", [
    ELIDED, "The RayJob:\n```\n" + ELIDED + "```\nThe object:\n```\n" + HEADER + "```\n",
    DESCRIBE, "$ kubectl describe rayjob train\n" + DESCRIBE,
])
def test_rayjob_status_fragments_are_read(text):
    code, causes = _causes(text)
    assert code == 1 and causes[0] == "training_failed"


def test_old_kuberay_jobstatus_failed_under_running():
    code, causes = _causes(HEADER + "status:\n  jobDeploymentStatus: Running\n  jobStatus: "
                           "FAILED\n")
    assert causes[0] == "training_failed"


def test_fields_of_no_rayjob_are_not_a_rayjob():
    result = run_script("check_training.py", "-f", "-", "--json",
                        stdin="  Job Status:  FAILED\n  Message:  something\n")
    assert result.code == 2
