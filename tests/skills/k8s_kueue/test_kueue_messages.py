"""Every wording of Kueue's messages, v0.3-v0.19, parsed to its cause.

Each message below is Kueue's format string (file and tag in the comment) filled with sample
values, or a message pasted in a public issue (URL in the comment). The expected cause is
what the message means per Kueue's source, not what our parser prints.
"""
from __future__ import annotations

import sys

import pytest

from tests.skill_scripts import ROOT

sys.path.insert(0, str(ROOT / "skills" / "_shared"))
sys.path.insert(0, str(ROOT / "skills" / "k8s-kueue" / "scripts"))

from _kueue.messages import clauses, first_cause

FA = "couldn't assign flavors to pod set main: "  # flavorassigner.go v0.3-v0.19

WORDINGS = [
    # flavorassigner.go fitsResourceQuota, v0.3.2-v0.19.2
    (FA + "insufficient unused quota for cpu in flavor default-flavor, 3 more needed",
     "quota_exhausted", {"resource": "cpu", "flavor": "default-flavor", "lack": "3"}),
    # flavorassigner.go v0.3.2-v0.7.1 (cohort member)
    (FA + "insufficient unused quota in cohort for memory in flavor two, 5Mi more needed",
     "quota_exhausted", {"resource": "memory", "flavor": "two", "lack": "5Mi"}),
    # flavorassigner.go v0.3.2-v0.7.1, no cohort and request > nominal
    (FA + "insufficient quota for cpu in flavor one in ClusterQueue",
     "exceeds_max_quota", {"resource": "cpu", "flavor": "one"}),
    # flavorassigner.go v0.3.2-v0.7.1: used + request > nominal + borrowingLimit
    (FA + "borrowing limit for nvidia.com/gpu in flavor ml.g5.8xlarge exceeded",
     "quota_exhausted", {"resource": "nvidia.com/gpu", "flavor": "ml.g5.8xlarge"}),
    # flavorassigner.go v0.8.4-v0.12.10
    (FA + "insufficient quota for cpu in flavor default, request > maximum capacity (10 > 8)",
     "exceeds_max_quota", {"resource": "cpu", "flavor": "default", "need": "10", "max": "8"}),
    # flavorassigner.go v0.13.10-v0.19.2 (PR #7232)
    (FA + "insufficient quota for nvidia.com/gpu in flavor gpu-flavor, previously considered "
          "podsets requests (16) + current podset request (8) > maximum capacity (16)",
     "exceeds_max_quota", {"resource": "nvidia.com/gpu", "flavor": "gpu-flavor",
                           "before": "16", "current": "8", "max": "16"}),
    (FA + "resource ephemeral-storage unavailable in ClusterQueue", "resource_not_in_queue",
     {"resource": "ephemeral-storage"}),
    # Go's %s of a corev1.Taint value: {key value Effect TimeAdded}
    (FA + "untolerated taint {instance spot NoSchedule <nil>} in flavor tainted",
     "flavor_mismatch", {"taint": "{instance spot NoSchedule <nil>}", "flavor": "tainted"}),
    (FA + "flavor one doesn't match node affinity", "flavor_mismatch", {"flavor": "one"}),
    (FA + "flavor spot not found", "flavor_mismatch", {"flavor": "spot"}),
    # tas_flavorassigner.go v0.9.5-v0.19.2
    (FA + 'Flavor "default" does not support TopologyAwareScheduling', "flavor_mismatch",
     {"flavor": "default"}),
    # tas_flavor_snapshot.go v0.9.5 and v0.19.2 (pods / slices)
    (FA + 'topology "default" doesn\'t allow to fit any of 8 pod(s)', "topology_unfit",
     {"topology": "default"}),
    (FA + 'topology "default" allows to fit only 3 out of 4 slice(s)', "topology_unfit",
     {"topology": "default"}),
    # tas_flavor_snapshot.go v0.9.5-v0.19.2; issue kubernetes-sigs/kueue#5039
    (FA + "no topology domains at level: oci.oraclecloud.com/rdma.local_block_id",
     "topology_unfit", {"level": "oci.oraclecloud.com/rdma.local_block_id"}),
    # scheduler.go v0.4.2-v0.19.2
    (FA + "insufficient unused quota for cpu in flavor default, 5 more needed. Pending the "
          "preemption of 1 workload(s)", "quota_exhausted", {"resource": "cpu"}),
    ("Workload no longer fits after processing another workload", "quota_exhausted", {}),
    # workload_controller.go v0.3.2-v0.19.2 getQueueBlocker / older Reconcile
    ("LocalQueue user-queue doesn't exist", "local_queue_missing", {"localqueue": "user-queue"}),
    ("ClusterQueue cluster-queue doesn't exist", "cluster_queue_missing",
     {"clusterqueue": "cluster-queue"}),
    ("ClusterQueue cq-b not found", "cluster_queue_missing", {"clusterqueue": "cq-b"}),
    ("ClusterQueue cluster-queue is inactive", "queue_inactive", {"queue": "cluster-queue"}),
    ("LocalQueue team-a is stopped", "queue_inactive", {"queue": "team-a"}),
    ("Workload namespace doesn't match ClusterQueue selector", "namespace_not_selected", {}),
    ("workload namespace doesn't match ClusterQueue selector", "namespace_not_selected", {}),
    # clusterqueue.go inactiveReason v0.9.5-v0.19.2
    ("Can't admit new workloads: references missing ResourceFlavor(s): a100-spot.",
     "queue_inactive", {}),
    # scheduler.go v0.5.3-v0.19.2, workload_controller.go v0.5.3-v0.17.8 / v0.18.6+
    ("The workload has failed admission checks", "admission_check_pending", {}),
    ("At least one admission check is false", "admission_check_pending", {}),
    ('Evicted due to AdmissionCheck in Retry state: "prov" (Retrying after failure)',
     "admission_check_pending", {}),
    ('AdmissionCheck in Rejected state: "prov" (Provisioning failed)',
     "admission_check_rejected", {}),
    # workload_controller.go v0.10.0-v0.17.0 DeactivationTarget; v0.8.0-v0.17.0 event
    # AdmissionCheckRejected; v0.5.0-v0.7.0 Finished=True AdmissionChecksRejected
    ("Admission check(s): [dws-prov], were rejected", "admission_check_rejected", {}),
    ("Deactivating workload because AdmissionCheck for dws-prov was Rejected: capacity",
     "admission_check_rejected", {"check": "dws-prov"}),
    ("Admission checks [check1] are rejected", "admission_check_rejected", {}),
    ("waiting for all admitted workloads to be in PodsReady condition", "waiting_pods_ready",
     {}),
    ("Exceeded the PodsReady timeout default/job-sample-job-992ea", "pods_ready_timeout", {}),
    ("The workload is deactivated due to exceeding the maximum number of re-queuing retries",
     "pods_ready_timeout", {}),
    # preemption.go v0.3.2-v0.6.3, v0.8.4-v0.10.6, v0.11.9-v0.19.2
    ("Preempted to accommodate a higher priority Workload", "preempted", {}),
    ("Preempted to accommodate a workload (UID: u1) due to reclamation within the cohort",
     "preempted", {}),
    ("Preempted to accommodate a workload (UID: u1, JobUID: j1) due to Fair Sharing within the "
     "cohort; preemptor path: /c/a; preemptee path: /c/b", "preempted", {}),
    ("The workload is deactivated", "workload_deactivated", {}),
    # flavorassigner.go / tas_flavorassigner.go v0.9.0-v0.19.0: an error, "failed to assign"
    ("failed to assign flavors to pod set 5673d2c5: workload requires Topology, but there is "
     "no TAS cache information", "topology_unfit", {}),
    # pkg/dra/claims.go v0.14.8-v0.19.2, as a field error in the condition
    ('spec.podSets[0].template.spec.resourceClaims[0].resourceClaimTemplateName: Not found: '
     '"DeviceClass unmapped.example.com is not mapped in DRA configuration for podset main"',
     "dra_class_unmapped", {"deviceclass": "unmapped.example.com"}),
    # jobframework/reconciler.go v0.3.0:146-v0.19.0:497, log.Error(err, "Handling job with no
    # workload"); the error of an AlreadyExists create, as pasted in kueue#1726
    ("Handling job with no workload", "workload_missing", {}),
    ('workloads.kueue.x-k8s.io "job-train-ff6d8" already exists', "workload_missing",
     {"workload": "job-train-ff6d8"}),
    # apimachinery errors.NewInvalid on Kueue's create, in a Reconciler error (kueue#9003)
    ('Workload.kueue.x-k8s.io \\"pod-p-e7fb8\\" is invalid: spec.podSets[0].template.spec.'
     'initContainers[0].env[28]: Duplicate value', "workload_missing", {"workload": "pod-p-e7fb8"}),
    # provisioning/controller.go v0.6.0:490, the check message after a failed request
    ("Retrying after failure: max cluster limit reached, nodepools out of resources: "
     "default-nodepool (cpu, memory)", "admission_check_pending", {}),
    # jobframework reconciler.go: the priority class the job names does not exist, no
    # Workload (the Reconciler error of kueue#3439; the 2026 Warning event's wording)
    ('"error":"WorkloadPriorityClass.kueue.x-k8s.io \\"low\\" not found"', "workload_missing", {}),
    ('WorkloadPriorityClass "low" not found', "workload_missing", {}),
    # provisioning/controller.go v0.19.2 handleError: Kueue could not create the request (the
    # check stays Pending; ray-project/ray#57839, GKE's webhook refusing a second PodSet)
    ('Error creating ProvisioningRequest "job-x-prov-1": admission webhook "w.example.com" '
     'denied the request: only single PodSet per request', "admission_check_pending", {}),
    # ProvisioningRequest conditions (Kueue docs troubleshooting_provreq.md; GKE, kueue#2389)
    ("Provisioning Request wasn't provisioned.", "admission_check_pending", {}),
    ("Provisioning Request's pods cannot be scheduled in the nodepool, affected nodepools: p1",
     "admission_check_pending", {}),
    # workload_controller.go v0.3.0..v0.19.2, V(2) log when the PodsReady timeout evicts
    ("Start the eviction of the workload due to exceeding the PodsReady timeout",
     "pods_ready_timeout", {}),
    # cmd/kueue/main.go v0.5.0..v0.10: the ProvisioningRequest CRD is not served (kueue#3195)
    ("Provisioning Requests are not supported, skipped admission check controller setup",
     "queue_inactive", {}),
    # cmd/kueue/main.go v0.11.0..v0.19.2
    ("Skipping admission check controller setup: Provisioning Requests not supported (Possible "
     "cause: missing or unsupported cluster-autoscaler)", "queue_inactive", {}),
    # Kueue's sample ValidatingAdmissionPolicy (site/static/examples/
    # sample-validating-policy.yaml, v0.9.0..v0.19) refusing an object without the label
    ("ValidatingAdmissionPolicy 'sample-validating-admission-policy' with binding "
     "'sample-validating-admission-policy-binding' denied request: The label "
     "'kueue.x-k8s.io/queue-name' is either missing or does not have a value set.",
     "no_queue_label", {}),
    # cmd/kueue/main.go v0.5.0..v0.19.2: setupLog.Error(err, ...) then exit: Kueue is down
    ("Unable to load the configuration", "workload_missing", {}),
    ("Unable to validate the configuration", "workload_missing", {}),
    # pkg/controller/jobframework/setup.go v0.6.0..v0.10: the job kind's CRD is not served
    ("No matching API in the server for job framework, skipped setup of controller and webhook",
     "workload_missing", {}),
]


