"""Held-out round 85 (Kueue): one-line errors and kubectl's print of a refused apply.

Ground truth:
- kubernetes-sigs/kueue#4967 (LWS) and #5148 (Deployment, v0.11.3): a person's change of the
  kueue.x-k8s.io/queue-name or priority-class label on an existing job refused by Kueue's job
  webhook as `field is immutable` (jobframework/validation.go:183, leaderworkerset_webhook.go:192,
  deployment_webhook.go:155@v0.19.2): admission_webhook_denied, reported. A refused CREATE
  stays workload_missing (the job never exists).
- kubernetes-sigs/kueue#14722, #11931: `kueue runtime patch not found`
  (pkg/controller/jobs/trainjob/trainjob_controller.go:278@v0.19.2): Kueue v0.17+ with a
  Trainer v2.1 TrainJob CRD that prunes spec.runtimePatches: kueue_bug.
- kubernetes-sigs/kueue#8751: `getting credentials: exec: fork/exec <plugin>: no such file or
  directory`, client-go's exec credentials plugin (plugin/pkg/client/auth/exec/exec.go) failing
  for a MultiKueue worker: multikueue_cluster_disconnected. kubectl's own credentials failure
  is not Kueue's.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import SCRIPTS
from .test_kueue_heldout75 import _findings


def _causes(text: str) -> list[str]:
    """The causes explain_pending gives (none when it refuses the paste)."""
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_pending.py"), "-f", "-",
                           "--json"], input=text, capture_output=True, text=True, timeout=60)
    if proc.returncode == 2:
        return []
    return [f["cause"] for f in json.loads(proc.stdout)["findings"]]


# kueue#4967, the apply's answer (the patch body cut)
LWS_APPLY = """\
Error from server (Forbidden): error when applying patch:
{"metadata":{"labels":{"kueue.x-k8s.io/queue-name":"user-queue"}}}
to:
Resource: "leaderworkerset.x-k8s.io/v1, Resource=leaderworkersets", GroupVersionKind: "leaderworkerset.x-k8s.io/v1, Kind=LeaderWorkerSet"
Name: "nginx-leaderworkerset", Namespace: "default"
for: "sample-leaderworkerset.yaml": error when patching "sample-leaderworkerset.yaml": admission webhook "vleaderworkerset.kb.io" denied the request: metadata.labels[kueue.x-k8s.io/queue-name]: Invalid value: "user-queue": field is immutable
"""


def test_a_refused_apply_of_an_existing_job_is_the_webhook_denial():
    first = _findings(LWS_APPLY)[0]
    assert first["cause"] == "admission_webhook_denied"
    assert first["basis"] == "reported"
    # kubectl's print names the object it patched
    assert first["object"]["kind"] == "LeaderWorkerSet"
    assert first["object"]["name"] == "nginx-leaderworkerset"
    assert "immutable" in first["fix"] and "recreate" in first["fix"]


@pytest.mark.parametrize("text", [
    # kubectl label --overwrite / kubectl patch: no "error when", the immutable field says update
    'Error from server (Forbidden): admission webhook "vdeployment.kb.io" denied the request: '
    'metadata.labels[kueue.x-k8s.io/priority-class]: Invalid value: "high": field is immutable',
    # kubectl replace
    'Error from server (Forbidden): error when replacing "sts.yaml": admission webhook '
    '"vstatefulset.kb.io" denied the request: metadata.labels[kueue.x-k8s.io/queue-name]: '
    'Invalid value: "q2": field is immutable',
])
def test_other_forms_of_an_update_refusal(text):
    first = _findings(text)[0]
    assert first["cause"] == "admission_webhook_denied"
    assert first["basis"] == "reported"


def test_a_refused_create_stays_workload_missing():
    text = ('Error from server (Forbidden): error when creating "job.yaml": admission webhook '
            '"vjob.kb.io" denied the request: spec.parallelism: Invalid value: 1: must be '
            'greater than or equal to 2')
    assert _causes(text)[0] == "workload_missing"


def test_the_runtime_patch_error_alone_is_the_trainjob_defect():
    first = _findings('"error":"kueue runtime patch not found"\n')[0]
    assert first["cause"] == "kueue_bug"
    assert first["basis"] == "reported"
    assert "runtimePatches" in first["fix"] and "v2.2" in first["fix"]


def test_the_full_unsuspending_record_names_the_trainjob():
    line = ('{"level":"error","ts":"2026-08-21T10:00:00Z","caller":"jobframework/reconciler.go:606",'
            '"msg":"Unsuspending job","job":"ns1/train-a","gvk":"trainer.kubeflow.org/v1alpha1, '
            'Kind=TrainJob","error":"kueue runtime patch not found"}\n')
    first = _findings(line)[0]
    assert first["cause"] == "kueue_bug"
    assert first["object"]["kind"] == "TrainJob" and first["object"]["name"] == "train-a"


def test_another_unsuspend_error_is_not_the_runtime_patch_defect():
    line = ('{"level":"error","msg":"Unsuspending job","job":"ns1/train-a","gvk":'
            '"trainer.kubeflow.org/v1alpha1, Kind=TrainJob","error":"admission webhook '
            '\\"validator.trainjob.trainer.kubeflow.org\\" denied the request: '
            'spec.podTemplateOverrides: Forbidden: can only be modified when suspended"}\n')
    causes = _causes(line)
    assert causes[0] == "admitted_not_started"
    assert "kueue_bug" not in causes


def test_the_plugin_exec_failure_is_the_worker_disconnected():
    first = _findings("getting credentials: exec: fork/exec /plugins/cp-creds: no such file or "
                      "directory\n")[0]
    assert first["cause"] == "multikueue_cluster_disconnected"
    assert first["basis"] == "reported"
    assert "statically" in first["fix"] or "static" in first["fix"]


def test_the_exit_code_wording_in_the_clusters_log_record():
    line = ('{"level":"error","msg":"Reconciler error","controller":"multikueuecluster",'
            '"MultiKueueCluster":{"name":"worker-a"},"error":"Get \\"https://10.0.0.1:6443/api?'
            'timeout=32s\\": getting credentials: exec: executable /plugins/secretreader-plugin '
            'failed with exit code 1"}\n')
    first = _findings(line)[0]
    assert first["cause"] == "multikueue_cluster_disconnected"
    assert first["object"] == {**first["object"], "kind": "MultiKueueCluster", "name": "worker-a"}


@pytest.mark.parametrize("text", [
    "Unable to connect to the server: getting credentials: exec: executable aws failed with "
    "exit code 255\n",
    'E1207 10:00:00.000000 1735 memcache.go:265] "Unhandled Error" err="couldn\'t get current '
    'server API group list: Get \\"https://x:443/api?timeout=32s\\": getting credentials: exec: '
    'executable kubelogin not found"\n',
])
def test_kubectls_own_credentials_failure_is_not_a_worker(text):
    assert "multikueue_cluster_disconnected" not in _causes(text)


def test_the_kinds_own_rule_on_a_persons_edit_is_not_kueues():
    # the same webhook name is the LWS operator's own: its spec rule is no Kueue label
    text = ('Error from server (Forbidden): error when applying patch: for: "lws.yaml": error '
            'when patching "lws.yaml": admission webhook "vleaderworkerset.kb.io" denied the '
            'request: spec.leaderWorkerTemplate.size: Invalid value: 4: field is immutable\n')
    assert "admission_webhook_denied" not in _causes(text)
