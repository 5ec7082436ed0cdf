"""Held-out round 70 (Kueue): a MultiKueueCluster Kueue reports not connected is the cause.

Ground truth (kubernetes-sigs/kueue, pkg/controller/admissionchecks/multikueue/):
- multikueuecluster.go writes the MultiKueueCluster's Active condition: False with reason
  BadConfig (the kubeconfig could not be loaded) or ClientConnectionFailed (the connection
  error as message), :398-403@v0.6.3; False with BadKubeConfig / InsecureKubeConfig /
  BadClusterProfile / ... and message `load client config failed: <err>`, or
  ClientConnectionFailed, :900-914@v0.19.2; True `Active` `Connected`, :923@v0.19.2.
- `kubectl get multikueueclusters` prints that condition's status as CONNECTED (printcolumn
  `.status.conditions[?(@.type=='Active')].status`, apis/kueue/v1beta1/multikueue_types.go:82
  @v0.11.0, apis/kueue/v1beta2/multikueue_types.go:121@v0.19.2).
- admissioncheck.go:62-104@v0.19.2: the MultiKueue AdmissionCheck stays Active=True with reason
  SomeActiveClusters while only some of its clusters are missing or inactive, and turns False
  NoUsableClusters (`Inactive clusters: [..]`) when none is usable.
- Public reports: kubernetes-sigs/kueue#8227 (CONNECTED False, resolved by fixing the worker's
  connection: the cause is the disconnection); rrbanda/GPUaaS-RHACM docs/99-troubleshooting.md
  @245ecc05 "Issue 1: MultiKueueCluster Shows CONNECTED=False" (the table rows commented out);
  kubernetes-sigs/kueue#3582 (ClusterQueue AdmissionCheckInactive because its only worker
  cannot connect: the queue's finding carries the worker).
"""
from __future__ import annotations

import json
from typing import Any, Callable

Script = Callable[..., Any]

CAUSE = "multikueue_cluster_disconnected"

# rrbanda/GPUaaS-RHACM docs/99-troubleshooting.md@245ecc05, the Symptom block as written
HELD_OUT = """oc get multikueuecluster
# NAME             CONNECTED
# spoke-cluster1   False
"""

TABLE = """$ oc get multikueuecluster
NAME             CONNECTED   AGE
gpu-east         False       2d
"""

# v0.15+ wording (multikueuecluster.go:900 + :947@v0.19.2), as `kubectl describe` prints it
DESCRIBE = """$ kubectl describe multikueuecluster worker-a
Name:         worker-a
Namespace:
Labels:       <none>
Annotations:  <none>
API Version:  kueue.x-k8s.io/v1beta2
Kind:         MultiKueueCluster
Spec:
  Cluster Source:
    Kube Config:
      Location:       worker-a-secret
      Location Type:  Secret
Status:
  Conditions:
    Last Transition Time:  2025-03-01T10:00:00Z
    Message:               load client config failed: secrets "worker-a-secret" not found
    Observed Generation:   1
    Reason:                BadKubeConfig
    Status:                False
    Type:                  Active
Events:                    <none>
"""


def _cond(ctype: str, status: str, reason: str, message: str) -> dict[str, Any]:
    return {"type": ctype, "status": status, "reason": reason, "message": message}


def _cluster(name: str, status: str, reason: str, message: str) -> dict[str, Any]:
    return {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "MultiKueueCluster",
            "metadata": {"name": name},
            "status": {"conditions": [_cond("Active", status, reason, message)]}}


def _check(status: str, reason: str, message: str) -> dict[str, Any]:
    return {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "AdmissionCheck",
            "metadata": {"name": "mk"},
            "spec": {"controllerName": "kueue.x-k8s.io/multikueue",
                     "parameters": {"apiGroup": "kueue.x-k8s.io", "kind": "MultiKueueConfig",
                                    "name": "cfg"}},
            "status": {"conditions": [_cond("Active", status, reason, message)]}}


def _workload() -> dict[str, Any]:
    """Quota reserved on the manager, the MultiKueue check still Pending, no worker yet."""
    return {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "Workload",
            "metadata": {"name": "job-train-9c1d2", "namespace": "team"},
            "spec": {"queueName": "lq", "podSets": [{"name": "main", "count": 1, "template": {
                "spec": {"containers": [{"name": "c"}]}}}]},
            "status": {"conditions": [_cond("QuotaReserved", "True", "QuotaReserved",
                                            "Quota reserved in ClusterQueue cq")],
                       "admission": {"clusterQueue": "cq"},
                       "admissionChecks": [{"name": "mk", "state": "Pending",
                                            "message": ""}]}}


def _findings(script: Script, text: str) -> list[dict[str, Any]]:
    result = script("explain_pending.py", "-f", "-", "--json", stdin=text)
    assert result.code in (0, 1), result
    findings: list[dict[str, Any]] = result.doc["findings"]
    return findings


def _dump(*items: dict[str, Any]) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": list(items)})


def test_held_out_commented_table(script: Script) -> None:
    found = _findings(script, HELD_OUT)
    assert found[0]["cause"] == CAUSE and found[0]["object"]["name"] == "spoke-cluster1"
    assert found[0]["basis"] == "reported"


def test_table_row_connected_false(script: Script) -> None:
    found = _findings(script, TABLE)
    assert (found[0]["cause"], found[0]["severity"]) == (CAUSE, "error")
    assert "kubeconfig" in found[0]["fix"]


