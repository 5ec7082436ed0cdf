"""Held-out round 70 (pods-nodes GPU, network). Expected values come from the upstream source or
the public thread named at each test, never from the scripts:

- NCCL's NVLS bind failure names the system: `Failed to bind NVLink SHARP (NVLS) Multicast memory
  of size %ld : CUDA error %d '%s'.\\nThis is usually caused by a system or configuration error
  in the Fabric Manager or NVSwitches.` (NVIDIA/nccl src/transport/nvls.cc v2.27.3-1:284,
  v2.29.7-1:287, v2.30.7-1:376); pytorch/ci-infra#541: the Fabric Manager was not running on the
  H100 nodes (gpu_fabric_manager_not_running, references/gpu-training.md). v2.27-v2.28 print the
  same words at INFO with "Proceeding without NVLS support." (nvls.cc v2.27.3-1:288) and go on:
  no fault. Before v2.27 the failure is CUCHECK's bare `Cuda failure %d '%s'` at an nvls.cc
  line (src/include/cudawrap.h v2.19.3-1), which NCCL's maintainers read as the Fabric Manager
  restarted without a GPU reset (NVIDIA/nccl-tests#276, NVIDIA/nccl#1338): inferred.
- c10d's "The {IPv6 }network addresses of ({}, {}) cannot be retrieved (gai error: {} - {})." is
  recorded at WARNING inside SocketConnectOp::tryConnect's retry loop; only the deadline ends it,
  at ERROR: "The client socket has timed out after {} while trying to connect to ({}, {})."
  (torch/csrc/distributed/c10d/socket.cpp, pytorch/pytorch@8cf1b8e3). kubernetes-sigs/jobset#93:
  the warning alone while the peers' pods started, training succeeded (no fault).
- CoreDNS's logger prints "[FATAL] " and calls os.Exit(1) (coredns plugin/pkg/log/log.go
  v1.2.2:72, v1.14.7:94); the loop plugin's `Seen "HINFO IN %s" more than twice, loop detected`
  (plugin/loop/loop.go v1.2.2:52) and `Loop (%s -> %s) detected for zone %q, ...` (v1.14.7:53):
  the container exits and restarts (crash_loop); its README (v1.14.7 plugin/loop/README.md:62-90)
  names the node's resolv.conf pointing at a local stub (systemd-resolved's 127.0.0.53) and the
  kubelet's resolvConf as the fix (coredns/coredns#2087).
"""
from __future__ import annotations

from .conftest import paste_findings, loud as _loud


# --- NCCL NVLS multicast bind: the Fabric Manager ---------------------------------------------
# pytorch/ci-infra#541 as quoted in the PR (NCCL 2.29.7, the WARN's three lines)
NVLS_PR_QUOTE = """\
Failed to bind NVLink SHARP (NVLS) Multicast memory of size 2097152:
CUDA error 401 'the operation cannot be performed in the present state'.
This is usually caused by a system or configuration error in the Fabric Manager or NVSwitches.
"""

# PyTorch's DistBackendError quoting it after "Last error:" (pytorch/pytorch#177472, NCCL 2.29.3)
NVLS_TORCH = """\
torch.distributed.DistBackendError: NCCL error in: /var/lib/jenkins/workspace/torch/csrc/distributed/c10d/NCCLUtils.cpp:93, unhandled cuda error (run with NCCL_DEBUG=INFO for details), NCCL version 2.29.3
ncclUnhandledCudaError: Call to CUDA function failed.
Last error:
Failed to bind NVLink SHARP (NVLS) Multicast memory of size 4194304 : CUDA error 401 'the operation cannot be performed in the present state'.
This is usually caused by a system or configuration error in the Fabric Manager or NVSwitches.
Disable NVLS (NCCL_NVLS_ENABLE=0) if you wish to avoid this error in the future.
"""

