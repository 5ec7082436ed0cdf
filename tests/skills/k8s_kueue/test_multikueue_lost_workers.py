"""A ClusterQueue made inactive by a MultiKueue AdmissionCheck whose workers are lost.

The objects carry what the real Kueue v0.19.2 wrote in tests/live/test_kueue_multikueue_live.py
(a MultiKueueCluster whose kubeconfig points at a closed loopback port, and a second one that
does not exist): the cluster's Active condition (multikueuecluster.go ClientConnectionFailed),
the check's NoUsableClusters message (admissioncheck.go l.92-108), the ClusterQueue's
AdmissionCheckInactive condition and the Workload's "ClusterQueue ... is inactive"."""
from __future__ import annotations

import json

REFUSED = ('failed to get server groups: Get "https://127.0.0.1:34053/api": dial tcp '
           '127.0.0.1:34053: connect: connection refused')


def _cond(ctype, status, reason, message):
    return {"type": ctype, "status": status, "reason": reason, "message": message}


def _objects(check_reason="NoUsableClusters", check_status="False",
             message="Missing clusters: [gone], Inactive clusters: [lost]"):
    cq_active = (_cond("Active", "False", "AdmissionCheckInactive",
                       "Can't admit new workloads: references inactive AdmissionCheck(s): mk.")
                 if check_status == "False" else _cond("Active", "True", "Ready", "Can admit "
                                                       "new workloads"))
    return [
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "Workload",
         "metadata": {"name": "job-train-aed82", "namespace": "team"},
         "spec": {"queueName": "lq", "podSets": [{"name": "main", "count": 1, "template": {
             "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]}}}]},
         "status": {"conditions": [_cond("QuotaReserved", "False", "Inadmissible",
                                         "ClusterQueue cq is inactive")]}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "LocalQueue",
         "metadata": {"name": "lq", "namespace": "team"}, "spec": {"clusterQueue": "cq"}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
         "metadata": {"name": "cq"},
         "spec": {"admissionChecksStrategy": {"admissionChecks": [{"name": "mk"}]},
                  "resourceGroups": [{"coveredResources": ["cpu"], "flavors": [
                      {"name": "rf", "resources": [{"name": "cpu", "nominalQuota": "10"}]}]}]},
         "status": {"conditions": [cq_active]}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "AdmissionCheck",
         "metadata": {"name": "mk"},
         "spec": {"controllerName": "kueue.x-k8s.io/multikueue",
                  "parameters": {"apiGroup": "kueue.x-k8s.io", "kind": "MultiKueueConfig",
                                 "name": "cfg"}},
         "status": {"conditions": [_cond("Active", check_status, check_reason, message)]}},
        {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "MultiKueueCluster",
         "metadata": {"name": "lost"},
         "status": {"conditions": [_cond("Active", "False", "ClientConnectionFailed",
                                         REFUSED)]}}]


def _finding(script, objects):
    dump = {"apiVersion": "v1", "kind": "List", "items": objects}
    result = script("explain_pending.py", "-f", "-", "--json", stdin=json.dumps(dump))
    assert result.code == 1
    return result.doc["findings"][0]


def test_inactive_queue_names_each_unusable_worker(script):
    finding = _finding(script, _objects())
    text = " ".join([finding["message"], *finding["evidence"]])
    assert finding["cause"] == "queue_inactive"
    assert "AdmissionCheck mk: Active=False (NoUsableClusters)" in text
    assert "MultiKueueCluster gone does not exist" in text
    assert "MultiKueueCluster lost: Active=False (ClientConnectionFailed)" in text
    assert "connection refused" in text and "cannot reach the worker's apiserver" in text


def test_an_active_check_adds_no_worker_lines(script):
    objects = _objects(check_reason="Active", check_status="True",
                       message="The admission check is active")
    objects[0]["status"]["conditions"][0]["message"] = "ClusterQueue cq is inactive"
    finding = _finding(script, objects)
    assert "MultiKueueCluster" not in " ".join(finding["evidence"])


def test_ready_without_cluster_name_v019(script):
    # workload.go l.566 (v0.19.2), written by updateACS with its ", Previously: %q" suffix
    message = ('Admission check is Ready but no admitting cluster is recorded; this is '
               'unexpected, please report it, Previously: "Ready"')
    wl = _objects()[0]
    wl["status"] = {"conditions": [_cond("QuotaReserved", "True", "QuotaReserved",
                                         "Quota reserved in ClusterQueue cq")],
                    "admission": {"clusterQueue": "cq"},
                    "admissionChecks": [{"name": "mk", "state": "Retry", "message": message}]}
    objects = _objects(check_reason="Active", check_status="True",
                       message="The admission check is active")
    finding = _finding(script, [wl, *objects[1:]])
    assert finding["cause"].startswith("admission_check"), finding
    assert "names no worker in status.clusterName" in " ".join(finding["evidence"])


def test_worker_without_an_enabled_integrations_crd(script):
    # kubernetes-sigs/kueue#3582 (v0.9.0): the cluster's message as the reporter pasted it
    objects = _objects(message="Inactive clusters: [lost]")
    objects[-1]["status"]["conditions"][0]["message"] = \
        'no matches for kind "JobSet" in version "jobset.x-k8s.io/v1alpha2"'
    text = " ".join(_finding(script, objects)["evidence"])
    assert "the worker has no JobSet CRD (jobset.x-k8s.io/v1alpha2)" in text
    assert "integrations.frameworks" in text
