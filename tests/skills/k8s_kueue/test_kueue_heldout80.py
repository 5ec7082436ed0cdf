"""Held-out round 80 (Kueue): Kueue's cache refused by its own RBAC with the manager running,
DRA claims Kueue never charged, and Kueue's Job webhook unreachable as a Karmada Work quotes it.

Ground truth:
- kubernetes-sigs/kueue#5288 (v0.11.4, Helm): `cronjobs.batch is forbidden ... cannot list`
  from controller-runtime's cache; CronJobs' Jobs got no pods, nothing said the manager was not
  ready; maintainers: a bug of that release (#5235), fixed in v0.11.5. kueue#5783 (same release)
  adds the Job webhook timing out: there the manager is down and the RBAC its why.
- kubernetes-sigs/kueue#10504 (v0.17.0, Kueue Operator v1.4.0): no deviceClassMappings, three
  DRA Jobs admitted to a ClusterQueue with nvidia.com/gpu nominalQuota 1, GPU usage 0, two claims
  pending. Kueue v0.17.0 pkg/dra/extended_resources.go:44-47 (NeedsDRAReconcile false with the
  DynamicResourceAllocation gate off), pkg/dra/claims.go:166-171 (`DeviceClass %s is not mapped
  in DRA configuration for podset %s` with it on); openshift/kueue-operator 6bade4c5
  pkg/configmap/configmap.go (the gate on only when mappings are set).
- netai-devsecops-runbook experiment 30 (Kueue v0.18.2 under Karmada): the Work message
  `failed calling webhook "mjob.kb.io": failed to call webhook: connect: connection refused`,
  one link per line, with kueue-controller-manager scaled to 0. Webhook names: Kueue
  config/components/webhook/manifests.yaml (v0.6.3 mjob/mpod; v0.19.2 m/v job, pod, deployment,
  statefulset); `failed to call webhook: %w`: apiserver pkg/admission/plugin/webhook/validating/
  dispatcher.go:311 @v1.37.2.
"""
from __future__ import annotations

import os
import sys

from .test_kueue_heldout75 import _findings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "skills",
                                "_shared"))
from k8s_skillkit.event_table import join_error_chains  # noqa: E402

# kueue#5288, two of the reporter's log lines
CRONJOB_REFUSED = (
    "When submitting CronJobs, Kueue controller lacks permissions to handle them.\n"
    "W0519 17:16:20.548892       1 reflector.go:569] sigs.k8s.io/controller-runtime/pkg/cache/"
    "internal/informers.go:108: failed to list *v1.PartialObjectMetadata: cronjobs.batch is "
    'forbidden: User "system:serviceaccount:kueue-system:kueue-controller-manager" cannot list '
    'resource "cronjobs" in API group "batch" at the cluster scope\n'
    'E0519 17:16:20.548966       1 reflector.go:166] "Unhandled Error" err="sigs.k8s.io/'
    "controller-runtime/pkg/cache/internal/informers.go:108: Failed to watch "
    "*v1.PartialObjectMetadata: failed to list *v1.PartialObjectMetadata: cronjobs.batch is "
    'forbidden: User \\"system:serviceaccount:kueue-system:kueue-controller-manager\\" cannot '
    'list resource \\"cronjobs\\" in API group \\"batch\\" at the cluster scope" '
    'logger="UnhandledError"\n')


def test_a_cache_list_refused_with_the_manager_running_is_the_releases_rbac_bug():
    found = _findings(CRONJOB_REFUSED)
    assert found[0]["cause"] == "kueue_bug"
    assert "cronjobs.batch" in found[0]["message"]
    assert not any(f["cause"] == "kueue_controller_down" for f in found)


def test_a_cache_list_refused_beside_a_pod_not_ready_puts_the_manager_down_first():
    # another form of "the manager is not serving": its pod table (kueue#5783 pasted one)
    paste = ("$ kubectl get pods -n kueue-system\n"
             "NAME                                        READY   STATUS             RESTARTS   AGE\n"
             "kueue-controller-manager-7647678dcc-pm4pk   0/1     CrashLoopBackOff   5          9m\n"
             + CRONJOB_REFUSED)
    found = _findings(paste)
    assert found[0]["cause"] == "kueue_controller_down"
    assert any(f["cause"] == "kueue_bug" and f["severity"] == "warning" for f in found)


def test_a_refused_list_of_the_visibility_servers_informer_stays_a_bug():
    # near miss: not the manager's cache (client-go's informer factory) stays kueue_bug
    paste = CRONJOB_REFUSED.replace("sigs.k8s.io/controller-runtime/pkg/cache/internal/"
                                    "informers.go:108", "k8s.io/client-go/informers/"
                                    "factory.go:160")
    found = _findings(paste)
    assert found[0]["cause"] == "kueue_bug"
    assert "never syncs" not in found[0]["message"]


