"""Every eviction wording of references/catalogue/kueue.tsv (Kueue's format strings with their
source file@tag) run through explain_eviction.py: on a Workload whose Evicted condition
carries it, and quoted alone in a report. The expected cause is the catalogue row's, taken
from what the message means in Kueue's source, never from the script."""
from __future__ import annotations

import pytest

from tests.skill_scripts import ROOT
from tests.skills.catalogue_forms import (
    NOT_A_FAULT, UNKNOWN, assert_read_as, event_table, fill, load_main, prose, read_catalogue,
)

SKILL = ROOT / "skills" / "k8s-kueue"
CATALOGUE = read_catalogue(SKILL / "references" / "catalogue" / "kueue.tsv")
# The reasons of the Evicted condition (apis/kueue/v1beta2/workload_types.go@v0.19.2, and
# the Deactivated* / InactiveWorkload* forms of v0.6-v0.19: core/workload_controller.go;
# v0.5-v0.7's AdmissionChecksRejected finished the Workload, no eviction)
_EVICTED = {"Preempted", "PodsReadyTimeout", "AdmissionCheck", "ClusterQueueStopped",
            "LocalQueueStopped"}
EVICTIONS = [r for r in CATALOGUE if r.form == "condition" and r.cause not in
             (NOT_A_FAULT, UNKNOWN) and (r.reason in _EVICTED or
                                         r.reason.startswith(("InactiveWorkload",
                                                              "Deactivated")))]

# ... and the events Kueue records on the Workload with a reason of their own
EVENTS = [r for r in CATALOGUE if r.form == "event" and r.cause not in (NOT_A_FAULT, UNKNOWN)
          and r.reason in ("Preempted", "InactiveWorkload")]


@pytest.fixture(scope="module")
def explain():
    return load_main(SKILL / "scripts" / "explain_eviction.py")


def _workload(row) -> str:
    quoted = fill(row.wording).replace("'", "''")
    return f"""apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata:
  name: job-train-7f3a2
  namespace: team-gpu
  uid: 0f4c2d9e-victim
spec:
  queueName: team-gpu
status:
  conditions:
  - type: Evicted
    status: "True"
    reason: {row.reason}
    message: '{quoted}'
    lastTransitionTime: "2025-03-04T10:11:12Z"
"""


def test_the_eviction_rows_are_there():
    assert len(EVICTIONS) >= 10
    assert {r.cause for r in EVICTIONS} >= {"preempted", "pods_ready_timeout",
                                             "queue_inactive", "workload_deactivated",
                                             "admission_check_pending",
                                             "admission_check_rejected"}


@pytest.mark.parametrize("row", EVICTIONS, ids=[r.id for r in EVICTIONS])
def test_evicted_condition_reads_as_its_cause(row, explain, tmp_path):
    assert_read_as(explain, _workload(row), row.cause, "yaml", tmp_path)


@pytest.mark.parametrize("row", EVICTIONS, ids=[r.id for r in EVICTIONS])
def test_eviction_message_quoted_alone(row, explain, tmp_path):
    assert_read_as(explain, prose(fill(row.wording)), row.cause, "prose", tmp_path)


@pytest.mark.parametrize("row", EVENTS, ids=[r.id for r in EVENTS])
def test_eviction_event_reads_as_its_cause(row, explain, tmp_path):
    message = fill(row.wording)
    assert_read_as(explain, event_table(message, row.reason), row.cause, "event-table", tmp_path)
    assert_read_as(explain, prose(message), row.cause, "prose", tmp_path)
