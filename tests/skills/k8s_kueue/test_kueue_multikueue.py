"""MultiKueue on the manager cluster: the check state, the AdmissionCheck and the
MultiKueueClusters, with the wordings of kueue v0.19.2
pkg/controller/admissionchecks/multikueue/ (workload.go l.232-248, 275, 407, 476, 559, 568,
1237; admissioncheck.go l.62-110; multikueuecluster.go l.900-951) and the v0.9-v0.18 ones
("The workload got reservation on %q", "Reserving remote lost")."""
from __future__ import annotations

import json

import pytest


def _previously(message: str, state: str) -> str:
    """updateACS, v0.19.2 workload.go l.275: fmt.Sprintf("%s, Previously: %q", ...)."""
    return f'{message}, Previously: "{state}"'


def _workload(state: str, message: str, cluster_name: str = "",
              nominated: list[str] | None = None) -> dict:
    status: dict = {
        "conditions": [{"type": "QuotaReserved", "status": "True", "reason": "QuotaReserved",
                        "message": "Quota reserved in ClusterQueue cq"}],
        "admission": {"clusterQueue": "cq"},
        "admissionChecks": [{"name": "mk", "state": state, "message": message}]}
    if cluster_name:
        status["clusterName"] = cluster_name
    if nominated:
        status["nominatedClusterNames"] = nominated
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Workload",
            "metadata": {"name": "job-train-1", "namespace": "team"},
            "spec": {"queueName": "lq", "podSets": [{"name": "main", "count": 1, "template": {
                "spec": {"containers": [{"name": "c"}]}}}]},
            "status": status}


def _check(reason: str = "Active", message: str = "The admission check is active",
           status: str = "True") -> dict:
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "AdmissionCheck",
            "metadata": {"name": "mk"},
            "spec": {"controllerName": "kueue.x-k8s.io/multikueue",
                     "parameters": {"apiGroup": "kueue.x-k8s.io", "kind": "MultiKueueConfig",
                                    "name": "cfg"}},
            "status": {"conditions": [{"type": "Active", "status": status, "reason": reason,
                                       "message": message}]}}


def _mk_cluster(name: str, reason: str, message: str, status: str = "False") -> dict:
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "MultiKueueCluster",
            "metadata": {"name": name},
            "status": {"conditions": [{"type": "Active", "status": status, "reason": reason,
                                       "message": message}]}}


def _run(script, *objects: dict) -> dict:
    dump = {"apiVersion": "v1", "kind": "List", "items": list(objects)}
    result = script("explain_pending.py", "-f", "-", "--json", stdin=json.dumps(dump))
    assert result.code == 1
    return result.doc["findings"][0]


def _text(finding: dict) -> str:
    return " ".join([finding["message"], *finding["evidence"]])


def test_no_usable_clusters_names_the_inactive_worker_and_why(script):
    # admissioncheck.go l.99-109: "Missing clusters: %v", "Inactive clusters: %v" of []string
    check = _check("NoUsableClusters", "Missing clusters: [w2], Inactive clusters: [w1]",
                   "False")
    # multikueuecluster.go l.914: reason ClientConnectionFailed, message the dial error
    worker = _mk_cluster("w1", "ClientConnectionFailed",
                         'Get "https://10.0.0.9:6443/api": dial tcp 10.0.0.9:6443: i/o timeout')
    dump = {"apiVersion": "v1", "kind": "List",
            "items": [_workload("Pending", ""), check, worker]}
    result = script("explain_pending.py", "-f", "-", "--json", stdin=json.dumps(dump))
    # the worker Kueue reports not connected is the cause (multikueuecluster.go l.914); the
    # Workload's Pending check is its symptom and comes second
    first, finding = result.doc["findings"][:2]
    assert (first["cause"], first["object"]["name"]) == ("multikueue_cluster_disconnected",
                                                         "w1")
    assert finding["cause"] == "admission_check_pending"
    text = _text(finding)
    assert "(NoUsableClusters)" in text and "no worker can take the Workload" in text
    assert "MultiKueueCluster w2 does not exist" in text
    assert "MultiKueueCluster w1: Active=False (ClientConnectionFailed)" in text
    assert "cannot reach the worker's apiserver" in text


def test_bad_kubeconfig_reason_is_explained(script):
    check = _check("NoUsableClusters", "Inactive clusters: [w1]", "False")
    # multikueuecluster.go l.900 + l.947 (BadKubeConfig) + l.1076
    worker = _mk_cluster("w1", "BadKubeConfig", 'load client config failed: key "kubeconfig" '
                         'not found in secret "w1-secret"')
    text = _text(_run(script, _workload("Pending", ""), check, worker))
    assert "Active=False (BadKubeConfig)" in text and "kubeconfig Secret" in text


@pytest.mark.parametrize("nominated,needle", [
    (["w1", "w2"], "dispatched to w1, w2"),
    (None, "not dispatched to any worker yet"),
])
def test_stuck_on_manager_points_at_the_workers_queue(script, nominated, needle):
    finding = _run(script, _workload("Pending", "", nominated=nominated), _check())
    text = _text(finding)
    assert "no worker has admitted it" in text and needle in text
    assert "namespace team with LocalQueue lq" in text


@pytest.mark.parametrize("message,state,needle", [
    (_previously("Admitting remote lost", "Ready"), "Retry", "workerLostTimeout"),
    ("Reserving remote lost", "Retry", "workerLostTimeout"),                # v0.9-v0.18
    (_previously("Admitting remote no longer exists", "Ready"), "Retry", "copy of the Workload "
     "is gone"),
    (_previously('Remote workload on worker cluster "w1" is out of sync with its user job, '
                 "resetting for re-dispatch", "Ready"), "Retry", "the job on worker w1"),
    ('Workload evicted on worker cluster: "w1", resetting for re-admission. Previously: '
     '"Ready"', "Pending", "worker w1 evicted it"),
])
def test_check_state_messages_are_read(script, message, state, needle):
    wl = _workload(state, message, cluster_name="w1")
    assert needle in _text(_run(script, wl, _check()))


def test_rejected_unmanaged_owner(script):
    # workload.go l.248 (Rejected); Kueue then deactivates the Workload
    message = _previously('The owner is not managed by Kueue: Expecting .spec.managedBy to be '
                          '"kueue.x-k8s.io/multikueue" not ""', "Pending")
    finding = _run(script, _workload("Rejected", message), _check())
    assert finding["cause"] == "admission_check_rejected"
    assert "spec.managedBy to kueue.x-k8s.io/multikueue" in _text(finding)


def test_other_admission_checks_get_no_multikueue_lines(script):
    check = _check()
    check["spec"]["controllerName"] = "kueue.x-k8s.io/provisioning-request"
    text = _text(_run(script, _workload("Pending", ""), check))
    assert "MultiKueue" not in text and "no worker has admitted it" not in text
