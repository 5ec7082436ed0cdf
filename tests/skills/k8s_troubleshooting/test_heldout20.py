"""Held-out round 20 (pods, nodes): the kubelet's own image-pull log lines, a program's fatal
log line as the only evidence of a crash, and the API server's validation refusal pasted as
the fault. Ground truth: the threads and upstream sources named in each test; the live
wordings of the refusal are checked against the real apiserver in
tests/live/test_validation_refusals_live.py."""
from __future__ import annotations

import pytest

from .conftest import run_script


def _findings(text: str) -> list[dict]:
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


# aws/amazon-vpc-cni-k8s#708 (Kubernetes 1.15, dockershim): the kubelet's journal, not an event
KUBELET_PULL_LOG = (
    '15542 kuberuntime_image.go:51] Pull image "602401143452.dkr.ecr.ap-southeast-1.amazonaws.'
    'com/amazon-k8s-cni:v1.5.3" failed: rpc error: code = Unknown desc = Error response from '
    'daemon: Get https://602401143452.dkr.ecr.ap-southeast-1.amazonaws.com/v2/amazon-k8s-cni/'
    'manifests/v1.5.3: no basic auth credentials')


@pytest.mark.parametrize("line", [
    KUBELET_PULL_LOG,
    # the CRI client's wording, klog (1.10-1.2x) and structured (k8s.io/cri-client v0.37.2
    # pkg/remote_image.go)
    'E0311 10:02:03.123456 1234 remote_image.go:113] PullImage "team/app:1.4.2" from image '
    'service failed: rpc error: code = Unknown desc = failed to pull and unpack image: '
    '401 Unauthorized',
    'E0311 10:02:03.123456 1234 log.go:32] "PullImage from image service failed" err="rpc '
    'error: code = NotFound desc = failed to pull and unpack image" image="team/app:1.4.2"',
])
def test_the_kubelets_own_pull_log_lines_are_image_pulls(line):
    found = _findings("system log message :\n```\n" + line + "\n```\n")
    assert [f["cause"] for f in found] == ["image_pull"], found


def test_a_registry_auth_refusal_names_the_nodes_identity_too():
    top = _findings(KUBELET_PULL_LOG)[0]
    assert "registry auth" in top["message"] and "node role" in top["fix"], top


# NVIDIA/gpu-operator#2060: the toolkit container's logrus lines; the operator's stale image
# override could not read containerd 2's config version 3 (fixed by dropping the override)
TOOLKIT_FATAL = """\
The newest gpu-operator 25.10.1 fails to run the nvidia-container-toolkit daemonset on those nodes because of:

```
time="2026-01-21T12:32:09Z" level=fatal msg="Error: unable to load config: unsupported config version: 3"
time="2026-01-21T12:32:09Z" level=info msg="Shutting Down"
```
"""


@pytest.mark.parametrize("text", [
    TOOLKIT_FATAL,
    # zap's JSON, klog's F line (exit 255), the Go runtime's panic (exit 2)
    '{"level":"fatal","ts":1700000000.1,"msg":"unable to load config: no such file"}\n',
    "F0102 15:04:05.000000       1 main.go:42] unable to load config: no such file\n",
    "panic: unable to load config: no such file\n\ngoroutine 1 [running]:\nmain.main()\n",
])
def test_a_programs_fatal_log_line_is_a_crash_with_its_reason(text):
    found = _findings(text)
    assert [f["cause"] for f in found] == ["crash_loop"], found
    assert "unable to load config" in found[0]["message"], found


def test_a_fatal_line_does_not_outrank_the_kubelets_verdict():
    found = _findings(TOOLKIT_FATAL + "\n  Warning  Failed  12s  kubelet  Failed to pull image "
                      '"nvcr.io/nvidia/k8s/container-toolkit:v1.14.6": not found\n')
    assert found[0]["cause"] == "image_pull", found


def test_a_fence_line_does_not_repeat_the_message_it_opens():
    top = _findings(TOOLKIT_FATAL)[0]
    assert not [e for e in top["evidence"] if e.startswith("also reported")], top