def test_a_deferred_integration_setup_is_no_verdict():
    # jobframework/setup.go v0.11.0..v0.19.2: Kueue sets the controller up when the CRD appears
    assert first_cause("No matching API in the server for job framework, deferring setting up "
                       "controller") == ""


def test_the_benign_job_reconciler_line_is_no_verdict():
    # jobframework/reconciler.go v0.9.0:404-v0.18: AlreadyExists at V(3), usually a cache race
    assert first_cause("Handling job with no workload found an existing workload") == ""


@pytest.mark.parametrize("message,cause,facts", WORDINGS)
def test_each_wording_names_its_cause(message, cause, facts):
    assert first_cause(message) == cause
    found = clauses(message)
    merged = {}
    for clause in found:
        for key, value in clause.facts.items():
            merged.setdefault(key, value)
    for key, value in facts.items():
        assert merged.get(key) == value, (key, merged)


def test_a_wrapped_terminal_paste_still_names_the_cause():
    # issue kubernetes-sigs/kueue#3543: describe output wrapped by the terminal
    assert first_cause("The workload has failed admi ssion checks") == "admission_check_pending"
    assert first_cause("couldn't assign flavors to pod set main: insufficient unused quota\n"
                       "      for cpu in flavor a100, 2 more needed") == "quota_exhausted"


