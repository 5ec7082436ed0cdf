"""Stuck Terminating from text alone: namespaces (the namespace controller's conditions and log
line) and pods (finalizers; a node that is gone). Pastes are from the public threads named;
the expected blockers come from the conditions the namespace controller writes (kubernetes
v1.37.2 pkg/controller/namespace/deletion/status_condition_utils.go) and each thread's
resolution."""
from __future__ import annotations

import sys
from pathlib import Path

from .conftest import run_script

sys.path[:0] = [str(Path(__file__).resolve().parents[3] / "skills" / "_shared")]
from k8s_skillkit.loading import parse_paste


def triage_text(text: str):
    return run_script("triage.py", "-f", "-", "--json", stdin=text)


# kubeshop/kusk-gateway#599 (the rows the index kept), Kubernetes 1.24-era describe
KUSK = """kubectl describe ns kusk-system
Name:         kusk-system
Labels:       kubernetes.io/metadata.name=kusk-system
              name=kusk-system
Annotations:  <none>
Status:       Terminating
Conditions:
  Type                                         Status  LastTransitionTime               Reason                Message
  ----                                         ------  ------------------               ------                -------
  NamespaceDeletionDiscoveryFailure            False   Thu, 11 Aug 2022 00:02:46 +0200  ResourcesDiscovered   All resources successfully discovered
  NamespaceDeletionGroupVersionParsingFailure  False   Thu, 11 Aug 2022 00:02:46 +0200  ParsedGroupVersions   All legacy kube types successfully parsed
  NamespaceDeletionContentFailure              False   Thu, 11 Aug 2022 00:02:46 +0200  ContentDeleted        All content successfully deleted, may be waiting on finalization
  NamespaceContentRemaining                    True    Thu, 11 Aug 2022 00:02:46 +0200  SomeResourcesRemain   Some resources are remaining: staticroutes.gateway.kusk.io has 1 resource instances
"""

# aws/containers-roadmap#1006 (EKS 1.17): `kubectl get ns metrics -o yaml`
EKS_METRICS = """apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: "2020-07-18T09:31:50Z"
  deletionTimestamp: "2020-07-31T23:19:14Z"
  name: metrics
  resourceVersion: "3080934"
  selfLink: /api/v1/namespaces/metrics
  uid: 8bcddadc-f2b2-4073-a765-c27c88626690
spec:
  finalizers:
  - kubernetes
status:
  conditions:
  - lastTransitionTime: "2020-07-31T23:19:19Z"
    message: 'Discovery failed for some groups, 1 failing: unable to retrieve the
      complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently
      unable to handle the request'
    reason: DiscoveryFailed
    status: "True"
    type: NamespaceDeletionDiscoveryFailure
  - lastTransitionTime: "2020-07-31T23:19:19Z"
    message: All legacy kube types successfully parsed
    reason: ParsedGroupVersions
    status: "False"
    type: NamespaceDeletionGroupVersionParsingFailure
  - lastTransitionTime: "2020-07-31T23:19:19Z"
    message: All content successfully deleted, may be waiting on finalization
    reason: ContentDeleted
    status: "False"
    type: NamespaceDeletionContentFailure
  phase: Terminating
"""


def test_describe_namespace_is_read_with_its_conditions():
    dump = parse_paste(KUSK, "paste")
    ns = next(o for o in dump if o.get("kind") == "Namespace")
    assert ns["metadata"]["name"] == "kusk-system"
    assert ns["status"]["phase"] == "Terminating"
    remaining = next(c for c in ns["status"]["conditions"]
                     if c["type"] == "NamespaceContentRemaining")
    assert (remaining["status"], remaining["reason"]) == ("True", "SomeResourcesRemain")
    assert remaining["message"].endswith("staticroutes.gateway.kusk.io has 1 resource instances")
    assert remaining["lastTransitionTime"] == "2022-08-10T22:02:46Z"  # +0200 in UTC


def test_describe_namespace_content_remaining():
    res = triage_text(KUSK)
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("stuck_terminating", "reported")
    assert top["object"] == {"kind": "Namespace", "namespace": "", "name": "kusk-system"}
    assert "staticroutes.gateway.kusk.io" in top["message"]
    assert "kubectl get staticroutes.gateway.kusk.io -n kusk-system" in top["fix"]


