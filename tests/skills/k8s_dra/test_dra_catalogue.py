"""Every wording of references/catalogue/dra.tsv (the DRA components' format strings,
Kubernetes 1.27..1.37, drivers and the runtime, each with its source) filled with example
values and run through explain_claim.py in each form users paste. A wording the script does
not map to the catalogue's cause fails here (issue 12)."""
from __future__ import annotations

import pytest

from tests.skill_scripts import ROOT
from tests.skills.catalogue_forms import (
    assert_read_as,
    NOT_A_FAULT, UNKNOWN, describe_events, event_table, fill, load_main, prose, run_main,
    read_catalogue,
)

SKILL = ROOT / "skills" / "k8s-dra"
CATALOGUE = read_catalogue(SKILL / "references" / "catalogue" / "dra.tsv")
FAULTS = [r for r in CATALOGUE if r.cause not in (NOT_A_FAULT, UNKNOWN)]
CAUSE_IDS = set((SKILL / "references" / "causes.md").read_text().split("`"))

_DESCRIBE_POD = ("Name:             train-0\nNamespace:        team-gpu\nPriority:         0\n"
                 "Node:             <none>\nStatus:           Pending\n")


@pytest.fixture(scope="module")
def explain():
    return load_main(SKILL / "scripts" / "explain_claim.py")


def _failed_scheduling(message: str) -> str:
    return (f"0/3 nodes are available: 3 {message}. preemption: 0/3 nodes are available: 3 "
            "Preemption is not helpful for scheduling.")


def _pod_yaml(message: str) -> str:
    quoted = message.replace("'", "''")
    return f"""apiVersion: v1
kind: Pod
metadata:
  name: train-0
  namespace: team-gpu
spec:
  containers:
  - name: c
    image: trainer:1
    resources:
      claims:
      - name: gpu
  resourceClaims:
  - name: gpu
    resourceClaimTemplateName: gpu-template
status:
  phase: Pending
  conditions:
  - type: PodScheduled
    status: "False"
    reason: Unschedulable
    message: '{quoted}'
"""


def _klog(message: str) -> str:
    escaped = message.replace('"', '\\"')
    return (f'E0304 10:11:12.123456    2211 pod_workers.go:1301] "Error syncing pod, skipping" '
            f'err="{escaped}" pod="team-gpu/train-0" podUID="0d1c6f7e"\n')


def forms(row) -> dict[str, str]:
    message = fill(row.wording)
    if row.form == "scheduler":
        said = _failed_scheduling(message)
        return {"event-table": event_table(said, row.reason, "pod"),
                "describe": describe_events(_DESCRIBE_POD, said, row.reason,
                                            "default-scheduler"),
                "yaml": _pod_yaml(said), "prose": prose(said)}
    if row.form in ("controller", "kubelet"):
        source = "resource_claim" if row.form == "controller" else "kubelet"
        out = {"event-table": event_table(message, row.reason, "pod"),
               "describe": describe_events(_DESCRIBE_POD, message, row.reason, source),
               "prose": prose(message)}
        if row.form == "kubelet":
            out["klog"] = _klog(message)
        return out
    if row.form == "apiserver":
        said = f'Error from server (BadRequest): error when creating "gpu.yaml": {message}'
        return {"kubectl": said + "\n", "prose": prose(said)}
    return {"klog": _klog(message), "prose": prose(message)}


def forms_with_message(row) -> dict[str, str]:
    """Every form, and the message copied alone (no reason, no object), as users quote it."""
    out = forms(row)
    if row.form != "apiserver":
        message = fill(row.wording)
        out["message"] = (_failed_scheduling(message) if row.form == "scheduler"
                          else message) + "\n"
    return out


CASES = [(row, name) for row in FAULTS for name in forms_with_message(row)]


def test_catalogue_rows_are_complete():
    assert len(CATALOGUE) > 50
    for row in CATALOGUE:
        assert row.wording and row.versions and row.source, row
        assert row.form in ("scheduler", "controller", "kubelet", "apiserver", "log"), row
        if row.cause in (NOT_A_FAULT, UNKNOWN):
            assert len(row.note) > 10, f"{row.id}: say why it is {row.cause}"
        else:
            assert row.cause in CAUSE_IDS, f"{row.id}: {row.cause} is no cause id"


@pytest.mark.parametrize("row,form", CASES, ids=[f"{r.id}[{f}]" for r, f in CASES])
def test_every_fault_wording_in_every_form(row, form, explain, tmp_path):
    assert_read_as(explain, forms_with_message(row)[form], row.cause, form, tmp_path)


ROUTINE = [r for r in CATALOGUE if r.cause == NOT_A_FAULT]
ROUTINE_CASES = [(row, name) for row in ROUTINE for name in forms_with_message(row)]


@pytest.fixture(scope="module")
def check():
    return load_main(SKILL / "scripts" / "check_dra.py")


@pytest.mark.parametrize("row,form", ROUTINE_CASES, ids=[f"{r.id}[{f}]" for r, f in ROUTINE_CASES])
def test_routine_component_lines_are_read_not_refused(row, form, explain, check, tmp_path):
    """A paste holding only a DRA component's routine lines (the compute-domain daemon's,
    a kubelet plugin's: each row's source) is read: one info finding that says what cannot be
    told and what to run, exit 0; never exit 2, never a cause."""
    path = tmp_path / "paste.txt"
    path.write_text(forms_with_message(row)[form])
    for main in (explain, check):
        code, doc, err = run_main(main, path)
        assert code == 0, (form, err, doc and doc["findings"])
        first = doc["findings"][0]
        assert (first["severity"], first["cause"]) == ("info", "not_evaluated"), (form, first)
        assert "kubectl" in first["fix"]
