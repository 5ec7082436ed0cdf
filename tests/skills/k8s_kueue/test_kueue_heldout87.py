"""Held-out round 87 (Kueue): one-line errors of Kueue's refused writes and its webhooks.

Ground truth:
- kubernetes-sigs/kueue#4934: the scheduler's invalid SSA status patch with admission checks,
  `Workload.kueue.x-k8s.io "<w>" is invalid: [admissionChecks[0].lastTransitionTime: Required
  value, ...]` under `Could not update Workload status` (CHANGELOG-0.10 quotes it; fixed by
  #4935): status_update_rejected, reported (bare status fields, no `status.` prefix).
- kubernetes-sigs/kueue#8258: `Failed to evict workload after failed try to find a node
  replacement` (pkg/scheduler/scheduler.go:243@v0.15.1) with a conflict at every cycle (fixed
  by PR #7933): eviction_status_patch_failed.
- kubernetes-sigs/kueue#10593: the v1beta1 CRD's CEL rule unguarded, `no such key:
  priorityClassSource evaluating rule: priorityClassSource is immutable while workload quota
  reserved` (apiextensions-apiserver cel/validation.go:450; fixed by #10594): kueue_bug.
- kubernetes-sigs/kueue#10032: a label value Kueue built from an LWS name refused as over 63
  (`must be no more than 63 bytes`, apimachinery v0.35+; `characters` before; CHANGELOG-0.17
  "LeaderWorkerSets with names longer than 39 characters"): kueue_bug.
- kubernetes-sigs/kueue#3996: vstatefulset.kb.io refusing a scale of an existing StatefulSet
  (`spec.replicas: ... field is immutable`, kubectl edit's `could not be patched`):
  admission_webhook_denied. kubernetes-sigs/kueue#4392: vcohort.kb.io denying a Cohort
  (`borrowingLimit ... must be nil when cohort is empty`): admission_webhook_denied.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import SCRIPTS
from .test_kueue_heldout75 import _findings


def _eviction(text: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_eviction.py"), "-f", "-",
                           "--json"], input=text, capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def _first(text: str) -> str:
    found = [f for f in _findings(text) if f["severity"] != "info"]
    return found[0]["cause"] if found else ""


# ---- kueue#4934: an SSA status patch refused, its field errors without `status.` -----------

SSA_LOG = (
    '{"level":"error","ts":"2025-04-09T12:39:42.128555256Z","logger":"scheduler","caller":'
    '"scheduler/scheduler.go:603","msg":"Could not update Workload status","schedulingCycle":'
    '1456,"error":"Workload.kueue.x-k8s.io \\"jobset-xxxxxx" is invalid: [admissionChecks[0].'
    'lastTransitionTime: Required value, admissionChecks[0].message: Required value, '
    'admissionChecks[0].state: Required value, <nil>: Invalid value: \\"null\\": some validation '
    'rules were not checked because the object was invalid; correct the existing errors to '
    'complete validation]","stacktrace":"sigs.k8s.io/kueue/pkg/scheduler.(*Scheduler).'
    'requeueAndUpdate"}')


def test_ssa_status_patch_refused_is_status_update_rejected():
    first = _findings(SSA_LOG)[0]
    assert first["cause"] == "status_update_rejected"
    assert first["basis"] == "reported"
    assert "#4935" in first["fix"]


def test_status_patch_refused_in_another_status_field_and_the_prefixed_form():
    # the same refusal of another status field, as the klog console prints it
    text = ('E0409 12:39:42.128555 1 scheduler.go:603] "Could not update Workload status" '
            'err="Workload.kueue.x-k8s.io \\"job-a-1b2c3\\" is invalid: [admission.'
            'podSetAssignments[0].name: Required value]"')
    assert _first(text) == "status_update_rejected"
    # v0.13's eviction patch with `status.` (kueue#6966): unchanged
    assert _first('Workload.kueue.x-k8s.io "job-a-1b2c3" is invalid: [status.admission.'
                  'clusterQueue: Required value]') == "status_update_rejected"


def test_a_refused_workload_create_stays_workload_missing():
    # spec fields: the Workload Kueue built for the job was refused (kueue#9003)
    text = ('"msg":"Reconciler error","error":"Workload.kueue.x-k8s.io \\"job-a-1b2c3\\" is '
            'invalid: spec.podSets[0].template.spec.initContainers[0].env[1]: Duplicate value"')
    assert _first(text) == "workload_missing"


# ---- kueue#8258: the scheduler could not write the eviction ---------------------------------

EVICT_LOG = (
    '{"caller":"scheduler/scheduler.go:243", "clusterQueue":{…}, "error":"Operation cannot be '
    'fulfilled on workloads.kueue.x-k8s.io "job-xyz-abcdef": the object has been modified; '
    'please apply your changes to the latest version and try again", "level":"error", '
    '"logger":"scheduler", "msg":"Failed to evict workload after failed try to find a node '
    'replacement", "schedulingCycle":426, "stacktrace":"sigs.k8s.io/kueue/pkg/scheduler.'
    '(*Scheduler).schedule')


def test_failed_eviction_is_eviction_status_patch_failed():
    first = _eviction(EVICT_LOG)[0]
    assert first["cause"] == "eviction_status_patch_failed"
    assert first["basis"] == "reported"
    assert "Operation cannot be fulfilled" in first["message"]
    assert "#7933" in first["fix"]


def test_later_wording_of_the_failed_eviction():
    # v0.15.8..v0.19: "Failed to evict workload" with the wrapped error (scheduler.go:526)
    text = ('{"level":"error","logger":"scheduler","msg":"Failed to evict workload","error":'
            '"failed to evict workload after failed try to find a replacement for unhealthy '
            'nodes: node-a, Operation cannot be fulfilled on workloads.kueue.x-k8s.io '
            '\\"job-a-1b2c3\\": the object has been modified"}')
    assert _eviction(text)[0]["cause"] == "eviction_status_patch_failed"
    assert _first(text) == "eviction_status_patch_failed"


def test_a_conflict_alone_is_no_failed_eviction():
    text = ('{"level":"error","msg":"Reconciler error","error":"Operation cannot be fulfilled '
            'on workloads.kueue.x-k8s.io \\"job-a-1b2c3\\": the object has been modified; '
            'please apply your changes to the latest version and try again"}')
    assert "eviction_status_patch_failed" not in [f["cause"] for f in _findings(text)]


# ---- kueue#10593: a CEL rule of Kueue's CRD that cannot be evaluated ------------------------

CEL = ('The Workload "<name>" is invalid: <nil>: Invalid value: "object": no such key: '
       'priorityClassSource evaluating rule: priorityClassSource is immutable while workload '
       'quota reserved')


def test_unevaluable_cel_rule_is_a_kueue_bug():
    first = _eviction(CEL)[0]
    assert first["cause"] == "kueue_bug"
    assert "#10594" in first["fix"]
    assert _first(CEL) == "kueue_bug"


def test_unevaluable_cel_rule_in_the_api_error_form():
    text = ('Error from server (Invalid): Workload.kueue.x-k8s.io "job-a-1b2c3" is invalid: '
            '<nil>: Invalid value: "object": no such key: priorityClassName evaluating rule: '
            'priorityClassName is immutable while workload quota reserved and '
            'priorityClassSource is not equal to kueue.x-k8s.io/workloadpriorityclass')
    assert _first(text) == "kueue_bug"


def test_a_flavor_cel_rule_asking_for_a_field_is_no_kueue_bug():
    # the ResourceFlavor rule reads nodeLabels: the person must give them (queue_validate.py)
    text = ('The ResourceFlavor "tas-flavor" is invalid: spec: Invalid value: "object": no such '
            'key: nodeLabels evaluating rule: at least one nodeLabel is required when topology '
            'is set')
    assert "kueue_bug" not in [f["cause"] for f in _findings(text)]


# ---- kueue#10032: a label value Kueue derived from the job's name, over 63 ------------------

LWS_LOG = (
    '{"level":"error","ts":"2026-03-19T17:54:50.175544761Z","caller":"controller/controller.go:'
    '474","msg":"Reconciler error","controller":"leaderworkerset_pod","controllerGroup":"",'
    '"controllerKind":"Pod","Pod":{"name":"lws-sample-long-0","namespace":"default"},'
    '"namespace":"default","name":"lws-sample-long-0","reconcileID":"ea7bda9b","error":"Pod '
    '\\"lws-sample-long-0\\" is invalid: metadata.labels: Invalid value: \\"leaderworkerset-'
    'lws-sample-long-name-that-goes-on-and-on-for-a-while-0-6417a\\": must be no more than 63 '
    'bytes"}')


def test_overlong_label_kueue_built_is_a_kueue_bug():
    first = _findings(LWS_LOG)[0]
    assert first["cause"] == "kueue_bug"
    assert first["basis"] == "reported"
    assert "shorter name" in first["fix"]


def test_overlong_label_in_the_older_wording():
    # apimachinery before v0.35: "characters"; a StatefulSet's pod group
    text = ('Pod "web-0" is invalid: metadata.labels: Invalid value: "statefulset-web-frontend-'
            'with-a-very-long-name-for-the-team-abc12": must be no more than 63 characters')
    assert _first(text) == "kueue_bug"


def test_a_persons_overlong_label_is_no_kueue_bug():
    text = ('The Job "train" is invalid: metadata.labels: Invalid value: "team-research-project-'
            'with-a-name-far-too-long-for-any-label-value": must be no more than 63 characters')
    assert "kueue_bug" not in [f["cause"] for f in _findings(text)]


# ---- kueue#3996, #4392: Kueue's webhooks refusing a person's object -------------------------

STS_EDIT = ('error: statefulsets.apps "nginx-statefulset" could not be patched: admission '
            'webhook "vstatefulset.kb.io" denied the request: spec.replicas: Invalid value: 4: '
            'field is immutable')


def test_statefulset_scale_refused_is_the_webhook_denial():
    first = _findings(STS_EDIT)[0]
    assert first["cause"] == "admission_webhook_denied"
    assert first["basis"] == "reported"
    assert first["object"]["kind"] == "StatefulSet"
    assert first["object"]["name"] == "nginx-statefulset"
    assert "to or from 0" in first["fix"]


def test_statefulset_scale_up_refused_while_pods_terminate():
    text = ('Error from server (Forbidden): admission webhook "vstatefulset.kb.io" denied the '
            'request: spec.replicas: Forbidden: scaling down is still in progress')
    assert _first(text) == "admission_webhook_denied"


def test_a_refused_statefulset_create_stays_workload_missing():
    text = ('Error from server (Forbidden): error when creating "sts.yaml": admission webhook '
            '"vstatefulset.kb.io" denied the request: metadata.labels[kueue.x-k8s.io/pod-group-'
            'name]: Invalid value: "x": must not be set')
    assert _first(text) == "workload_missing"


COHORT = ('admission webhook "vcohort.kb.io" denied the request: spec.resourceGroups[0].'
          'flavors[0].resources[0].borrowingLimit: Invalid value: "0": must be nil when cohort '
          'is empty')


def test_cohort_refused_by_kueues_webhook():
    first = _findings(COHORT)[0]
    assert first["cause"] == "admission_webhook_denied"
    assert first["object"]["kind"] == "Cohort"
    assert "borrowingLimit" in first["fix"]


@pytest.mark.parametrize("text", [
    # v0.19: the parent's wording; kubectl's print of a refused create
    'Error from server (Forbidden): error when creating "cohort.yaml": admission webhook '
    '"vcohort.kb.io" denied the request: spec.resourceGroups[0].flavors[0].resources[0].'
    'lendingLimit: Invalid value: "4": must be nil when parent is empty',
    # a ClusterQueue without a cohort
    'Error from server (Forbidden): admission webhook "vclusterqueue.kb.io" denied the request: '
    'spec.resourceGroups[0].flavors[0].resources[0].borrowingLimit: Invalid value: "2": must be '
    'nil when cohort is empty',
])
def test_other_refusals_by_kueues_own_webhooks(text):
    assert _first(text) == "admission_webhook_denied"


def test_kueues_own_webhook_unreachable_is_not_a_denial():
    text = ('Error from server (InternalError): Internal error occurred: failed calling webhook '
            '"vcohort.kb.io": failed to call webhook: Post "https://kueue-webhook-service.'
            'kueue-system.svc:443/validate-kueue-x-k8s-io-v1alpha1-cohort?timeout=10s": no '
            'endpoints available for service "kueue-webhook-service"')
    assert _first(text) == "kueue_controller_down"


def test_unevaluable_immutability_rule_of_another_kueue_kind_and_a_foreign_crd():
    text = ('The LocalQueue "team-a" is invalid: spec: Invalid value: "object": no such key: '
            'clusterQueue evaluating rule: field is immutable')
    assert _first(text) == "kueue_bug"
    # another project's CRD with the same defect is not Kueue's
    text = ('The Notebook "nb" is invalid: spec: Invalid value: "object": no such key: image '
            'evaluating rule: image is immutable')
    assert "kueue_bug" not in [f["cause"] for f in _findings(text)]
