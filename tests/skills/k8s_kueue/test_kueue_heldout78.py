"""Held-out round 78 (Kueue): log noise about an API the cluster does not serve; the
controller's pod not running, in words, in a `kubectl get pods` row and in its events.

Ground truth:
- kubernetes-sigs/kueue#3496: Kueue v0.9.0 (k8s.io/apiserver v0.31.2, go.mod) on Kubernetes
  1.29 logs every ~30s `failed to list *v1.ValidatingAdmissionPolicy: the server could not
  find the requested resource` from its visibility server's admission plugin informers; fixed
  by #3908 (v0.9.3 #3977, v0.10.1 #3946: "prevents periodic error logging"). The reflector's
  wording: client-go v0.31.2 tools/cache/reflector.go:158 (`%s: Failed to watch %v: %v` via
  HandleError, "Unhandled Error") and :561 (`failed to list %v: %v`); client-go v0.37.2
  reflector.go:227 ("Failed to watch" with reflector= and type=) and :747; v0.29-era lines
  with a `pkg/mod/k8s.io/client-go@v0.28.4/tools/cache/reflector.go:229` name: kueue#1430,
  #2612. Kueue's visibility server runs flowcontrol V1 informers (k8s.io/apiserver v0.37.2
  pkg/util/flowcontrol/apf_controller.go:301).
- kubernetes-sigs/kueue#2612: `failed to list *v1beta1.ClusterQueue: the server could not find
  the requested resource (get clusterqueues.kueue.x-k8s.io)` after Kueue's CRDs were removed:
  Kueue's own kind, the controller's caches never sync (kueue_controller_down, messages.py).
- kubernetes-sigs/kueue#7210: the v0.13.6 manifest's image `registry.k8s.io/kueue/kueue:0.13.6`
  (no `v`): "Kueue controller pods fail due to `ImagePullBackoffError`"; the controller never
  ran. Kubelet wordings: pkg/kubelet/images/types.go:29-41 (ImagePullBackOff, ErrImagePull,
  InvalidImageName), images/image_manager.go:345 / :369 (`Back-off pulling image %q`,
  `Failed to pull image %q: %v`), kuberuntime/kuberuntime_container.go (`Error: %v`), v1.37.2.
"""
from __future__ import annotations

import pytest

from .test_kueue_heldout75 import _findings

# kueue#3496 (the reporter's lines, Kubernetes 1.29, Kueue v0.9.0)
VAP_NOISE = (
    "Every 30 seconds the kueue-controller-manager log contains the following stanza:\n\n"
    "W1111 18:40:52.560632       1 reflector.go:561] k8s.io/client-go/informers/factory.go:160: "
    "failed to list *v1.ValidatingAdmissionPolicy: the server could not find the requested "
    "resource\n"
    'E1111 18:40:52.560667       1 reflector.go:158] "Unhandled Error" err="k8s.io/client-go/'
    "informers/factory.go:160: Failed to watch *v1.ValidatingAdmissionPolicy: failed to list "
    '*v1.ValidatingAdmissionPolicy: the server could not find the requested resource" '
    'logger="UnhandledError"\n'
    "W1111 18:41:36.038435       1 reflector.go:561] k8s.io/client-go/informers/factory.go:160: "
    "failed to list *v1.ValidatingAdmissionPolicyBinding: the server could not find the "
    "requested resource\n")

# the same failure as client-go v0.32+ prints it (reflector.go:227@v0.37.2), for APF's informer
APF_NOISE_NEW = (
    "$ kubectl logs -n kueue-system deploy/kueue-controller-manager\n"
    'E0302 09:14:05.101010       1 reflector.go:227] "Failed to watch" err="failed to list '
    '*v1.FlowSchema: the server could not find the requested resource" logger="UnhandledError" '
    'reflector="k8s.io/client-go/informers/factory.go:160" type="*v1.FlowSchema"\n')

# ... and as client-go v0.28/v0.29 prints it (kueue#1430's line shape), a version since removed
APF_NOISE_OLD = (
    "kueue-controller-manager logs:\n"
    "W1208 15:30:36.007289       1 reflector.go:535] pkg/mod/k8s.io/client-go@v0.28.4/tools/"
    "cache/reflector.go:229: failed to list *v1beta3.PriorityLevelConfiguration: the server "
    "could not find the requested resource\n"
    "E1208 15:30:36.007354       1 reflector.go:147] pkg/mod/k8s.io/client-go@v0.28.4/tools/"
    "cache/reflector.go:229: Failed to watch *v1beta3.PriorityLevelConfiguration: failed to "
    "list *v1beta3.PriorityLevelConfiguration: the server could not find the requested "
    "resource\n")


def test_vap_informer_noise_is_a_kueue_bug_not_the_controller_down():
    found = _findings(VAP_NOISE)
    first = found[0]
    assert first["cause"] == "kueue_bug"
    assert first["severity"] == "warning"  # log noise: admission goes on
    assert first["basis"] == "reported"
    assert "*v1.ValidatingAdmissionPolicy" in first["message"]
    assert "v0.9.3" in first["fix"]
    assert not any(f["cause"] == "kueue_controller_down" for f in found)
    assert not any(f["cause"] == "not_evaluated" for f in found)


@pytest.mark.parametrize("paste,kind", [(APF_NOISE_NEW, "*v1.FlowSchema"),
                                        (APF_NOISE_OLD, "*v1beta3.PriorityLevelConfiguration")])
