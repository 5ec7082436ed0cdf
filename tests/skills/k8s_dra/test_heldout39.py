"""Held-out round 39 (DRA): what NVIDIA's ComputeDomain daemon says when it cannot start.
Ground truth: kubernetes-sigs/dra-driver-nvidia-gpu#289 (the IMEX daemon finds no local
interface for the addresses of its nodes config; the domain never gets Ready) and #720 (the
daemon misses the config template the kubelet plugin's CDI edits add: CDI not enabled in the
container runtime)."""
from __future__ import annotations

from .test_dra_heldout import _findings

IMEX_LOG = ("[Mar 21 2025 20:45:38] [INFO] [tid 39] IMEX library communication bind port = "
            "50000\n[Mar 21 2025 20:45:38] [ERROR] [tid 39] No matching network interface found "
            "for any IP addresses in the node configuration file\n")
CD_DAEMON_LOG = ("I1113 01:08:57.594698       1 main.go:210] no cliqueID: register with "
                 "ComputeDomain, but do not run IMEX daemon\nError: writeIMEXConfig failed: "
                 "error parsing template file: open /imexd/imexd.cfg.tmpl: no such file or "
                 "directory\n")


def test_an_imex_daemon_without_a_local_interface_holds_the_channel_claims():
    top = _findings(IMEX_LOG)[0]
    assert (top["cause"], top["basis"]) == ("driver_prepare_failed", "reported"), top
    assert "IMEX daemon" in top["fix"]


def test_a_compute_domain_daemon_without_its_cdi_edits():
    top = _findings(CD_DAEMON_LOG)[0]
    assert top["cause"] == "cdi_not_enabled", top
    assert "enable_cdi" in top["fix"]