def test_a_truncated_event_message_still_names_the_cause():
    # events are truncated at 1 KiB (api.TruncateEventMessage); a paste may cut it shorter
    assert first_cause("couldn't assign flavors to pod set workers: insufficient quota for "
                       "nvidi") == "exceeds_max_quota"


def test_a_flavor_that_waits_beats_one_that_never_fits():
    # Every flavor tried is reported; the pod set fails only if all fail, so one busy flavor
    # means the workload waits (flavorassigner.go assignFlavors).
    message = (FA + "flavor spot doesn't match node affinity, insufficient unused quota for "
               "cpu in flavor on-demand, 2 more needed")
    assert first_cause(message) == "quota_exhausted"
    message = (FA + "insufficient quota for cpu in flavor a, request > maximum capacity (9 > 8)"
               ", insufficient unused quota for cpu in flavor b, 1 more needed")
    assert first_cause(message) == "quota_exhausted"


def test_a_pod_set_that_can_never_fit_explains_more_than_one_that_waits():
    # issue kubernetes-sigs/kueue#3909: master waits, worker exceeds every flavor's maximum
    message = ("couldn't assign flavors to pod set master: insufficient unused quota for "
               "nvidia.com/gpu in flavor multi-node-h100, 8 more needed; couldn't assign flavors"
               " to pod set worker: insufficient quota for nvidia.com/gpu in flavor "
               "multi-node-h100, request > maximum capacity (16 > 8)")
    assert first_cause(message) == "exceeds_max_quota"
    assert {c.podset for c in clauses(message)} == {"master", "worker"}


