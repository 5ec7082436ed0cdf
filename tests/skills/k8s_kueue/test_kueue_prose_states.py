"""Plain wordings of two Workload states in a report: "admitted but the pods are pending" and
"stuck with QuotaReserved but never Admitted because the admission check is Pending". Ground
truth: Kueue v0.19.2 apis/kueue/v1beta2 workload_types.go (QuotaReserved, Admitted: a Workload
is Admitted only when every admission check is Ready; kueue#9622) and jobframework's startJob
(an admitted Workload's pods are created, then scheduled by kube-scheduler; kueue#11931)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, cause", [
    ("The job is admitted but the pods are pending because no node matches the flavor's "
     "nodeLabels.", "admitted_not_started"),
    ("Workloads are stuck with QuotaReserved but never Admitted because the admission check "
     "is Pending.", "admission_check_pending"),
])
def test_a_state_said_plainly_is_read(script, tmp_path, text, cause):
    path = tmp_path / "paste.txt"
    path.write_text(text + "\n")
    result = script("explain_pending.py", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    top = result.doc["findings"][0]
    assert (top["cause"], top["basis"]) == (cause, "inferred"), top
