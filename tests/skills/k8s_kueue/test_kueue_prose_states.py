"""Plain wordings of two Workload states in a report: "admitted but the pods are pending" and
"stuck with QuotaReserved but never Admitted because the admission check is Pending". Ground
truth: Kueue v0.19.2 apis/kueue/v1beta2 workload_types.go (QuotaReserved, Admitted: a Workload
is Admitted only when every admission check is Ready; kueue#9622) and jobframework's startJob
(an admitted Workload's pods are created, then scheduled by kube-scheduler; kueue#11931)."""
from __future__ import annotations

import pytest

PENDING, EVICTION = "explain_pending.py", "explain_eviction.py"

# Kueue v0.19.2's own readings of these states, as above; the queue-side ones are the causes
# Kueue reports for them: "insufficient quota for R in flavor F, ... > maximum capacity"
# (flavorassigner.go, exceeds_max_quota), "resource R unavailable in ClusterQueue"
# (flavorassigner.go), "Workload namespace doesn't match ClusterQueue selector"
# (workload_controller.go), spec.active false / requeuingStrategy.backoffLimitCount
# (workload_types.go, Evicted reason Deactivated) and "topology T doesn't allow to fit any of
# N pod(s)" (tas_flavor_snapshot.go).
#
# explain_eviction.py on a report in words with no Workload: the eviction states Kueue writes
# as Evicted reasons (apis/kueue/v1beta1 workload_types.go: PodsReadyTimeout,
# ClusterQueueStopped via stopPolicy HoldAndDrain, Deactivated) are read like the preemption.
@pytest.mark.parametrize("reader, text, cause", [
    (PENDING,
     "The job is admitted but the pods are pending because no node matches the flavor's "
     "nodeLabels.", "admitted_not_started"),
    (PENDING,
     "Workloads are stuck with QuotaReserved but never Admitted because the admission check "
     "is Pending.", "admission_check_pending"),
    (PENDING,
     "My PyTorchJob requests 16 GPUs but the ClusterQueue only has a nominalQuota of 8 for "
     "nvidia.com/gpu, and the workload stays pending forever.", "exceeds_max_quota"),
    (PENDING,
     "Our RayJob asks for more than the ClusterQueue's nominal quota so it never gets "
     "admitted.", "exceeds_max_quota"),
    (PENDING,
     "The job is never admitted. It requests ephemeral-storage, which is not defined in the "
     "ClusterQueue's resourceGroups.", "resource_not_in_queue"),
    (PENDING,
     "Workloads created in namespace team-a stay pending; the ClusterQueue namespaceSelector "
     "does not match the namespace labels.", "namespace_not_selected"),
    (PENDING,
     "After the job was requeued several times the workload got deactivated (spec.active is "
     "false) and it's not retried anymore.", "workload_deactivated"),
    (PENDING,
     "kueue job pending: the workload requests podset-required-topology "
     "cloud.google.com/gce-topology-block but the pods don't fit in a single block",
     "topology_unfit"),
    (EVICTION,
     "The RayJob keeps getting evicted and requeued by Kueue after the PodsReady timeout of 5 "
     "minutes because the image pull takes too long.", "pods_ready_timeout"),
    (EVICTION,
     "The workload was evicted because the ClusterQueue was stopped with stopPolicy "
     "HoldAndDrain.", "queue_inactive"),
    (EVICTION,
     "Our low-priority training workload was preempted by a higher priority workload in the "
     "same ClusterQueue.", "preempted"),
])
def test_a_state_said_plainly_is_read(script, tmp_path, reader, text, cause):
    path = tmp_path / "paste.txt"
    path.write_text(text + "\n")
    result = script(reader, "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    top = result.doc["findings"][0]
    assert (top["cause"], top["basis"]) == (cause, "inferred"), top
    assert top["confirm"].startswith("kubectl "), top


@pytest.mark.parametrize("text", [
    # smaller than the quota, or over the nominal quota with a cohort to borrow from: nothing
    # says the request can never fit
    "The jobs requested 4 GPUs each and the cluster queue quota is 16, yet only 2 ran.",
    "The job requests more than the ClusterQueue's nominal quota and should borrow from the "
    "cohort, but it stays pending.",
    "The workload does not exceed the ClusterQueue quota but stays pending.",
    # a workload said NOT to be deactivated
    "The workload is not deactivated and the queue is active, yet it stays pending.",
])
def test_a_queue_state_not_said_is_not_read(script, tmp_path, text):
    path = tmp_path / "paste.txt"
    path.write_text(text + "\n")
    result = script("explain_pending.py", "-f", str(path), "--json")
    causes = [f["cause"] for f in result.doc["findings"]]
    assert not {"exceeds_max_quota", "workload_deactivated"} & set(causes), causes


def test_a_job_named_with_its_qualifiers_is_still_said_admitted(script, tmp_path):
    # kueue#1568: the submitter Job KubeRay creates stays suspended after the RayJob's admission
    path = tmp_path / "paste.txt"
    path.write_text("When a RayJob managed by Kueue configured with `manageJobsWithoutQueueName` "
                    "is admitted, it remains in pending state.\n\nThe Job that KubeRay creates to "
                    "submit the actual job to the Ray cluster stays in suspended state.\n")
    result = script("explain_pending.py", "-f", str(path), "--json")
    assert result.doc["findings"][0]["cause"] == "admitted_not_started", result.doc


# kueue-controller-manager not serving its fail-closed webhooks (config/components/webhook/
# manifests.yaml, failurePolicy Fail): the apiserver's `failed calling webhook ... kueue-webhook-
# service ... no endpoints available` (kueue#3794: applied before Kueue was ready), or the
# controller said to crash-loop (marin-community/marin#7396: a panic in an alpha feature).
@pytest.mark.parametrize("text, basis", [
    ('Error from server (InternalError): error when creating "mykueue.yaml": Internal error '
     'occurred: failed calling webhook "mresourceflavor.kb.io": failed to call webhook: Post '
     '"https://kueue-webhook-service.mynamespace.svc:443/mutate-kueue-x-k8s-io-v1beta1-'
     'resourceflavor?timeout=10s": no endpoints available for service "kueue-webhook-service"',
     "reported"),
    ("The Kueue controller is in `CrashLoopBackOff` (78 restarts) and new pods remain "
     "SchedulingGated.", "inferred"),
    ("kueue-controller-manager is not running since the upgrade, so nothing gets admitted.",
     "inferred"),
])
def test_kueue_not_serving(script, tmp_path, text, basis):
    path = tmp_path / "paste.txt"
    path.write_text(text + "\n")
    result = script(PENDING, "-f", str(path), "--json")
    top = result.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("kueue_controller_down", basis), top


def test_kueue_said_running_is_not_down(script, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text("The kueue controller is running fine and did not crash, but the job "
                    "stays pending.\n")
    result = script(PENDING, "-f", str(path), "--json")
    assert "kueue_controller_down" not in [f["cause"] for f in result.doc["findings"]]
