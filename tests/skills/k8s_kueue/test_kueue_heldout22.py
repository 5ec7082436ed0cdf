"""Held-out round 22 (Kueue): a report that a queue reclaimed its lent quota and the borrowing
job was suspended. In Kueue that is a preemption with reason InCohortReclamation (v0.19.2
pkg/scheduler/preemption: a ClusterQueue below its nominal quota reclaims it from workloads
borrowing in its cohort). Ground truth: the AWS SageMaker HyperPod CLI task-governance
walkthrough (aws/sagemaker-hyperpod-cli, examples/end_to_end_walkthrough/03-task-governance),
never this script's output."""
from __future__ import annotations

import pytest

RECLAIMED = ("Team B needs to reclaim its compute resources. By submitting a job requiring 1 "
             "instance, Team B's job is prioritized as one of the instances currently used "
             "belongs to Team B, and Job 1 is suspended due to resource unavailability.\n")


def _run(script, tmp_path, text: str) -> dict:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = script("explain_eviction.py", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc


def test_a_reclaim_that_suspends_a_job_is_a_preemption(script, tmp_path):
    found = _run(script, tmp_path, RECLAIMED)["findings"]
    assert [(f["cause"], f["basis"]) for f in found] == [("preempted", "inferred")], found


@pytest.mark.parametrize("text", [
    "The job was suspended by the user before the queue was created.\n",   # no reclaim
    "Team B did not reclaim anything; the job was never suspended.\n",     # negated
])
def test_no_reclaim_no_preemption(script, tmp_path, text):
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = script("explain_eviction.py", "-f", str(path), "--json")
    assert result.code in (0, 1, 2), result.err
    # exit 2: a report with nothing this script reads (one line); otherwise no preemption
    findings = result.doc["findings"] if result.code != 2 else []
    assert not [f for f in findings if f["cause"] == "preempted"], result.doc