def test_describe_active_false_reason_is_explained(script: Script) -> None:
    found = _findings(script, DESCRIBE)
    assert found[0]["cause"] == CAUSE
    text = " ".join([found[0]["message"], *found[0]["evidence"]])
    assert "Active=False (BadKubeConfig)" in text and "kubeconfig Secret" in text


def test_old_reason_with_a_pending_workload_ranks_the_worker_first(script: Script) -> None:
    # v0.6-v0.14: BadConfig for a kubeconfig that cannot be loaded (multikueuecluster.go:398
    # @v0.6.3); the check says NoUsableClusters (admissioncheck.go:94-104@v0.19.2)
    worker = _cluster("w1", "False", "BadConfig", 'secrets "w1-kubeconfig" not found')
    check = _check("False", "NoUsableClusters", "Inactive clusters: [w1]")
    found = _findings(script, _dump(_workload(), check, worker))
    assert [f["cause"] for f in found[:2]] == [CAUSE, "admission_check_pending"]
    assert found[0]["object"]["name"] == "w1"


def test_connected_true_is_no_finding(script: Script) -> None:
    # near miss: the same table with the worker connected
    text = TABLE.replace("False  ", "True   ")
    assert "True" in text
    found = _findings(script, text)
    assert all(f["cause"] != CAUSE for f in found)
    assert all(f["severity"] == "info" for f in found)


def test_another_worker_usable_leaves_the_pending_check_first(script: Script) -> None:
    # near miss: the check stays Active (SomeActiveClusters) and another worker is connected
    # (multikueuecluster.go:923@v0.19.2): the lost worker is a lead, not the blocker
    lost = _cluster("w1", "False", "ClientConnectionFailed",
                    'Get "https://10.0.0.9:6443/api": dial tcp 10.0.0.9:6443: i/o timeout')
    alive = _cluster("w2", "True", "Active", "Connected")
    check = _check("True", "SomeActiveClusters", "Inactive clusters: [w1]")
    found = _findings(script, _dump(_workload(), check, lost, alive))
    assert found[0]["cause"] == "admission_check_pending"
    worker = next(f for f in found if f["cause"] == CAUSE)
    assert worker["severity"] == "warning" and worker["object"]["name"] == "w1"


def test_inactive_queue_carries_the_worker(script: Script) -> None:
    # kubernetes-sigs/kueue#3582 (v0.9.0): ClusterQueue AdmissionCheckInactive <- check
    # NoUsableClusters <- the worker's ClientConnectionFailed; one finding with the chain
    cq = {"apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ClusterQueue",
          "metadata": {"name": "cq"}, "spec": {"namespaceSelector": {}, "admissionChecks": ["mk"]},
          "status": {"conditions": [_cond(
              "Active", "False", "AdmissionCheckInactive",
              "Can't admit new workloads: references inactive AdmissionCheck(s): [mk].")]}}
    check = _check("False", "NoUsableClusters", "Inactive clusters: [w1]")
    worker = _cluster("w1", "False", "ClientConnectionFailed", "connection refused")
    found = _findings(script, _dump(cq, check, worker))
    assert found[0]["cause"] == "queue_inactive"
    assert "MultiKueueCluster w1: Active=False (ClientConnectionFailed)" in \
        " ".join(found[0]["evidence"])
    assert all(f["cause"] != CAUSE for f in found)


# multikueuecluster.go setRemoteClientConfig logs this before it writes Active=False
# ClientConnectionFailed with the same error (:360@v0.6.3, :406@v0.15.1, :854@v0.19.2); the
# reconciler logger names the object as "MultiKueueCluster":{"name":...} (controller-runtime
# pkg/builder/controller.go:449@v0.24.1). kueue#8227 pasted the JSON form.
JSON_LOG = """{"level":"error","ts":"2025-12-15T14:23:34.804143967Z",
 "caller":"multikueue/multikueuecluster.go:406","msg":"failed to set kubeConfig in the remote client",
 "controller":"multikueuecluster","controllerGroup":"kueue.x-k8s.io",
 "controllerKind":"MultiKueueCluster","MultiKueueCluster":{"name":"west-4"},"namespace":"",
 "name":"west-4","error":"failed to get server groups: unknown"}
"""

CONSOLE_LOG = ("2024-05-02T09:10:11Z\tERROR\tfailed to set kubeConfig in the remote client\t"
               '{"controller": "multikueuecluster", "MultiKueueCluster": {"name": "worker-b"}, '
               '"error": "Get \\"https://10.1.2.3:6443/api\\": dial tcp 10.1.2.3:6443: '
               'connect: no route to host"}\n')


def test_the_connection_failure_log_json(script: Script) -> None:
    found = _findings(script, JSON_LOG)
    assert (found[0]["cause"], found[0]["object"]["kind"], found[0]["object"]["name"]) == \
        (CAUSE, "MultiKueueCluster", "west-4")
    assert "error: failed to get server groups: unknown" in found[0]["evidence"]


def test_the_connection_failure_log_console(script: Script) -> None:
    found = _findings(script, CONSOLE_LOG)
    assert found[0]["cause"] == CAUSE and found[0]["object"]["name"] == "worker-b"
    assert any("no route to host" in e for e in found[0]["evidence"])


def test_another_controllers_client_config_log_is_silent(script: Script) -> None:
    # near miss: other words about a client config are not Kueue's MultiKueue log
    found = _findings(script, "2024-05-02T09:10:11Z\tERROR\tfailed to set client config\t"
                              '{"controller": "gateway"}\n')
    assert all(f["cause"] != CAUSE for f in found)
