"""Held-out round 92 (Kueue): the visibility API refused behind a ready manager, a webhook
Service answered by another server's certificate, and a PodsReady write Kueue logged as failed.

Ground truth:
- kubernetes-sigs/kueue#1519: the visibility APIService deployed while VisibilityOnDemand was
  off; kubectl's memcache `couldn't get resource list for visibility.kueue.x-k8s.io/v1alpha1`
  and the kube-apiserver's available_controller `... failed with: failing or missing response
  ... connection refused` (the aggregator dials only a Service with a ready endpoint,
  kube-aggregator remote_available_controller.go): kueue_bug (fixed by #1746).
- kubernetes-sigs/kueue#5192: LWS's webhook Service selecting `control-plane=controller-manager`
  in Kueue's namespace, so calls to mleaderworkerset.kb.io met Kueue's certificate:
  admission_webhook_denied (reported), the selector collision inferred.
- kubernetes-sigs/kueue#7363: `Updating workload status` failing (vworkload.kb.io refused), the
  Workload's PodsReady stays False while `"Pods are ready":true`: pods_ready_misreported
  (fixed by #7364 in v0.15.0).
"""
from __future__ import annotations

import sys

from .conftest import ROOT
from .test_kueue_heldout75 import _findings
from .test_kueue_heldout87 import _eviction

sys.path.insert(0, str(ROOT / "skills" / "k8s-kueue" / "scripts"))
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from _kueue import pods_ready_write, visibility_api, webhook_crossed  # noqa: E402

# --- kueue#1519 ----------------------------------------------------------------------------

VISIBILITY_1519 = """$ kubectl get resourceflavor
E1215 18:17:09.715081   24954 memcache.go:255] couldn't get resource list for visibility.kueue.x-k8s.io/v1alpha1:
 the server is currently unable to handle the request
E1215 18:17:09.723755   24954 memcache.go:106] couldn't get resource list for visibility.kueue.x-k8s.io/v1alpha1:
 the server is currently unable to handle the request
No resources found

E0206 02:48:46.207798       1 available_controller.go:527] v1alpha1.visibility.kueue.x-k8s.io failed with:
failing or missing response from https://10.233.23.237:443/apis/visibility.kueue.x-k8s.io/v1alpha1:
Get "https://10.233.23.237:443/apis/visibility.kueue.x-k8s.io/v1alpha1":
dial tcp 10.233.23.237:443: connect: connection refused
"""

# the same refusal as the APIService's status condition (kubectl get apiservice -o yaml), v1beta1
APISERVICE_REFUSED = """status:
  conditions:
  - lastTransitionTime: "2025-03-01T10:00:00Z"
    message: 'failing or missing response from https://10.96.4.7:443/apis/visibility.kueue.x-k8s.io/v1beta1:
      Get "https://10.96.4.7:443/apis/visibility.kueue.x-k8s.io/v1beta1": dial tcp
      10.96.4.7:443: connect: connection refused'
    reason: FailedDiscoveryCheck
    status: "False"
    type: Available
"""


def test_the_visibility_check_refused_behind_a_ready_endpoint_is_a_kueue_bug():
    top = _findings(VISIBILITY_1519)[0]
    assert top["cause"] == "kueue_bug", top
    assert top["object"] == {"kind": "APIService", "namespace": "",
                             "name": "v1alpha1.visibility.kueue.x-k8s.io"}
    assert top["basis"] == "inferred" and "VisibilityOnDemand" in top["confirm"]
    assert any("connection refused" in e for e in top["evidence"])


def test_the_refused_check_as_the_apiservice_condition_reads_alike():
    found = visibility_api.findings(APISERVICE_REFUSED.splitlines())
    assert [f["cause"] for f in found] == ["kueue_bug"]
    assert found[0]["object"]["name"] == "v1beta1.visibility.kueue.x-k8s.io"


