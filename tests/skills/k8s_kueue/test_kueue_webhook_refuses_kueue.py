"""A report saying an admission webhook refuses the update Kueue makes to a job (suspend or
stop): Kueue cannot change the job, so a queue's stopPolicy the report sets to reproduce it is
not the cause. Ground truth: kubernetes-sigs/kueue#2691 (Kueue v0.8.0, JobSet v0.5.2: the
JobSet webhook refused the nodeSelector Kueue restores when it suspends the JobSet after a
HoldAndDrain, "the mutation request is rejected by JobSet webhook"; fixed by jobset#644)."""
from __future__ import annotations

import pytest

from .test_kueue_heldout46 import _causes

STOP = "3. Stop the ClusterQueue: set `stopPolicy: HoldAndDrain`.\n\n"


@pytest.mark.parametrize("sentence", [
    "The logs for Kueue show that the mutation request is rejected by JobSet webhook.",
    "It fails because the JobSet webhook rejects the update.",
    "Suspending the job is denied by the validating admission webhook of the operator.",
])
@pytest.mark.parametrize("script", ["explain_pending.py", "explain_eviction.py"])
def test_a_webhook_refusing_kueues_write_comes_before_the_stop(sentence, script):
    causes = _causes(script, STOP + "The JobSet keeps running. " + sentence + "\n")
    assert causes[0] == "admission_webhook_denied", causes
    assert "queue_inactive" in causes


@pytest.mark.parametrize("sentence", [
    "Creating the job is denied by the kueue webhook.",     # the user's create: Kueue's own
    "The JobSet webhook never rejects the update.",
])
def test_not_a_refusal_of_kueues_write(sentence):
    causes = _causes("explain_pending.py", STOP + sentence + "\n")
    assert "admission_webhook_denied" not in causes, causes
