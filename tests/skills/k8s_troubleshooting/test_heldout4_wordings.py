"""Wordings the fourth held-out round showed triage did not read (threads named in each test;
expected values from the upstream source cited in references/messages.md or the thread's
resolution, never from the script's output)."""
from __future__ import annotations

import json

import pytest

from .conftest import run_script


def _top(paste: str) -> dict:
    res = run_script("triage.py", "-f", "-", "--json", stdin=paste)
    assert res.code == 1, (res.code, res.err)
    return res.doc["findings"][0]


# pkg/kubelet/kuberuntime/security_context*.go verifyRunAsNonRoot, kubernetes v1.5.0..v1.37.2
NON_ROOT = [
    # v1.5.0..v1.19.0 wording, as the kubelet's Failed event prints it
    "  Warning  Failed     5s (x3 over 37s)  kubelet, ab58d759  Error: container has "
    "runAsNonRoot and image will run as root",
    # v1.2x..v1.37.2: the pod and container appended (kOlapsis/maintenant#17, 1.33 field path)
    'spec.containers{maintenant}: Error: container has runAsNonRoot and image will run as root '
    '(pod: "maintenant-64ccb9645d-kfrwr_default(d13d1d45-a6e3-4298-9062-c8b886441629)", '
    "container: maintenant)",
    "  Warning  Failed  3s (x2 over 4s)  kubelet  Error: container has runAsNonRoot and image "
    "has non-numeric user (nginx), cannot verify user is non-root",
    "  Warning  Failed  3s  kubelet  Error: container's runAsUser breaks non-root policy",
]


@pytest.mark.parametrize("line", NON_ROOT)
def test_run_as_non_root_refusal_is_not_a_missing_configmap(line):
    top = _top(line + "\n")
    assert (top["cause"], top["basis"]) == ("run_as_non_root", "reported")
    assert "runAsUser" in top["fix"] or "USER" in top["fix"]


def test_the_kubelet_names_the_pod_in_its_message():
    # since 1.2x the kubelet appends (pod: "NAME_NAMESPACE(UID)", container: C) (format.Pod);
    # with the pods' table beside it, the refusal and the row are one pod's
    # (tektoncd/pipelines-as-code#1003)
    top = _top("web-5dbd46fcf5-zsbn4   0/1   CreateContainerConfigError   0     8m49s\n"
               "Warning  Failed  7m33s (x8 over 9m4s)  kubelet  Error: container has runAsNonRoot"
               ' and image will run as root (pod: "web-5dbd46fcf5-zsbn4_pac(d5a40aa3)", '
               "container: pac-controller)\n")
    assert (top["cause"], top["object"]["name"]) == ("run_as_non_root", "web-5dbd46fcf5-zsbn4")


def test_run_as_non_root_in_a_pod_status_dump():
    # the kubelet puts the same message in the waiting state (reason CreateContainerConfigError,
    # pkg/kubelet/kuberuntime/kuberuntime_container.go ErrCreateContainerConfig)
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "edge-0", "namespace": "apps"},
           "spec": {"nodeName": "n1", "containers": [{"name": "edge", "image": "x:1"}]},
           "status": {"phase": "Pending", "containerStatuses": [{
               "name": "edge", "ready": False, "restartCount": 0, "image": "x:1",
               "state": {"waiting": {"reason": "CreateContainerConfigError", "message":
                                     "container has runAsNonRoot and image will run as root "
                                     '(pod: "edge-0_apps(1)", container: edge)'}}}]}}
    res = run_script("triage.py", "-f", "-", "--json", stdin=json.dumps(pod))
    assert res.code == 1, res.err
    assert res.doc["findings"][0]["cause"] == "run_as_non_root"


@pytest.mark.parametrize("line", [
    # v1.9.0..v1.24 pkg/kubelet/eviction/eviction_manager.go Admit (kubernetes/minikube#7073)
    "W0317 12:44:49.953485    2278 eviction_manager.go:159] Failed to admit pod "
    "kindnet-z7vcs_kube-system(d228d315-f1c8-46ea-86ba-a8750c9686cb) - node has conditions: "
    "[DiskPressure]",
    # v1.25.0 structured form of the same line
    'I1002 10:00:00.000000    812 eviction_manager.go:169] "Failed to admit pod to node" '
    'pod="kube-system/kindnet-z7vcs" nodeCondition=[DiskPressure]',
])
def test_kubelet_refusing_pods_under_pressure_is_node_pressure(line):
    assert _top(line + "\n")["cause"] == "node_pressure"