def test_kubectls_discovery_warning_alone_is_the_unserved_visibility_api():
    warning = ["E0101 memcache.go:265] couldn't get resource list for "
               "visibility.kueue.x-k8s.io/v1beta1: the server is currently unable to handle "
               "the request"]
    assert [f["cause"] for f in visibility_api.findings(warning)] == ["kueue_bug"]


def test_the_refused_check_beside_the_manager_down_says_nothing_here():
    down = APISERVICE_REFUSED.splitlines() + [
        'Error from server (InternalError): failed calling webhook "mresourceflavor.kb.io": '
        'failed to call webhook: Post "https://kueue-webhook-service.kueue-system.svc:443/'
        'mutate-kueue-x-k8s-io-v1beta1-resourceflavor": no endpoints available for service '
        '"kueue-webhook-service"']
    assert visibility_api.findings(down) == []
    # another aggregated API's refused check is not Kueue's
    metrics = ["v1beta1.metrics.k8s.io failed with: failing or missing response from "
               "https://10.96.0.9:443/apis/metrics.k8s.io/v1beta1: dial tcp 10.96.0.9:443: "
               "connect: connection refused"]
    assert visibility_api.findings(metrics) == []


# --- kueue#5192 ----------------------------------------------------------------------------

LWS_5192 = """$ kubectl create -f out.yaml
Error from server (InternalError): error when creating "out.yaml": Internal error occurred: failed calling webhook "mleaderworkerset.kb.io": failed to call webhook: Post "https://lws-webhook-service.system.svc:443/mutate-leaderworkerset-x-k8s-io-v1-leaderworkerset?timeout=10s": tls: failed to verify certificate: x509: certificate is valid for kueue-webhook-service.system.svc, not lws-webhook-service.system.svc

Name:                     lws-webhook-service
Namespace:                system
Labels:                   app.kubernetes.io/instance=webhook-service
                          app.kubernetes.io/managed-by=Helm
                          app.kubernetes.io/name=lws
                          app.kubernetes.io/version=v0.5.1
                          helm.sh/chart=lws-0.1.0
Annotations:              meta.helm.sh/release-name: lws
                          meta.helm.sh/release-namespace: system
Selector:                 control-plane=controller-manager
"""


def test_a_webhook_service_answered_by_kueues_certificate_is_a_refused_call():
    found = [f for f in _findings(LWS_5192) if f["severity"] != "info"]
    assert found[0]["cause"] == "admission_webhook_denied" and found[0]["basis"] == "reported"
    assert found[0]["object"]["name"] == "lws-webhook-service"
    collision = found[1]
    assert collision["basis"] == "inferred"
    assert "control-plane=controller-manager" in collision["message"]
    assert collision["confirm"] == "kubectl get endpoints lws-webhook-service -n system -o wide"


def test_the_reverse_direction_and_an_older_go_wording_read_alike():
    # Kueue's own webhook answered by another operator's server (Go < 1.20: no `tls: failed
    # to verify certificate:` prefix), no describe pasted
    line = ['Error from server (InternalError): Internal error occurred: failed calling webhook '
            '"mjob.kb.io": failed to call webhook: Post "https://kueue-webhook-service.ops.svc:'
            '443/mutate-batch-v1-job?timeout=10s": x509: certificate is valid for '
            'training-operator-webhook.ops.svc, training-operator-webhook.ops.svc.cluster.local, '
            'not kueue-webhook-service.ops.svc']
    found = webhook_crossed.findings(line)
    assert [f["cause"] for f in found] == ["admission_webhook_denied"] * 2
    assert found[0]["object"]["name"] == "kueue-webhook-service"
    assert "training-operator-webhook" in found[1]["message"]


def test_other_certificate_failures_are_not_a_crossed_service():
    unknown_ca = ['failed calling webhook "mleaderworkerset.kb.io": failed to call webhook: Post '
                  '"https://lws-webhook-service.system.svc:443/mutate": tls: failed to verify '
                  'certificate: x509: certificate signed by unknown authority']
    assert webhook_crossed.findings(unknown_ca) == []
    own_name = ['failed calling webhook "mx.example.io": failed to call webhook: Post '
                '"https://x-webhook.ns.svc:443/m": x509: certificate is valid for '
                'x-webhook.other.svc, not x-webhook.ns.svc']
    # same Service name: a certificate for the wrong namespace, not another server's pods
    assert webhook_crossed.findings(own_name) == []