# NCCL 2.26.2's bare CUCHECK at nvls.cc (NVIDIA/nccl#1788's log form)
NVLS_OLD = """\
[2025-07-21 19:05:29] gpu-node-3:27907:27907 [1] transport/nvls.cc:254 NCCL WARN Cuda failure 401 'the operation cannot be performed in the present state'
gpu-node-3:27907:27907 [1] NCCL INFO transport/nvls.cc:409 -> 1
gpu-node-3:27907:27907 [1] NCCL INFO init.cc:1157 -> 1
"""

# NCCL 2.27's INFO form (NVLS not forced: it goes on without NVLS) and the support line
NVLS_INFO = """\
trainer-0:311:402 [0] NCCL INFO NVLS multicast support is not available on dev 0
trainer-0:311:402 [0] NCCL INFO Failed to bind NVLink SHARP (NVLS) Multicast memory of size 1048576 : CUDA error 1 'invalid argument'. Proceeding without NVLS support.
trainer-0:311:402 [0] NCCL INFO Connected all rings
"""


def test_nvls_bind_quote_is_fabric_manager_reported():
    found = paste_findings("check_training.py", NVLS_PR_QUOTE)
    assert found[0]["cause"] == "gpu_fabric_manager_not_running"
    assert found[0]["severity"] == "error" and found[0]["basis"] == "reported"


def test_nvls_bind_inside_torch_error_is_not_a_generic_cuda_error():
    found = paste_findings("explain_gpu_failure.py", NVLS_TORCH)
    causes = [f["cause"] for f in found]
    assert causes[0] == "gpu_fabric_manager_not_running"
    assert "nccl_cuda_error" not in causes  # the "unhandled cuda error" is that bind


def test_nvls_cuda_failure_before_2_27_is_inferred_fabric_manager():
    found = paste_findings("explain_gpu_failure.py", NVLS_OLD)
    assert found[0]["cause"] == "gpu_fabric_manager_not_running"
    assert found[0]["basis"] == "inferred" and "Fabric" in found[0]["confirm"]


def test_nvls_info_lines_stay_silent():
    for script in ("explain_gpu_failure.py", "check_training.py"):
        found = paste_findings(script, NVLS_INFO)
        assert not _loud(found), found
        assert "gpu_fabric_manager_not_running" not in [f["cause"] for f in found]


def test_nvls_out_of_memory_is_gpu_memory_not_fabric():
    text = NVLS_OLD.replace("401 'the operation cannot be performed in the present state'",
                            "2 'out of memory'")
    causes = [f["cause"] for f in paste_findings("explain_gpu_failure.py", text)]
    assert "gpu_fabric_manager_not_running" not in causes


# --- c10d's W-level retry vs a rendezvous that failed -----------------------------------------
# kubernetes-sigs/jobset#93 as pasted (torch 2.0's `[W file:line]` prefix)
GAI_WARNING = ("[W socket.cpp:558] [c10d] The IPv6 network addresses of "
               "(pytorch-workers-0-0.pytorch-workers, 3389) cannot be retrieved (gai error: -2 - "
               "Name or service not known).\n")

# torch 2.4+'s glog-style prefix, IPv4, another gai error, repeated while the peers start
GAI_GLOG = """\
[W1016 10:23:45.410385425 socket.cpp:752] [c10d] The IPv4 network addresses of (trainer-master-0.trainer, 29500) cannot be retrieved (gai error: -3 - Temporary failure in name resolution).
[W1016 10:23:46.512113202 socket.cpp:752] [c10d] The IPv4 network addresses of (trainer-master-0.trainer, 29500) cannot be retrieved (gai error: -3 - Temporary failure in name resolution).
epoch 0 step 10 loss 2.913
"""