def test_other_client_go_wordings_and_kinds(paste, kind):
    first = _findings(paste)[0]
    assert first["cause"] == "kueue_bug"
    assert kind in first["message"]


def test_kueue_own_kind_not_served_stays_controller_down():
    # kueue#2612: Kueue's CRDs removed under a running manager: its caches never sync
    paste = ("kueue-controller-manager log:\n"
             "W0718 13:18:20.258376       1 reflector.go:539] pkg/mod/k8s.io/client-go@v0.29.5/"
             "tools/cache/reflector.go:229: failed to list *v1beta1.ClusterQueue: the server "
             "could not find the requested resource (get clusterqueues.kueue.x-k8s.io)\n")
    found = _findings(paste)
    assert found[0]["cause"] == "kueue_controller_down"
    assert not any(f["cause"] == "kueue_bug" for f in found)


def test_same_lines_from_another_component_are_not_kueue():
    # another aggregated API server logs the same words (cert-manager DNS webhooks)
    paste = VAP_NOISE.replace("kueue-controller-manager", "cert-manager-webhook-dns")
    assert not any(f["cause"] == "kueue_bug" for f in _findings(paste))


def test_forbidden_is_not_read_as_an_unserved_api():
    # kueue#1430: RBAC, not a version the server lacks
    paste = APF_NOISE_OLD.replace(
        "the server could not find the requested resource",
        'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io is forbidden: User '
        '"system:serviceaccount:kueue-system:kueue-controller-manager" cannot list resource')
    found = _findings(paste)
    assert not any("does not serve that API version" in f["message"] for f in found)
    # round 79: a refused list for Kueue's service account is Kueue's ClusterRole
    # (scripts/_kueue/rbac_denied.py, kueue#564)
    assert found[0]["object"]["kind"] == "ClusterRole"


def test_noise_ranks_after_the_controller_down():
    rows = ("NAME                                        READY   STATUS             RESTARTS   AGE\n"
            "kueue-controller-manager-6d8c5b7f9d-4xk2p   0/1     CrashLoopBackOff   5          "
            "3m\n\n")
    causes = [f["cause"] for f in _findings(rows + VAP_NOISE)]
    assert causes[0] == "kueue_controller_down"
    assert "kueue_bug" in causes


# kueue#7210, the reporter's sentence
PROSE_7210 = ("While using the new manifest with the 0.13.6 release, Kueue controller pods fail "
              "due to `ImagePullBackoffError`\n\n`image: registry.k8s.io/kueue/kueue:0.13.6`\n")


@pytest.mark.parametrize("paste", [
    PROSE_7210,
    "The kueue-controller-manager pod is stuck in ErrImagePull after the upgrade.",
    "kueue-controller-manager-7c9f8d6b5-x2x9k stays Pending since I installed Kueue.",
])
def test_controller_pod_not_running_in_words(paste):
    first = _findings(paste)[0]
    assert first["cause"] == "kueue_controller_down"
    assert first["basis"] == "inferred"
    assert first["object"]["kind"] == "Deployment"


@pytest.mark.parametrize("paste", [
    "Kueue admitted the job but its pods are stuck in ImagePullBackOff.",
    "The kueue-controller-manager log says the workload is Pending.",
    "Our kueue controller is running fine; the job pods are in ErrImagePull.",
])
def test_job_pods_in_words_are_not_the_controller(paste):
    assert not any(f["cause"] == "kueue_controller_down" for f in _findings(paste))


PODS_HEADER = "NAME                                        READY   STATUS    RESTARTS   AGE\n"


def test_controller_pod_pending_row_is_down():
    paste = PODS_HEADER + "kueue-controller-manager-6d8c5b7f9d-4xk2p   0/1     Pending   0   3m\n"
    first = _findings(paste)[0]
    assert first["cause"] == "kueue_controller_down"
    assert first["basis"] == "reported"
    assert any("Pending" in e for e in first["evidence"])


def test_pending_replica_beside_a_running_one_is_not_down():
    paste = (PODS_HEADER
             + "kueue-controller-manager-6d8c5b7f9d-4xk2p   0/1     Pending   0   3m\n"
             + "kueue-controller-manager-5b7f9d6d8c-9zz1q   1/1     Running   0   2d\n")
    assert not any(f["cause"] == "kueue_controller_down" for f in _findings(paste))


def test_kubelet_events_on_the_controller_pod():
    paste = (
        "LAST SEEN   TYPE      REASON    OBJECT                                          MESSAGE\n"
        "2m          Warning   Failed    pod/kueue-controller-manager-6d8c5b7f9d-4xk2p   Error: "
        "ErrImagePull\n"
        "1m          Normal    BackOff   pod/kueue-controller-manager-6d8c5b7f9d-4xk2p   Back-off "
        'pulling image "registry.example.com/mirror/kueue:v0.13.6"\n')
    first = _findings(paste)[0]
    assert first["cause"] == "kueue_controller_down"
    assert first["basis"] == "reported"
    assert any("ErrImagePull" in e for e in first["evidence"])


def test_kubelet_events_on_a_job_pod_are_not_the_controller():
    paste = (
        "LAST SEEN   TYPE      REASON    OBJECT                    MESSAGE\n"
        "2m          Warning   Failed    pod/train-job-0-abcde     Error: ErrImagePull\n"
        "1m          Normal    BackOff   pod/train-job-0-abcde     Back-off pulling image "
        '"registry.example.com/team/train:v1"\n')
    assert not any(f["cause"] == "kueue_controller_down" for f in _findings(paste))