# --- kueue#7363 ----------------------------------------------------------------------------

PODSREADY_7363 = (
    '{"level":"error","ts":"2025-10-23T09:54:18.123509681Z","caller":"jobframework/reconciler.go:523",'
    '"msg":"Updating workload status","controller":"job","controllerGroup":"batch","controllerKind":'
    '"Job","Job":{"name":"k8s-job-20m-mxy","namespa\nce":"default"},"namespace":"default","name":'
    '"k8s-job-20m-mxy","reconcileID":"23c12b4b-786f-42f5-bd58-a10213f56e19","job":"default/k8s-job-'
    '20m-mxy","gvk":"batch/v1, Kind=Job","error":"Internal error occurred: failed calling webhook '
    '\\"vwork\nload.kb.io\\": Post \\"https://kueue-webhook-service.kueue-system.svc:443/validate-'
    'kueue-x-k8s-io-v1beta1-workload?timeout=10s\\": dial tcp 169.169.109.130:443: connect: '
    'connection refused","stacktrace":"sigs.k8s.io/kueue/pkg/controller/jobf\nramework.'
    '(*JobReconciler).ReconcileGenericJob"}\n\n'
    '{"level":"Level(-3)","ts":"2025-10-28T02:10:16.313011389Z","caller":"jobframework/reconciler.go:'
    '1447","msg":"Generating PodsReady condition","controller":"job","namespace":"default","name":'
    '"k8s-job-20m-mxy","job":"default/k8s-job-20m-mxy","gvk":"batch/v1, Kind=Job","Current '
    'PodsReady condition":"&Condition{Type:PodsReady,Status:False,ObservedGeneration:1,'
    'LastTransitionTime:2025-10-27 08:24:40 +0000 UTC,Reason:WaitForStart,Message:Not all pods '
    'are ready or succeeded,}","Pods are ready":true}\n')


def test_a_failed_podsready_write_leaves_the_condition_stale():
    top = _eviction(PODSREADY_7363)[0]
    assert top["cause"] == "pods_ready_misreported" and top["basis"] == "reported", top
    assert top["object"] == {"kind": "Job", "namespace": "default", "name": "k8s-job-20m-mxy"}
    assert any("vworkload.kb.io" in e for e in top["evidence"])
    assert any("still False" in e for e in top["evidence"])


def test_the_console_encoder_form_reads_alike():
    console = ['2024-03-01T10:00:00Z\tERROR\tUpdating workload status\t{"controller": "job", '
               '"job": "ml/train", "gvk": "kubeflow.org/v1, Kind=PyTorchJob", "error": '
               '"Operation cannot be fulfilled on workloads.kueue.x-k8s.io \\"pytorchjob-train-'
               '1\\": the object has been modified"}']
    found = pods_ready_write.findings(console)
    assert [f["cause"] for f in found] == ["pods_ready_misreported"]
    assert found[0]["object"] == {"kind": "PyTorchJob", "namespace": "ml", "name": "train"}


def test_other_writes_and_a_healthy_reading_are_not_a_stale_podsready():
    start_failure = ['{"level":"error","msg":"Updating workload status, on start failure",'
                     '"job":"ml/train","error":"conflict"}']
    reclaimable = ['{"level":"error","msg":"Updating reclaimable pods","job":"ml/train",'
                   '"error":"conflict"}']
    healthy = ['{"level":"Level(-3)","msg":"Generating PodsReady condition","job":"ml/train",'
               '"Current PodsReady condition":"&Condition{Type:PodsReady,Status:False,'
               'Reason:WaitForStart,}","Pods are ready":true}']
    for lines in (start_failure, reclaimable, healthy):
        assert pods_ready_write.findings(lines) == [], lines