# kubernetes/kubernetes#112835 (1.24): a LimitRange's default cpu limit (10m) below the pod's
# request (700m); the LimitRanger fills the limit in, then validation refuses the pod
# (v1.37.2 pkg/apis/core/validation ValidateResourceRequirements; the 1.24 message had no
# " of LIMIT" yet)
LIMITRANGE_DEFAULT = ('Error from server (Invalid): error when creating "pod.yaml": Pod '
                      '"nginx-to-be-removed-4" is invalid: spec.containers[0].resources.requests: '
                      'Invalid value: "700m": must be less than or equal to cpu limit\n')


def test_a_validation_refusal_pasted_as_the_fault():
    top = _findings(LIMITRANGE_DEFAULT)[0]
    assert (top["cause"], top["object"]["kind"], top["object"]["name"]) == (
        "spec_invalid", "Pod", "nginx-to-be-removed-4"), top
    assert "LimitRange default" in top["fix"], top


def test_a_replicasets_failedcreate_for_an_invalid_pod_is_about_the_replicaset():
    # kubernetes pkg/controller/controller_utils.go: "Error creating: %v"
    row = ("5s  Warning  FailedCreate  replicaset/web-7d9f  Error creating: Pod \"web-7d9f-x2\" "
           "is invalid: spec.containers[0].resources.limits: Required value: Limit must be set "
           "for non overcommitable resources\n")
    top = _findings("LAST SEEN  TYPE  REASON  OBJECT  MESSAGE\n" + row)[0]
    assert (top["cause"], top["object"]["kind"], top["object"]["name"]) == (
        "spec_invalid", "ReplicaSet", "web-7d9f"), top
    assert "limits equal to requests" in top["fix"], top


# --- held-out round 21 ---------------------------------------------------------------------

def test_a_device_plugins_nvml_start_line_is_not_a_gpu_fault():
    # NVIDIA/k8s-device-plugin#13: the pasted log is the working manual run ("Loading NVML");
    # the fault is the DaemonSet pod's CrashLoopBackOff row (nvidia not the default runtime)
    found = _findings("> NAME                                   READY     STATUS             "
                      "RESTARTS   AGE\n> nvidia-device-plugin-daemonset-csjxw   0/1       "
                      "CrashLoopBackOff   12         39m\n\n> 2017/12/08 06:41:44 Loading NVML\n"
                      "> 2017/12/08 06:41:45 Registered device plugin with Kubelet\n")
    assert [f["cause"] for f in found] == ["crash_loop"], found
    failed = _findings("E0101 00:00:00.000000 1 main.go:9] Failed to initialize NVML: Unknown "
                       "Error\n")
    # NVML 'Unknown Error' is lost device access (nvidia-container-toolkit#48), its own cause
    assert [f["cause"] for f in failed] == ["gpu_device_access_lost"], failed


@pytest.mark.parametrize("line", [
    # NVIDIA/OpenShell#360 (k3s v1.35.2): v1.37.2 pkg/kubelet/apis/config/validation
    "causing kubelet to exit immediately with `kubelet is configured to not run on a host "
    "using cgroup v1`.",
    'E0101 00:00:00.000000 1 run.go:72] "command failed" err="failed to run Kubelet: running '
    'with swap on is not supported, please disable swap or set --fail-swap-on flag to false"',
])
def test_the_kubelets_exit_at_start_is_a_node_not_ready(line):
    top = _findings(line + "\n")[0]
    assert top["cause"] == "node_not_ready", top
    assert "exits at start" in top["message"], top


