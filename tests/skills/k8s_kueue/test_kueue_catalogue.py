"""Every wording of references/catalogue/kueue.tsv (Kueue's format strings v0.4..v0.19, each
with its source file@tag) filled with example values and run through explain_pending.py in
each form users paste. A wording the script does not map to the catalogue's cause fails
here: the guard against the next version's wording (issue 12)."""
from __future__ import annotations

import sys

import pytest

from tests.skill_scripts import ROOT
from tests.skills.catalogue_forms import (
    assert_read_as,
    NOT_A_FAULT, UNKNOWN, describe_events, event_table, fill, json_log, load_main,
    log_line, prose, read_catalogue,
)

SKILL = ROOT / "skills" / "k8s-kueue"
CATALOGUE = read_catalogue(SKILL / "references" / "catalogue" / "kueue.tsv")
FAULTS = [r for r in CATALOGUE if r.cause not in (NOT_A_FAULT, UNKNOWN)]
CAUSE_IDS = set((SKILL / "references" / "causes.md").read_text().split("`"))

sys.path.insert(0, str(SKILL / "scripts"))
from _kueue.messages import first_cause as message_cause  # noqa: E402


@pytest.fixture(scope="module")
def explain():
    return load_main(SKILL / "scripts" / "explain_pending.py")


def _workload_yaml(row, message: str) -> str:
    if row.reason in ("PodsReadyTimeout", "InactiveWorkload", "Preempted", "InClusterQueue",
                      "InCohortReclamation", "InCohortFairSharing", "ClusterQueueStopped",
                      "LocalQueueStopped", "DeactivatedDueToRequeuingLimitExceeded",
                      "DeactivatedDueToMaximumExecutionTimeExceeded", "AdmissionCheck",
                      "AdmissionChecksRejected"):
        ctype, status = "Evicted", "True"
    else:
        ctype, status = "QuotaReserved", "False"
    quoted = message.replace("'", "''")
    return f"""apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata:
  name: job-train-7f3a2
  namespace: team-gpu
spec:
  queueName: team-gpu
  podSets:
  - name: workers
    count: 2
    template:
      spec:
        containers:
        - name: c
          image: trainer:1
          resources:
            requests:
              nvidia.com/gpu: "8"
status:
  conditions:
  - type: {ctype}
    status: "{status}"
    reason: {row.reason or "Pending"}
    message: '{quoted}'
    lastTransitionTime: "2025-03-04T10:11:12Z"
"""


def _cq_yaml(row, message: str) -> str:
    quoted = message.replace("'", "''")
    return f"""apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: team-gpu-cq
spec:
  namespaceSelector: {{}}
  resourceGroups: []
status:
  conditions:
  - type: Active
    status: "False"
    reason: {row.reason or "Inactive"}
    message: '{quoted}'
    lastTransitionTime: "2025-03-04T10:11:12Z"
"""


_DESCRIBE_WL = ("Name:         job-train-7f3a2\nNamespace:    team-gpu\nLabels:       <none>\n"
                "API Version:  kueue.x-k8s.io/v1beta1\nKind:         Workload\nSpec:\n"
                "  Queue Name:  team-gpu\n")


def forms(row) -> dict[str, str]:
    message = fill(row.wording)
    if row.form in ("condition", "event"):
        out = {"event-table": event_table(message, row.reason),
               "describe": describe_events(_DESCRIBE_WL, message, row.reason,
                                           "kueue-admission"),
               "prose": prose(message)}
        if row.form == "condition":
            out["yaml"] = _workload_yaml(row, message)
        return out
    if row.form == "cq-status":
        return {"yaml": _cq_yaml(row, message), "prose": prose(message)}
    if row.form == "webhook":
        refusal = ('Error from server (Forbidden): error when creating "job.yaml": admission '
                   f'webhook "vjob.kb.io" denied the request: {message}')
        return {"kubectl": refusal + "\n", "prose": prose(refusal)}
    return {"log": log_line(message, "controller"), "json-log": json_log(message, "setup"),
            "prose": prose(message)}


def forms_with_message(row) -> dict[str, str]:
    """Every form, and the message copied alone (no reason, no object), as users quote it."""
    out = forms(row)
    if row.form != "webhook":
        out["message"] = fill(row.wording) + "\n"
    return out


CASES = [(row, name) for row in FAULTS for name in forms_with_message(row)]


def test_catalogue_rows_are_complete():
    assert len(CATALOGUE) > 100
    for row in CATALOGUE:
        assert row.wording and row.versions.startswith("v0.") and "@v0." in row.source, row
        assert row.form in ("condition", "event", "cq-status", "webhook", "log"), row
        if row.cause in (NOT_A_FAULT, UNKNOWN):
            assert len(row.note) > 10, f"{row.id}: say why it is {row.cause}"
        else:
            assert row.cause in CAUSE_IDS, f"{row.id}: {row.cause} is no cause id"


@pytest.mark.parametrize("row", FAULTS, ids=[r.id for r in FAULTS])
def test_every_fault_wording_maps_to_its_cause(row):
    assert message_cause(fill(row.wording)) == row.cause


@pytest.mark.parametrize("row", [r for r in CATALOGUE if r.cause == NOT_A_FAULT],
                         ids=lambda r: r.id)
def test_progress_wordings_are_no_fault(row):
    assert message_cause(fill(row.wording)) == ""


@pytest.mark.parametrize("row,form", CASES, ids=[f"{r.id}[{f}]" for r, f in CASES])
def test_every_fault_wording_in_every_form(row, form, explain, tmp_path):
    assert_read_as(explain, forms_with_message(row)[form], row.cause, form, tmp_path)
