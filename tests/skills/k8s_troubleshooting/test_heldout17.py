"""Held-out round 17 (pods, nodes, training): a PostFilter plugin's note after the filter
reasons, and a training job known only from the events its controller logged. Ground
truth: the upstream sources cited and the threads named in each test."""
from __future__ import annotations

from .conftest import run_script


def _findings(text: str, script: str = "triage.py") -> list[dict]:
    res = run_script(script, "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


def test_a_postfilter_note_is_no_filter_reason():
    # vitobotta/hetzner-k3s#769 (k3s 1.35): the DRA plugin's PostFilter status "no new claims
    # to deallocate" comes after the filter reasons, before "preemption:" (FitError: "0/X nodes
    # are available: <PreFilterMsg>. <FilterMsg>. <PostFilterMsg>", kubernetes v1.37.2
    # pkg/scheduler/framework/types.go); it is about no node, so it is no reason of its own
    top = _findings("0/6 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't "
                    "match Pod's node affinity/selector, 3 node(s) had untolerated taint(s). no "
                    "new claims to deallocate, preemption: 0/6 nodes are available: 6 Preemption "
                    "is not helpful for scheduling.\n")[0]
    assert top["cause"] != "unschedulable_other", top
    assert "claims to deallocate" not in top["message"], top


def test_a_prefilter_reason_before_the_counts_still_decides():
    top = _findings("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
                    "preemption: 0/3 nodes are available: 3 Preemption is not helpful for "
                    "scheduling.\n")[0]
    assert top["cause"] == "pvc_pending", top


TRAINING_OPERATOR_LOG = """\
INFO[0289] Pod: default.kfto-01-master-0 exited with code 1  job=default.kfto-01 replica-type=master
2024-04-05T11:12:25-04:00\tDEBUG\tevents\tPod: default.kfto-01-master-0 exited with code 1\t{"type": "Normal", "object": {"kind":"PyTorchJob","namespace":"default","name":"kfto-01","uid":"4acaf99e","apiVersion":"kubeflow.org/v1","resourceVersion":"1800574"}, "reason": "ExitedWithCode"}
2024-04-05T11:12:25-04:00\tDEBUG\tevents\tPyTorchJob kfto-01 is restarting because 1 Master replica(s) failed.\t{"type": "Warning", "object": {"kind":"PyTorchJob","namespace":"default","name":"kfto-01","uid":"4acaf99e","apiVersion":"kubeflow.org/v1","resourceVersion":"1800574"}, "reason": "PyTorchJobRestarting"}
"""


def test_a_job_known_from_its_controllers_logged_events():
    # kubeflow/trainer#2044: only the training-operator's log; its recorder logs each event
    # (controller-runtime pkg/internal/recorder), reason = kind + condition reason
    # (training-operator pkg/common/util NewReason), message = the condition's
    found = _findings(TRAINING_OPERATOR_LOG, "check_training.py")
    assert found[0]["cause"] == "training_restarting", found
    assert found[0]["object"] == {"kind": "PyTorchJob", "namespace": "default",
                                  "name": "kfto-01"}, found
    assert "controller log" in found[0]["evidence"][0], found


def test_a_failed_event_is_the_failed_state():
    log = TRAINING_OPERATOR_LOG.replace("is restarting because", "is failed because").replace(
        "PyTorchJobRestarting", "PyTorchJobFailed")
    assert _findings(log, "check_training.py")[0]["cause"] in (
        "training_failed", "training_failure_policy"), log


def test_a_job_only_named_by_a_log_says_what_is_missing():
    log = TRAINING_OPERATOR_LOG.splitlines()[1] + "\n"   # ExitedWithCode alone: no state
    found = _findings(log, "check_training.py")
    assert [(f["cause"], f["severity"]) for f in found] == [("not_evaluated", "info")], found


# --- held-out round 18 ---------------------------------------------------------------------

def test_an_xid_the_device_plugin_or_a_report_names():
    # k8s-device-plugin internal/rm/health.go's line, and a report's words
    # (NVIDIA/gpu-operator#1065: "XID 94 error is coming out in one of GPU card"); 94 is a
    # contained ECC error: the application, not the GPU (NVIDIA Xid catalog)
    for text in ("I1025 02:19:08.048144       1 health.go:170] XidCriticalError: Xid=94 on "
                 "Device=GPU-5a3b; marking device as unhealthy.\n",
                 "`nvidia-device-plugin-daemonset` reports that there is XID 94 error is coming "
                 "out in one of GPU card\n"):
        top = _findings(text, "explain_gpu_failure.py")[0]
        assert top["cause"] == "gpu_xid_application", (text, top)
    top = _findings("XidCriticalError: Xid=79 on Device=GPU-1; marking device as unhealthy.\n",
                    "explain_gpu_failure.py")[0]
    assert top["cause"] == "gpu_xid_hardware", top


MPIJOB = """apiVersion: kubeflow.org/v2beta1
kind: MPIJob
metadata:
  creationTimestamp: "2023-11-15T02:01:44Z"
  name: ai62
  namespace: cpod
  uid: e5703c73
spec:
  mpiReplicaSpecs:
    Worker:
      replicas: 1
      template:
        spec:
          containers:
          - image: "111"
            name: worker
            volumeMounts:
            - mountPath: /data
              name: ckpt-pv
            - mountPath: /data
              name: saved-model
"""


def test_a_pod_template_the_apiserver_refuses():
    # kubeflow/mpi-operator#604: the same mountPath twice; the apiserver refuses every worker
    # Pod (kubernetes v1.37.2 ValidateVolumeMounts "must be unique") and the MPIJob never gets
    # a status
    top = _findings(MPIJOB, "check_training.py")[0]
    assert (top["cause"], top["basis"]) == ("training_invalid", "inferred"), top
    assert 'mountPath: Invalid value: "/data": must be unique' in top["evidence"][0], top
    fine = _findings(MPIJOB.replace("mountPath: /data\n              name: saved-model",
                                    "mountPath: /model\n              name: saved-model"),
                     "check_training.py")[0]
    assert fine["cause"] == "training_not_reconciled", fine
    assert "MPI Operator" in fine["message"], fine


def test_a_webhook_the_apiserver_cannot_call_refuses_the_pods():
    # gopaddle-io/configurator#74: the webhook's pod gone after a node restart; the apiserver's
    # wording: k8s.io/apiserver v0.37.2 pkg/util/webhook/error.go `failed calling webhook %q: %v`
    top = _findings('Events:\n  Type     Reason        Age                  From            '
                    'Message\n  ----     ------        ----                 ----            '
                    '-------\n  Warning  FailedCreate  75s (x5 over 3m45s)  job-controller  '
                    'Error creating: Internal error occurred: failed calling webhook '
                    '"pods.example.io": Post "https://hook.example.svc:443/pods?timeout=10s": no '
                    'endpoints available for service "hook"\n')[0]
    assert (top["cause"], top["basis"]) == ("admission_webhook_denied", "reported"), top
    assert "cannot call admission webhook pods.example.io" in top["message"], top
    assert "endpoints" in top["fix"], top


def test_the_kubelets_old_admission_reasons():
    # openshift/origin#8154 (Kubernetes 1.2): the kubelet refused DaemonSet pods whose node
    # selector the node did not match; status reason NodeSelectorMismatching
    top = _findings("$ oc get pod\nNAME                    READY     STATUS                    "
                    "RESTARTS   AGE\nhello-daemonset-21u6y   0/1       NodeSelectorMismatching   "
                    "0          9m\n")[0]
    assert top["cause"] == "kubelet_admission_rejected", top