@pytest.mark.parametrize(("text", "cause"), [
    # arangodb/kube-arangodb#440: a lost node's pods kept by the operator's finalizer
    ("When a node is removed from a cluster, the finalisers for arangodb pods prevent "
     "rescheduling of said pods on other available nodes. Furthermore, the status of the "
     "affected pod does not get updated any more and it is listed with readiness `1/1` and "
     "status `Terminating`.\n", "stuck_terminating"),
    # kubeflow/kubeflow#5937: four nodes with one GPU each, a notebook asking for two
    ("I've got a cluster with 4 worker nodes, each with one GPU. When I try to create a "
     "notebook server in Kubeflow with more than 1 GPU I get an error insufficient resources: "
     "NVIDIA GPUs.\n", "unschedulable_insufficient"),
    # selkies-project/docker-selkies-egl-desktop#35: the affinity was a red herring
    ("Whenever I try to set the node affinity, the container gets stuck at the Pending "
     "status.\n\nEDIT: Fixed! My CPU requirements were too high which made it so that no node "
     "satisfied my requirements. Thank you!\n", "unschedulable_insufficient"),
    # ROCm/gpu-operator#23: required control-plane labels on a managed cluster
    ("When deploying the gpu-operator on a managed cluster the controller and webhook pods "
     "remain in pending.\n\nThe pods are unable to schedule because of the node affinity rules "
     "in the default values:\n```\n  nodeAffinity:\n    nodeSelectorTerms:\n      - key: "
     "node-role.kubernetes.io/control-plane\n        operator: Exists\n```\n",
     "unschedulable_affinity"),
])
def test_a_report_in_words(text, cause):
    found = _findings(text)
    assert [(f["cause"], f["basis"]) for f in found] == [(cause, "inferred")], found


def test_affinity_beside_pending_without_blame_is_not_read_as_the_cause():
    found = _findings("Whenever I try to set the node affinity, the container gets stuck at "
                      "the Pending status.\n")
    assert not [f for f in found if f["cause"] == "unschedulable_affinity"], found


# --- held-out round 22 ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "cause", "kind"), [
    # kelseyhightower/consul-on-kubernetes#33: the SecurityContextDeny admission plugin
    # (v1.29.0 plugin/pkg/admission/securitycontext/scdeny/admission.go)
    ('create Pod consul-0 in StatefulSet consul failed error: pods "consul-0" is forbidden: '
     "SecurityContext.FSGroup is forbidden .\n", "security_context_denied", "StatefulSet"),
    # fabric8io/fabric8#6827 (OpenShift 3.4): the ServiceAccount plugin's older wording
    ('Error creating: pods "jenkins-" is forbidden: service account default/fabric8 was not '
     "found, retry after the service account is created\n", "service_account_not_found", ""),
])
def test_older_admission_plugins_wordings(text, cause, kind):
    top = _findings(text)[0]
    assert top["cause"] == cause, top
    if kind:
        assert top["object"]["kind"] == kind, top


def test_capacity_exceeded_is_the_1_0_kubelets_refusal():
    # kubernetes/kubernetes#10928 (1.0): pods bound to a full node, refused by its kubelet
    rows = ("NAME                           READY     STATUS             RESTARTS   AGE\n"
            "monitoring-heapster-v6-0181q   0/1       CapacityExceeded   0          16h\n")
    assert _findings(rows)[0]["cause"] == "kubelet_admission_rejected"


def test_a_report_that_the_gpu_pods_lack_the_toleration():
    # Azure/AKS#1449: a GPU pool tainted nvidia.com/gpu=present:NoSchedule, and no
    # ExtendedResourceToleration admission plugin to add the toleration
    found = _findings("Pods using `nvidia.com/gpu` extended resources don't have the "
                      "`nvidia.com/gpu` toleration automatically added.\n")
    assert [(f["cause"], f["basis"]) for f in found] == [("unschedulable_taint", "inferred")]


# --- held-out round 23 ---------------------------------------------------------------------

# kubeflow/trainer#707 (2018 tf-operator, logrus text format): the apiserver refused the
# job's worker pods (no image); the log names the TFJob only in an event's ObjectReference
TF_OPERATOR_LOG = (
    'time="2018-06-29T17:28:23Z" level=info msg="Event(v1.ObjectReference{Kind:\\"TFJob\\", '
    'Namespace:\\"kubeflow\\", Name:\\"tensor2tensor-v1alpha2\\", UID:\\"81334a96\\", '
    'APIVersion:\\"kubeflow.org/v1alpha2\\", ResourceVersion:\\"326498\\", FieldPath:\\"\\"}): '
    "type: 'Warning' reason: 'SettedPodTemplateRestartPolicy' Restart policy in pod template "
    'will be overwritten by restart policy in replica spec" filename="record/event.go:218"\n'
    'time="2018-06-29T17:28:23Z" level=info msg="reconcilePods error Pod '
    '\\"tensor2tensor-v1alpha2-worker-0\\" is invalid: spec.containers[0].image: Required '
    'value" filename="controller.v2/controller.go:399"\n')