def test_namespace_yaml_discovery_failure_names_the_apiservice():
    res = triage_text(EKS_METRICS)
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("stuck_terminating", "reported")
    assert "metrics.k8s.io/v1beta1" in top["message"]
    # an APIService is named <version>.<group> (kube-aggregator apiservice names)
    assert "kubectl delete apiservice v1beta1.metrics.k8s.io" in top["fix"]


def test_finalizers_remaining_condition_row():
    # kubeshop/kusk-gateway PR #1030: the row of `kubectl describe ns` it quotes
    res = triage_text("  NamespaceFinalizersRemaining                 True    Wed, 14 Dec 2022 "
                      "09:13:23 +0000  SomeFinalizersRemain  Some content in the namespace has "
                      "finalizers remaining: gateway.kusk.io/apifinalizer in 1 resource "
                      "instances, gateway.kusk.io/srfinalizer in 2 resource instances\n")
    top = res.doc["findings"][0]
    assert top["cause"] == "stuck_terminating"
    assert top["object"]["kind"] == "Namespace"
    assert "gateway.kusk.io/apifinalizer" in top["message"]
    assert "finalizers" in top["fix"]


def test_namespace_controller_log_line():
    # k3s-io/k3s#5946: the namespace controller's error, metrics-server down
    res = triage_text("Aug 03 10:51:55 susetest k3s[1878]: E0803 10:51:55.509313    1878 "
                      "namespace_controller.go:162] deletion of namespace helm-ns-413 failed: "
                      "unable to retrieve the complete list of server APIs: "
                      "metrics.k8s.io/v1beta1: the server is currently unable to handle the "
                      "request\n")
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert top["object"] == {"kind": "Namespace", "namespace": "", "name": "helm-ns-413"}
    assert "v1beta1.metrics.k8s.io" in top["fix"]


def test_terminating_namespace_without_conditions_is_inferred_with_a_confirm():
    # k3s-io/k3s#5133: the table and YAML the index kept (status cut off)
    res = triage_text("""kubectl get  ns test
NAME   STATUS        AGE
test   Terminating   46s
 kubectl get  ns test -o yaml
apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: "2022-02-25T22:48:19Z"
  deletionTimestamp: "2022-02-25T22:48:31Z"
  name: test
spec:
  finalizers:
  - kubernetes
""")
    found = [f for f in res.doc["findings"] if f["cause"] == "stuck_terminating"]
    assert len(found) == 1  # the table row and the YAML are one namespace
    assert found[0]["basis"] == "inferred"
    assert found[0]["confirm"] == "kubectl get namespace test -o jsonpath='{.status.conditions}'"


def test_pod_held_by_a_finalizer_with_elided_yaml():
    # flux-iac/tofu-controller#1291: the user elided fields with `...`
    res = triage_text("""Our tf-runner executes successfully but the pod get stuck in `Terminating` state. There is a finalizer attached

```
apiVersion: v1
kind: Pod
metadata:
  finalizers:
  - foregroundDeletion
  name: tf-runner
  namespace: foobar
  ...
...
```
""")
    top = res.doc["findings"][0]
    assert (top["cause"], top["object"]["name"]) == ("stuck_terminating", "tf-runner")
    assert "foregroundDeletion" in top["message"]


def test_pod_with_deletion_timestamp_and_finalizer():
    # kubernetes/kubernetes#65569 (comment of 2020-08-17), the fields the index kept
    res = triage_text("""apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2020-08-14T04:31:20Z"
  deletionGracePeriodSeconds: 0
  deletionTimestamp: "2020-08-17T03:01:04Z"
  finalizers:
  - foregroundDeletion
  generateName: webhook-test-79fbccfb66-
  name: webhook-test-79fbccfb66-abcde
  namespace: default
""")
    top = res.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("stuck_terminating", "reported")
    assert "metadata.deletionTimestamp: 2020-08-17T03:01:04Z" in top["evidence"]


def test_pod_on_a_lost_node():
    # the node lifecycle controller's marks (kubernetes v1.9.0-v1.17.0 pkg/util/node/node.go:
    # reason NodeLost, "Node %v which was running pod %v is unresponsive")
    res = triage_text("""apiVersion: v1
kind: Pod
metadata:
  deletionTimestamp: "2018-07-24T10:00:00Z"
  name: web-1
  namespace: default
spec:
  nodeName: node-3
status:
  phase: Running
  reason: NodeLost
  message: Node node-3 which was running pod web-1 is unresponsive
""")
    top = res.doc["findings"][0]
    assert top["cause"] == "stuck_terminating"
    assert "--grace-period=0 --force" in top["fix"]