# kueue#10504: the operator's `.spec` (jq), the workloads table, the claims table
DRA_OPERATOR_SPEC = """$ k get kueue cluster -o json | jq '.spec'
{
  "config": {
    "integrations": {
      "frameworks": [
        "BatchJob",
        "Pod"
      ]
    }
  },
  "logLevel": "Normal",
  "managementState": "Managed",
  "operatorLogLevel": "Normal"
}

$ k get workloads
NAME                 QUEUE        RESERVED IN         ADMITTED   FINISHED   AGE
job-job-dra-ac709    test-queue   gpu-cluster-queue   True                  34m
job-job-dra2-6ab6b   test-queue   gpu-cluster-queue   True                  33m

$ oc get resourceclaim
NAME                       STATE                AGE
job-dra-fxz4b-gpu-5tqwg    allocated,reserved   57m
job-dra2-w8944-gpu-5wk44   pending              56m
"""


def test_dra_claims_with_no_device_class_mappings_in_the_operator_spec_are_uncounted():
    found = _findings(DRA_OPERATOR_SPEC)
    assert found[0]["cause"] == "dra_class_unmapped"
    assert found[0]["basis"] == "inferred" and found[0]["confirm"]
    assert "1 claim(s) wait for devices" in found[0]["message"]
    # the generic "admitted, not started" guesses are what this explains
    assert not any(f["cause"] == "admitted_not_started" for f in found)


# the same evidence as Kueue's own ConfigMap and a Workload in YAML (a template with claims)
DRA_CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: kueue-manager-config
  namespace: kueue-system
data:
  controller_manager_config.yaml: |
    apiVersion: config.kueue.x-k8s.io/v1beta1
    kind: Configuration
    integrations:
      frameworks: ["batch/job"]
---
apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata:
  name: job-train-1a2b3
  namespace: ml
spec:
  queueName: gpu
  podSets:
  - name: main
    count: 1
    template:
      spec:
        resourceClaims:
        - name: gpu
          resourceClaimTemplateName: one-gpu
        containers:
        - name: c
          image: busybox
status:
  admission:
    clusterQueue: gpu-cq
  conditions:
  - type: QuotaReserved
    status: "True"
    reason: QuotaReserved
    message: Quota reserved in ClusterQueue gpu-cq
  - type: Admitted
    status: "True"
    reason: Admitted
    message: The workload is admitted
"""


def test_dra_claims_with_no_mappings_in_kueues_configmap_are_uncounted():
    found = _findings(DRA_CONFIGMAP)
    assert found[0]["cause"] == "dra_class_unmapped"
    assert any("ConfigMap kueue-manager-config" in e for e in found[0]["evidence"])


def test_a_configuration_that_maps_device_classes_keeps_the_old_answer():
    mapped = DRA_CONFIGMAP.replace(
        '      frameworks: ["batch/job"]\n',
        '      frameworks: ["batch/job"]\n    resources:\n      deviceClassMappings:\n'
        '      - name: nvidia.com/gpu\n        deviceClassNames: [gpu.nvidia.com]\n')
    assert not any(f["cause"] == "dra_class_unmapped" for f in _findings(mapped))


def test_no_configuration_in_the_paste_says_nothing_about_mappings():
    bare = DRA_OPERATOR_SPEC.split("$ k get workloads")[1]
    assert not any(f["cause"] == "dra_class_unmapped"
                   for f in _findings("$ k get workloads" + bare))


# netai-devsecops-runbook experiment 30: the Karmada Work message, one link per line
WORK_MESSAGE = """Karmada Work detail (member apply failure):

Failed to apply all manifests (0/1):
failed calling webhook "mjob.kb.io":
failed to call webhook:
connect: connection refused
"""


def test_kueues_job_webhook_unreachable_in_a_work_message_is_the_controller_down():
    found = _findings(WORK_MESSAGE)
    assert found[0]["cause"] == "kueue_controller_down"
    assert 'mjob.kb.io' in found[0]["evidence"][0]


def test_the_same_failure_on_one_line_as_kubectl_prints_it_for_a_pod():
    line = ('Error from server (InternalError): error when creating "pod.yaml": Internal error '
            'occurred: failed calling webhook "mpod.kb.io": failed to call webhook: Post '
            '"https://10.96.0.12:443/mutate--v1-pod?timeout=10s": dial tcp 10.96.0.12:443: '
            "connect: connection refused\n")
    assert _findings(line)[0]["cause"] == "kueue_controller_down"


def test_a_denial_by_the_job_webhook_is_not_the_controller_down():
    # near miss: the webhook answered (Kueue is up)
    line = ('Error from server (Forbidden): error when creating "job.yaml": admission webhook '
            '"vjob.kb.io" denied the request: metadata.labels[kueue.x-k8s.io/queue-name]: '
            "Invalid value\n")
    assert not any(f["cause"] == "kueue_controller_down" for f in _findings(line))


def test_a_lower_case_chain_link_on_its_own_line_is_joined_but_a_describe_key_is_not():
    lines = ['failed calling webhook "mjob.kb.io":', "failed to call webhook:",
             "connect: connection refused"]
    assert join_error_chains(lines) == [" ".join(lines)]
    keyed = ["Failed to apply all manifests (0/1): x:", "Pod Template:", "  Labels: a"]
    assert join_error_chains(keyed) == keyed
