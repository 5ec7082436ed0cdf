"""Held-out round 20 (Kueue): a report that Kueue put the ResourceFlavor's labels into the pods'
nodeSelector and the pods stayed Pending.

Ground truth: Kueue v0.19.2 pkg/controller/jobframework/reconciler.go startJob ->
pkg/podset/podset.go FromAssignment (copies each assigned flavor's spec.nodeLabels into the pod
template's nodeSelector, only when an admitted Workload is started), Kueue's resource_flavor
concept page ("Once the workload is admitted, Kueue adds the ResourceFlavor labels to the
.nodeSelector", kueue#548), and the public threads cited; never this script's output.
"""
from __future__ import annotations

import textwrap


def _run(script, tmp_path, text: str) -> dict:
    path = tmp_path / "paste.txt"
    path.write_text(textwrap.dedent(text).strip() + "\n")
    result = script("explain_pending.py", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc


# https://github.com/kubernetes-sigs/kueue/issues/425 (v0.2.1): the reporter's own words
_THREAD = """\
    **What happened**:
    Kueue was deployed via ArgoCD. Jobs that were ready to run produced Pods that stayed
    "Pending" because k8s could not find any nodes to satisfy the nodeSelector restriction. The
    nodeSelectors were put there by Kueue and taken from the ResourceFlavor labels.
    """


def test_selector_from_the_flavor_and_pods_pending_is_admitted_not_started(script, tmp_path):
    top = _run(script, tmp_path, _THREAD)["findings"][0]
    assert (top["cause"], top["basis"], top["severity"]) == (
        "admitted_not_started", "inferred", "warning"), top
    assert "nodeSelector" in top["message"] and "flavor" in top["message"]
    assert "nodeLabels" in top["fix"] and "kubectl get nodes -l" in top["confirm"]
    assert any("put there by Kueue" in e for e in top["evidence"])


def test_the_docs_wording_with_a_failed_scheduling_reads_the_same(script, tmp_path):
    # Kueue's concept page says it; the scheduler's FailedScheduling names the selector
    top = _run(script, tmp_path, """\
        After the Workload got its flavor, Kueue adds the ResourceFlavor labels to the
        .nodeSelector of the Job's pod template. The Job's pods are stuck Pending:
        0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector.
        """)["findings"][0]
    assert (top["cause"], top["basis"]) == ("admitted_not_started", "inferred"), top
    assert "nodeLabels" in top["fix"]


def test_selector_not_added_by_kueue_is_not_an_admission(script, tmp_path):
    # https://github.com/kubernetes-sigs/kueue/issues/931: the opposite report, the flavor's
    # nodeLabels NOT propagated to the pods (a job run outside Kueue's management)
    doc = _run(script, tmp_path, """\
        After configuring a ResourceFlavor with a nodeLabel, the flavor's nodeLabels are not
        added to the nodeSelector of each Pod, and the pods stay Pending.
        """)
    assert "admitted_not_started" not in {f["cause"] for f in doc["findings"]}, doc


def test_selector_from_the_flavor_with_a_suspended_job_keeps_the_general_lead(script, tmp_path):
    # admitted (Kueue copied the flavor's labels) but no pod is said Pending: nothing says the
    # labels match no node, so the nodeLabels reading is not offered
    top = _run(script, tmp_path, """\
        Kueue added the flavor's labels to the nodeSelector of the JobSet, but the JobSet
        remains Suspended.
        """)["findings"][0]
    assert top["cause"] == "admitted_not_started", top
    assert "kubectl get nodes -l" not in top["confirm"]