# the same warnings, then the deadline: throwTimeoutError at ERROR and the exception
GAI_TIMED_OUT = GAI_GLOG.replace("epoch 0 step 10 loss 2.913\n", """\
[E1016 10:53:45.410385425 socket.cpp:1019] [c10d] The client socket has timed out after 1800000ms while trying to connect to (trainer-master-0.trainer, 29500).
torch.distributed.DistNetworkError: The client socket has timed out after 1800000ms while trying to connect to (trainer-master-0.trainer, 29500).
""")


def test_gai_warning_alone_is_no_fault():
    found = paste_findings("check_training.py", GAI_WARNING)
    assert not _loud(found), found
    assert found and found[0]["severity"] == "info"


def test_gai_warnings_in_glog_form_while_training_runs_are_no_fault():
    assert not _loud(paste_findings("explain_gpu_failure.py", GAI_GLOG))


def test_gai_warnings_then_timeout_are_master_not_ready():
    found = paste_findings("explain_gpu_failure.py", GAI_TIMED_OUT)
    assert found[0]["cause"] == "master_not_ready" and found[0]["severity"] == "error"


# --- a container log ending at fatal level: the container exits ------------------------------
# coredns/coredns#2087 as pasted (CoreDNS 1.2.2)
COREDNS_LOOP_122 = """\
node1 ➜  kubectl logs coredns-55f86bf584-7sbtj -n kube-system
.:53
2018/09/06 13:02:45 [INFO] CoreDNS-1.2.2
2018/09/06 13:02:45 [INFO] linux/amd64, go1.11, eb51e8b
CoreDNS-1.2.2
linux/amd64, go1.11, eb51e8b
2018/09/06 13:02:45 [INFO] plugin/reload: Running configuration MD5 = 86e5222d14b17c8b907970f002198e96
2018/09/06 13:02:45 [FATAL] plugin/loop: Seen "HINFO IN 2050421060481615995.5620656063561519376." more than twice, loop detected
"""

# the later wording, without a stamp (plugin/loop/README.md v1.14.7:41)
COREDNS_LOOP_NEW = """\
$ kubectl -n kube-system logs coredns-7db6d8ff4d-abcde
.:53
[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5
CoreDNS-1.11.1
linux/amd64, go1.20.7, ae2bbc2
[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."
"""

# another CoreDNS Fatalf (plugin/metrics/metrics.go v1.14.7:63): a crash, not a DNS loop
COREDNS_OTHER_FATAL = """\
$ kubectl -n kube-system logs coredns-7db6d8ff4d-abcde
.:53
[FATAL] plugin/metrics: Cannot register metrics collector: duplicate metrics collector registration attempted
"""

# [ERROR] lines (coredns plugin/errors) and normal lines after them: the server keeps running
COREDNS_ERRORS = """\
$ kubectl -n kube-system logs coredns-7db6d8ff4d-abcde
.:53
[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5
[ERROR] plugin/errors: 2 example.org. A: read udp 10.244.0.5:43120->8.8.8.8:53: i/o timeout
[INFO] 10.244.1.7:51423 - 1234 "A IN example.org. udp 29 false 512" NOERROR qr,rd,ra 45 0.0123s
"""


def test_coredns_loop_fatal_is_crash_loop_with_the_resolv_conf_fix():
    for text in (COREDNS_LOOP_122, COREDNS_LOOP_NEW):
        found = paste_findings("triage.py", text)
        assert found[0]["cause"] == "crash_loop" and found[0]["basis"] == "reported"
        assert "loop" in found[0]["message"] and "resolv" in found[0]["fix"].lower()


def test_other_fatal_is_crash_loop_without_the_dns_loop_reading():
    found = paste_findings("triage.py", COREDNS_OTHER_FATAL)
    assert found[0]["cause"] == "crash_loop"
    assert "Cannot register metrics collector" in found[0]["message"]
    assert "resolv" not in found[0]["fix"].lower()


def test_error_lines_followed_by_normal_lines_do_not_crash():
    found = paste_findings("triage.py", COREDNS_ERRORS)
    assert "crash_loop" not in [f["cause"] for f in found]
    assert not _loud(found), found
