"""Held-out round 49: AMD's ROCm device plugin silent after start-up, and a CSI driver that
cannot create the volume. Ground truth: ROCm/k8s-device-plugin cmd/k8s-device-plugin/main.go
(the plugin lists its gpu resource only after os.Stat("/sys/class/kfd") succeeds, and logs
nothing otherwise) and siderolabs/extensions#307 (a Talos kernel without KFD, fixed in
siderolabs/pkgs#893); aws-ebs-csi-driver pkg/driver/controller.go ("Could not create volume
%q: %v") and kubernetes-sigs/aws-ebs-csi-driver#440 (ec2:DescribeAvailabilityZones not allowed:
the claim stays Pending until the permission is granted)."""
from __future__ import annotations

from .conftest import paste_causes as _causes
from .conftest import first_finding

AMD = ("I0127 18:29:58.101908       1 main.go:305] AMD GPU device plugin for Kubernetes\n"
       "I0127 18:29:58.101961       1 main.go:305] ./k8s-device-plugin version v1.25.2.7\n"
       "I0127 18:29:58.101971       1 manager.go:42] Starting device plugin manager\n")
CSI = ('E0115 16:19:15.806968       1 driver.go:85] GRPC error: rpc error: code = Internal desc '
       '= Could not create volume "pvc-c7299ee0": failed to get availability zone '
       'UnauthorizedOperation: You are not authorized to perform this operation.\n')


def test_an_amd_plugin_silent_after_its_start_advertises_nothing():
    first = first_finding("explain_gpu_failure.py", AMD)
    assert first["cause"] == "gpu_not_advertised", first
    assert first["basis"] == "inferred" and "/sys/class/kfd" in first["confirm"]


def test_an_amd_plugin_that_goes_on_is_not_read_as_silent():
    text = AMD + "I0127 18:29:59.000000       1 manager.go:85] Registering plugin gpu\n"
    assert "gpu_not_advertised" not in _causes("explain_gpu_failure.py", text)


def test_a_csi_driver_that_cannot_create_the_volume_keeps_the_claim_pending():
    first = first_finding("triage.py", CSI)
    assert first["cause"] == "pvc_pending", first
    assert "permission" in first["fix"]
    assert _causes("triage.py", CSI)[0] == "pvc_pending"