def test_get_pods_unknown_is_a_deletion_on_a_lost_node():
    # kubectl prints STATUS Unknown only for deletionTimestamp + reason NodeLost (kubernetes
    # v1.11.0..v1.37.2 pkg/printers/internalversion/printers.go); kubernetes/kubernetes#66125
    top = _top("NAME                                   READY     STATUS    RESTARTS   AGE\n"
               "kubernetes-dashboard-db4db8c77-4qqvm   1/1       Unknown   0          3h\n")
    assert (top["cause"], top["object"]["name"]) == ("stuck_terminating",
                                                     "kubernetes-dashboard-db4db8c77-4qqvm")
    assert "--force" in top["fix"] and "delete node" in top["fix"]


ADMISSION = [
    # LimitRanger, v1.5.0 limitranger/admission.go; a 1.5 `describe rs` events table
    # (zalando-incubator/kubernetes-on-aws#278)
    ("Name:\t\thjacobs-test-1668339668\nNamespace:\tdefault\nReplicas:\t0 current / 2 desired\n"
     "Pods Status:\t0 Running / 0 Waiting / 0 Succeeded / 0 Failed\nEvents:\n"
     "  FirstSeen\tLastSeen\tCount\tFrom\t\t\t\tSubObjectPath\tType\t\tReason\t\tMessage\n"
     "  1m\t\t21s\t\t26\t{replicaset-controller }\t\t\tWarning\t\tFailedCreate\tError creating:"
     ' pods "hjacobs-test-1668339668-" is forbidden: maximum cpu usage per Container is 16, '
     "but request is 17.\n", "limit_range_violation", ("ReplicaSet", "hjacobs-test-1668339668")),
    # ResourceQuota, v1.9.0+ resourcequota/controller.go; the StatefulSet controller's event
    # (hmcts/cnp-flux-config#13765)
    ("39m  Warning  FailedCreate  statefulset/es-master  create Pod es-master-0 in StatefulSet "
     'es-master failed error: pods "es-master-0" is forbidden: failed quota: fpl-quota: must '
     "specify requests.cpu,requests.memory\n", "quota_requires_limits",
     ("StatefulSet", "es-master")),
    ('5m  Warning  FailedCreate  replicaset/web-5d8f  Error creating: pods "web-5d8f-x7k2p" is '
     "forbidden: exceeded quota: compute, requested: limits.cpu=2, used: limits.cpu=8, limited: "
     "limits.cpu=8\n", "quota_exceeded", ("ReplicaSet", "web-5d8f")),
    # Pod Security admission, k8s.io/pod-security-admission policy/check_capabilities_restricted
    # .go ForbiddenReason "unrestricted capabilities" first (tektoncd/triggers#1477)
    ("tekton-pipelines  25m  Warning  FailedCreate  replicaset/tekton-triggers-controller-78875"
     '  Error creating: pods "tekton-triggers-controller-78875-74px6" is forbidden: violates '
     'PodSecurity "restricted:latest": unrestricted capabilities (container "c" must set '
     'securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "c" '
     "must set securityContext.runAsNonRoot=true)\n", "capabilities_not_dropped",
     ("ReplicaSet", "tekton-triggers-controller-78875")),
    # PodSecurityPolicy, v1.19.0 podsecuritypolicy/admission.go (alphagov/govuk-helm-charts#394)
    ("Warning  FailedCreate  0s (x13 over 21s)  replicaset-controller  Error creating: pods "
     '"nginx-hostnetwork-deployment-76c46fdb6-" is forbidden: PodSecurityPolicy: unable to admit'
     " pod: [spec.securityContext.hostNetwork: Invalid value: true: Host network is not allowed "
     "to be used]\n", "pod_security_policy_denied", None),
]


@pytest.mark.parametrize("paste,cause,owner", ADMISSION)
def test_admission_refusals_in_controller_events(paste, cause, owner):
    top = _top(paste)
    assert (top["cause"], top["basis"]) == (cause, "reported")
    if owner:
        assert (top["object"]["kind"], top["object"]["name"]) == owner


def test_controller_failedcreate_event_in_a_dump():
    events = {"apiVersion": "v1", "kind": "List", "items": [{
        "apiVersion": "v1", "kind": "Event", "metadata": {"name": "e1", "namespace": "kube-system"},
        "involvedObject": {"kind": "ReplicaSet", "name": "coredns-546565776c",
                           "namespace": "kube-system"},
        "reason": "FailedCreate", "type": "Warning",
        "message": 'Error creating: pods "coredns-546565776c-dhbcc" is forbidden: minimum memory '
                   "usage per Container is 90Mi, but request is 70Mi"}]}
    res = run_script("triage.py", "-f", "-", "--json", stdin=json.dumps(events))
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert (top["cause"], top["object"]["kind"]) == ("limit_range_violation", "ReplicaSet")
