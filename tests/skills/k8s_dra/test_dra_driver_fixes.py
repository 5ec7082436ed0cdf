"""The driver wordings whose cause is shared with others get the fix for their own failure
(each message below is the upstream wording filled in; the file:line is in its pattern's
source, references/messages.md)."""
from __future__ import annotations

import pytest

from tests.skill_scripts import ROOT
from tests.skills.catalogue_forms import load_main, run_main

EXPLAIN = ROOT / "skills" / "k8s-dra" / "scripts" / "explain_claim.py"


@pytest.fixture(scope="module")
def explain():
    return load_main(EXPLAIN)


@pytest.mark.parametrize("message, cause, words", [
    # dra-driver-nvidia-gpu v0.4.1 cmd/compute-domain-daemon/cdstatus.go:326 via
    # pkg/workqueue/workqueue.go:171: the limit is the controller's flag
    ("I1203 09:48:00.000000 1 workqueue.go:171] Reconcile: CD update: failed to insert/update "
     "node info in CD: error getting next available index: no available indices within "
     "maxNodesPerIMEXDomain (18) for cliqueID 5f1e.1 (attempt 7)",
     "driver_prepare_failed", "--max-nodes-per-imex-domain"),
    # v0.4.1 cmd/compute-domain-kubelet-plugin/device_state.go:648: a permanentError
    ("error preparing devices for claim 'ml/w-0-channel-x:3e1a': prepare devices failed: error "
     "applying config: error asserting ComputeDomain's namespace: ComputeDomain not found: "
     "6a1b-77", "driver_prepare_failed", "does not retry"),
    # 95932046 cmd/compute-domain-kubelet-plugin/nvlib.go:431 (imex.mode=hostManaged)
    ("error preparing devices for claim 'ml/w-0:3e1a': prepare devices failed: error applying "
     "config: host nvidia-imex daemon readiness check failed: host nvidia-imex daemon not ready:"
     " NOT_READY", "driver_prepare_failed", "systemctl status nvidia-imex"),
    # v0.4.1 cmd/gpu-kubelet-plugin/device_health.go:230 (taint effect NoSchedule, :80-84)
    ("W1203 09:47:58.600000 4121 device_health.go:230] GPU is lost error: ERROR_GPU_IS_LOST; "
     "Tainting all devices with gpu.nvidia.com/gpu-lost", "device_taint_not_tolerated",
     "nvidia-smi"),
    # v0.4.1 cmd/webhook/main.go:282,291, webhook gpu.nvidia.com
    ('Error from server: error when creating "claim.yaml": admission webhook "gpu.nvidia.com" '
     "denied the request: 1 configs failed to validate: object at spec.devices.config[0].opaque"
     ".parameters is invalid: unknown GPU sharing strategy: Foo", "admission_webhook_denied",
     "field path"),
    # dynamic-resource-allocation v0.37.2 kubeletplugin/draplugin.go:1391
    ("Failed to prepare dynamic resources: prepare dynamic resources: NodePrepareResources: rpc "
     "error: code = Unknown desc = get resource claims: claim ml/w-0-gpu not allocated",
     "claim_deallocating", "lost its allocation"),
])
def test_driver_wording_gets_its_own_fix(message, cause, words, explain, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text(message + "\n")
    code, doc, err = run_main(explain, path)
    assert code == 1, err
    first = doc["findings"][0]
    assert first["cause"] == cause
    assert words in first["fix"], first["fix"]
