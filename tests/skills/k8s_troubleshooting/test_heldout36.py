"""Held-out round 36 (GPU pods and nodes): a container that cannot load the NVIDIA driver
libraries (no NVIDIA runtime, or the libraries off its path), CRI-O's container-create failure
from a failing OCI hook, and a node whose GPUs the device plugin does not advertise. Ground
truth: the threads named at each test (their pastes, verbatim)."""
from __future__ import annotations

import pytest

from .conftest import paste_causes as _causes
from .conftest import run_script


@pytest.mark.parametrize("text", [
    # NVIDIA/gpu-operator#143 (containerd default_runtime_name not nvidia): the device plugin
    "2021/02/11 01:32:29 Loading NVML\n2021/02/11 01:32:29 Failed to initialize NVML: could not "
    "load NVML library.\n2021/02/11 01:32:29 If this is a GPU node, did you set the docker "
    "default runtime to `nvidia`?\n",
    # vllm-project/vllm#23935 (GKE: the libraries off LD_LIBRARY_PATH)
    "DEBUG 08-29 04:29:54 [__init__.py:99] CUDA platform is not available because: NVML Shared "
    "Library Not Found\n",
])
def test_a_container_without_the_driver_libraries(text):
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "gpu_libraries_not_visible" and "runtimeClassName" in first["fix"]


@pytest.mark.parametrize("line", [
    # NVIDIA/gpu-operator#389 (a K80: no forward compatibility for a CUDA 11.6 image)
    "Failed to allocate device vector A (error code CUDA driver version is insufficient for CUDA "
    "runtime version)!\n",
    # NVIDIA/gpu-operator#277 (driver 450 under a newer CUDA validator)
    "Failed to allocate device vector A (error code forward compatibility was attempted on non "
    "supported HW)!\n",
])
def test_a_driver_older_than_the_image(line):
    res = run_script("explain_gpu_failure.py", "-f", "-", "--json", stdin=line)
    first = res.doc["findings"][0]
    assert first["cause"] == "gpu_driver_mismatch" and "runtimeClassName" in first["fix"]


def test_an_absent_driver_stays_the_driver():
    # NVML_ERROR_DRIVER_NOT_LOADED: the kernel module, not the container's libraries
    text = "nvidia-container-cli: initialization error: nvml error: driver not loaded\n"
    assert _causes("explain_gpu_failure.py", text)[0] == "gpu_driver_mismatch"


def test_crio_container_create_failed_by_a_hook():
    # opendatahub-io/distributed-workloads#271 (nvidia-container-toolkit#797)
    text = ('Error: container create failed: time="2024-11-12T14:03:56Z" level=error msg="runc '
            'create failed: unable to start container process: error during container init: '
            'error running hook #0: error running hook: exit status 1, stdout: , stderr: '
            'nvidia-container-cli.real: error parsing IMEX info: unsupported IMEX channel value: '
            'all"\n')
    assert _causes("triage.py", text) == ["container_start_failed"]


LEGACY_NODE = ("Capacity:\n alpha.kubernetes.io/nvidia-gpu:  1\n cpu:                             4\n"
               " memory:                          62879988Ki\n pods:                            "
               "110\nAllocatable:\n alpha.kubernetes.io/nvidia-gpu:  1\n cpu:                   "
               "          4\n memory:                          62777588Ki\n pods:              "
               "              110\n")


def test_a_node_with_legacy_gpus_and_no_device_plugin_resource():
    # NVIDIA/k8s-device-plugin#68 (a taint kept the plugin's DaemonSet off the node)
    res = run_script("triage.py", "-f", "-", "--json", stdin=LEGACY_NODE)
    first = res.doc["findings"][0]
    assert first["cause"] == "gpu_not_advertised" and first["object"]["kind"] == "Node"
    assert "taint" in first["fix"]


def test_a_node_that_advertises_its_gpus_is_not_that():
    text = LEGACY_NODE.replace("alpha.kubernetes.io/nvidia-gpu:  1", "nvidia.com/gpu:  1")
    assert "gpu_not_advertised" not in _causes("triage.py", text)


def test_a_describe_event_row_pasted_apart_from_its_job():
    # openkruise/kruise#1863 (fixed by #1864): the job's manifest, then the FailedCreatePod
    # row of `kubectl describe pytorchjob` in another fence
    text = ("```\napiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: "
            "pytorch-tcp-dist-mnist\nspec:\n  pytorchReplicaSpecs:\n    Master:\n      replicas: 1\n"
            "      restartPolicy: OnFailure\n      template:\n        spec:\n          containers:\n"
            "            - command: [\"/bin/sleep\", \"infinity\"]\n              image: "
            "busybox:latest\n              name: pytorch\n```\n2. describe PyTorchJob\n```\n"
            "  Warning  FailedCreatePod  108s (x17 over 7m15s)  pytorchjob-controller  Error "
            "creating: admission webhook \"mpod.kb.io\" denied the request: Internal error "
            "occurred: the spec replicas field \".spec.pytorchReplicaSpecs.Worker.replicas\" does "
            "not exist\n```\n")
    res = run_script("check_training.py", "-f", "-", "--json", stdin=text)
    first = res.doc["findings"][0]
    assert first["cause"] == "admission_webhook_denied"
    assert first["object"]["name"] == "pytorch-tcp-dist-mnist"
    assert first["evidence"][0].startswith("event FailedCreatePod")


@pytest.mark.parametrize("line, cause", [
    # Project-HAMi/HAMi#585: the container's vGPU memory share exhausted (CUresult 2)
    ("[HAMI-core ERROR (pid:7 thread=140360328144640 allocator.c:115)]: cuMemoryAllocate failed "
     "res=2\n", "cuda_out_of_memory"),
    # HAMi#1181 (fixed in v2.6.1): a used figure no GPU has, the counter wrapped below zero
    ("2. Applications fail with OOM errors: `[HAMI-core ERROR (pid:1 thread=140160828682240 "
     "allocator.c:53)]: Device 0 OOM 18446744073707737660 / 24146608128`\n",
     "vgpu_memory_accounting_bug"),
    ("[HAMI-core ERROR (pid:1 thread=1 allocator.c:53)]: Device 0 OOM 24000000000 / "
     "24146608128\n", "cuda_out_of_memory"),
])
def test_hami_vgpu_out_of_memory(line, cause):
    assert _causes("explain_gpu_failure.py", line)[0] == cause


def test_a_get_pods_row_refused_by_the_kubelet():
    # kubernetes/kubernetes#109663 (`kubectl get pod -o wide | grep`, STATUS NodeAffinity)
    text = ("[root@node-1 ~]# kubectl get pod -n ceph -o wide | grep ceph-rgw\n"
            "ceph-rgw-548fdf5fc5-2whgg          1/1     Running        0          4h25m   "
            "10.232.1.28   node-5   <none>           <none>\n"
            "ceph-rgw-548fdf5fc5-t5k8d          0/1     NodeAffinity   0          4h25m   "
            "<none>        node-5   <none>           <none>\n")
    assert _causes("triage.py", text) == ["kubelet_admission_rejected"]