def test_condition_reasons_of_the_observability_gate():
    # apis/kueue/v1beta2/workload_types.go v0.19.2
    assert first_cause("", "ExceedsMaxQuota") == "exceeds_max_quota"
    assert first_cause("", "WaitingForQuota") == "quota_exhausted"
    assert first_cause("", "NoMatchingFlavor") == "flavor_mismatch"
    assert first_cause("", "Pending") == ""  # the legacy reason says nothing by itself


# pkg/dra/claims.go v0.15.8 (l.74) and v0.19.2 (l.514): a refused claim feature and a device
# shortage are both dra_class_unmapped (Kueue cannot account the claim), each with its own fix.
def test_dra_refused_feature_and_shortage_get_their_own_fix():
    from _kueue.rules_running import check_dra

    class _Cluster:
        claim_templates: dict = {}

    wl = {"metadata": {"name": "w", "namespace": "ns"}, "spec": {"podSets": []}}
    refused = check_dra(wl, _Cluster(), "spec.podSets[0]: Invalid value: null: AdminAccess is "
                                        "not supported")
    assert refused[0] == "dra_class_unmapped" and "AdminAccess is not supported" in refused[1]
    assert "remove that feature" in refused[3]
    short = check_dra(wl, _Cluster(), "insufficient matching devices for CEL selector in "
                                      "DeviceClass gpu.example.com: 2 device(s) match in the "
                                      "cluster but 8 requested")
    assert "2 device(s) match" in short[1] and "resourceslices" in short[3]
    # pkg/dra/counters.go v0.19.2 l.222, as the Workload condition printed it live
    # (tests/live/test_dra_kueue_counters_live.py)
    uncounted = check_dra(wl, _Cluster(), 'spec.podSets[0].template.spec.resourceClaims[0].'
                                          'devices.requests[0]: Internal error: matched '
                                          'devices have no consumesCounters entry for '
                                          'counter "slices"')
    assert uncounted[0] == "dra_class_unmapped"
    assert 'no consumesCounters entry for counter "slices"' in uncounted[1]
    assert "sources[].counter.name" in uncounted[3]
    assert first_cause('Internal error: matched devices have no consumesCounters entry for '
                       'counter "slices"') == "dra_class_unmapped"
    plain = check_dra(wl, _Cluster(), "DeviceClass gpu.example.com is not mapped in DRA "
                                      "configuration for podset main")
    assert "deviceClassMappings" in plain[3]