def test_a_text_format_operator_log_refusal_is_the_named_jobs():
    res = run_script("check_training.py", "-f", "-", "--json", stdin=TF_OPERATOR_LOG)
    assert res.code in (0, 1), res.err
    top = res.doc["findings"][0]
    assert (top["cause"], top["object"]["kind"], top["object"]["name"]) == (
        "training_invalid", "TFJob", "tensor2tensor-v1alpha2"), top
    assert any('is invalid: spec.containers[0].image: Required value"' in e
               for e in top["evidence"]), top


def test_a_text_refusal_with_two_jobs_named_is_not_guessed():
    other = TF_OPERATOR_LOG.splitlines()[0].replace("tensor2tensor-v1alpha2", "other-job")
    res = run_script("check_training.py", "-f", "-", "--json",
                     stdin=other + "\n" + TF_OPERATOR_LOG)
    assert res.code in (0, 1), res.err
    assert not [f for f in res.doc["findings"] if f["cause"] == "training_invalid"], res.doc


def test_a_deletion_that_hangs_is_stuck_terminating():
    # ray-project/ray#22505: the operator's finalizer held the RayCluster
    found = _findings("After executing `kubectl delete raycluster <raycluster-name>`, I see "
                      "that the command hangs. It looks like this is because Kubernetes "
                      "finalizers are preventing the deletion of the resource.\n")
    assert [(f["cause"], f["basis"]) for f in found] == [("stuck_terminating", "inferred")]


# --- held-out round 24 ---------------------------------------------------------------------

def test_the_autoscalers_max_node_group_size_is_a_capacity_shortage():
    # kubernetes/autoscaler#5692: the groups that match the pod are at their max size; the
    # 12 that do not match are other groups, not the pod's problem
    top = _findings('"pod didn\'t trigger scale-up: 12 node(s) didn\'t match Pod\'s node '
                    'affinity/selector, 3 max node group size reached."\n')[0]
    assert top["cause"] == "unschedulable_insufficient", top
    assert "raise the group's max" in top["fix"], top


def test_a_histogram_that_skips_the_pinned_node_is_a_scheduler_bug():
    # kubernetes/kubernetes#91601 (1.18.2): 13 nodes, 12 reasons, the DaemonSet's own node
    # never evaluated (fixed by #93355)
    row = ("  Warning  FailedScheduling  9s (x5 over 71s)  default-scheduler  0/13 nodes are "
           "available: 12 node(s) didn't match node selector.\n")
    top = _findings(row)[0]
    assert top["cause"] == "unschedulable_other" and "never evaluated" in top["message"], top
    # all 13 accounted for: the selector is the reason
    full = row.replace("12 node(s)", "13 node(s)")
    assert _findings(full)[0]["cause"] == "unschedulable_affinity"
    # the pinned node evaluated and refused for its own reason (a 1.24+ PreFilter narrowing):
    # that reason stands
    own = ("  Warning  FailedScheduling  9s  default-scheduler  0/13 nodes are available: 1 "
           "Insufficient cpu.\n")
    assert _findings(own)[0]["cause"] == "unschedulable_insufficient"


def test_a_pod_said_to_go_into_the_matchnodeselector_status():
    # kubernetes/kubernetes#69346: a 1.10 kubelet refused DaemonSet pods from a 1.12 control
    # plane (matchFields affinity it cannot read): the kubelet's admission, not the scheduler
    found = _findings("I upgraded a kubernetes cluster with an existing 1.10 node to 1.12. "
                      "Pods got scheduled and then went into the `MatchNodeSelector` status\n")
    assert found[0]["cause"] == "kubelet_admission_rejected", found


def test_a_pod_said_to_crash_with_an_error():
    # langfuse/langfuse-k8s#60: the web pod exits at start on a ClickHouse error (code 701,
    # "Requested cluster 'default' not found" with one replica)
    found = _findings("I'm deploying the helm chart with `clickhouse.replicaCount: 1`, and ran "
                      "into the web pod crashing with this error:\n```\nerror: failed to open "
                      "database: code: 701, message: Requested cluster 'default' not found\n```\n")
    assert [(f["cause"], f["basis"]) for f in found] == [("crash_loop", "inferred")], found
