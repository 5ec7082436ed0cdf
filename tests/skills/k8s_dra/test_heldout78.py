"""Held-out round 78 (DRA).

1. nicolerenee/infra#2394: pods whose claims the GPU Operator-managed NVIDIA DRA driver
   prepared die at container init with runc's `failed to fulfil mount request: open
   /bin/nvidia-cuda-mps-control: no such file or directory`: the driver wrote claim CDI specs
   for driver root / while Talos keeps the driver under /usr/local (the author's revert PR)
   -> cdi_spec_incomplete. Sources: runc v1.3.0 libcontainer/process_linux.go:685 ("failed to
   fulfil mount request: %w") around mount_linux.go:329 (os.OpenFile of the bind source);
   runc v1.1.12 libcontainer/rootfs_linux.go:88,233 ("error mounting %q to rootfs at %q: %w"
   around os.Stat); containerd v2.1.4 internal/cri/opts/spec_linux_opts.go:109-117 creates a
   missing CRI hostPath, so the missing source is a CDI spec's; containerd's StartError reason
   (internal/cri/server/helpers.go:47).
2. ROCm/gpu-operator#533: the DRA driver DaemonSet's FailedCreate, `pods "<ds>-" is forbidden:
   error looking up service account ...: serviceaccount "..." not found` (OLM installs lack
   the SA) -> no_dra_drivers. Sources: kubernetes v1.37.2 pkg/controller/controller_utils.go:
   600 ("Error creating: %v"), plugin/pkg/admission/serviceaccount/admission.go:164,
   k8s.io/apiserver v0.37.2 pkg/admission/errors.go:45-46 (generateName as the name).
"""
from __future__ import annotations

import pytest

from _dra.messages import classify

from .test_dra_heldout import _findings

MOUNT = "failed to fulfil mount request: open /bin/nvidia-cuda-mps-control: no such file or directory"

CDI_PASTE = f"""Talos ships the NVIDIA driver at `/usr/local`.

on disk:  /bin/nvidia-cuda-mps-control            DOES NOT EXIST
          /usr/local/bin/nvidia-cuda-mps-control  exists

Any pod consuming an operator-generated spec dies at container init:

{MOUNT}
"""

# runc before 1.2 stats the source instead (runc v1.1.12 rootfs_linux.go:88,233), as
# kubectl describe pod prints the restarted container's last state
DESCRIBE_RUNC11 = """Name:             vllm-0
Namespace:        inference
Node:             gpu-1/10.0.0.5
Status:           Running
Containers:
  vllm:
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       StartError
      Message:      failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "/usr/bin/nvidia-smi" to rootfs at "/usr/bin/nvidia-smi": stat /usr/bin/nvidia-smi: no such file or directory: unknown
      Exit Code:    128
"""

POD_YAML = """apiVersion: v1
kind: Pod
metadata: {name: vllm-0, namespace: inference}
spec:
  nodeName: gpu-1
  containers:
  - name: vllm
    image: vllm:1
    resources: {claims: [{name: gpu}]}
  resourceClaims:
  - {name: gpu, resourceClaimTemplateName: gpu}
status:
  phase: Running
  containerStatuses:
  - name: vllm
    restartCount: 3
    state: {waiting: {reason: CrashLoopBackOff}}
    lastState:
      terminated:
        exitCode: 128
        reason: StartError
        message: 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: failed to fulfil mount request: open /usr/lib64/libnvidia-ml.so.1: no such file or directory: unknown'
"""


def test_missing_cdi_mount_source_is_an_unusable_spec():
    first = _findings(CDI_PASTE)[0]
    assert (first["cause"], first["basis"]) == ("cdi_spec_incomplete", "reported"), first
    assert "/bin/nvidia-cuda-mps-control" in first["message"]
    assert "driver root" in first["fix"]


@pytest.mark.parametrize("text", [DESCRIBE_RUNC11, POD_YAML])
def test_older_runc_wording_and_pod_status_forms(text):
    first = _findings(text)[0]
    assert (first["cause"], first["basis"]) == ("cdi_spec_incomplete", "reported"), first


@pytest.mark.parametrize("line", [
    # a subPath or volume under the kubelet's pod directory: the kubelet's, not a CDI spec's
    "failed to fulfil mount request: open /var/lib/kubelet/pods/7469f279-7f96-41a7-a0ba-"
    "dcf58367cfea/volume-subpaths/config/app/0: no such file or directory",
    "failed to fulfil mount request: open /data/kubelet/pods/7469f279-7f96-41a7-a0ba-"
    "dcf58367cfea/volumes/kubernetes.io~configmap/cfg: no such file or directory",
    # a configmap directory mounted onto a file: not a missing source
    "failed to fulfil mount request: open /etc/app/config.yaml: not a directory",
])
def test_kubelet_paths_and_other_mount_errors_are_not_cdi(line):
    assert "cdi_spec_incomplete" not in [m.cause for m in classify(line)]


SA_MISSING = ('Error creating: pods "amdgpu-driver-install-dra-driver-" is forbidden: error '
              'looking up service account openshift-amd-gpu/amd-gpu-operator-dra-driver: '
              'serviceaccount "amd-gpu-operator-dra-driver" not found\n')

# the daemonset controller's own log (kube-controller-manager, the form of test-infra#35233)
# refused by PodSecurity admission
KCM_PSA = ('E0728 08:53:49.846921      12 daemon_controller.go:1035] "Unhandled Error" err="pods '
           '\\"dra-example-driver-kubeletplugin-\\" is forbidden: violates PodSecurity '
           '\\"baseline:latest\\": hostPath volumes (volumes \\"plugins-registry\\", \\"plugins'
           '\\")" logger="UnhandledError"\n')

DS_EVENTS = """Events:
  Type     Reason        Age                  From                  Message
  ----     ------        ----                 ----                  -------
  Warning  FailedCreate  3m (x17 over 25m)    daemonset-controller  Error creating: pods "nvidia-dra-driver-gpu-kubelet-plugin-" is forbidden: exceeded quota: pods-quota, requested: pods=1, used: pods=10, limited: pods=10
"""


@pytest.mark.parametrize("script", ["check_dra.py", "explain_claim.py"])
def test_driver_daemonset_that_cannot_create_pods_runs_no_driver(script):
    first = _findings("When installed via OLM, enabling the DRA driver fails.\n\n" + SA_MISSING,
                      script)[0]
    assert (first["cause"], first["basis"]) == ("no_dra_drivers", "reported"), first
    assert "serviceaccount" in first["message"] and "service account" in first["fix"]


@pytest.mark.parametrize("text", [KCM_PSA, DS_EVENTS])
def test_other_refusals_and_forms_of_the_driver_daemonset(text):
    first = _findings(text, "check_dra.py")[0]
    assert (first["cause"], first["basis"]) == ("no_dra_drivers", "reported"), first


@pytest.mark.parametrize("line", [
    # a workload's pods refused: not a driver
    'Error creating: pods "train-job-" is forbidden: exceeded quota: gpu-quota',
    # the driver's controller and webhook publish no devices: their pods are not the plugin's
    'Error creating: pods "nvidia-dra-driver-gpu-controller-" is forbidden: error looking up '
    'service account nvidia-dra-driver-gpu/x: serviceaccount "x" not found',
    'Error creating: pods "dra-example-driver-webhook-" is forbidden: exceeded quota: q',
    # "dra" inside another word
    'Error creating: pods "cassandra-driver-" is forbidden: exceeded quota: q',
])
def test_other_pods_refused_are_not_a_missing_driver(line):
    assert "no_dra_drivers" not in [m.cause for m in classify(line)]
