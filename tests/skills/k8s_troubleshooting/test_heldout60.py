"""Held-out round 60 of triage.py: a 1.5-era events row whose missing Secret is quoted with
escaped quotes inside RunContainerError (helm/charts#372: the chart's subchart Secret was never
created), and a node NotReady only in the kubelet's first seconds after a restart. Ground
truth: kubernetes v1.37.2 pkg/kubelet/runtime.go:126-127 (`container runtime status check may
not have completed yet` until the first runtime status, kubelet.go:3364), kubernetes#124397
fixed by #124430 (the status written before the first runtime check)."""
from __future__ import annotations

import pytest

from .conftest import run_script


def _findings(text: str) -> list[dict]:
    res = run_script("triage.py", "-f", "-", "--json", stdin=text)
    assert res.code in (0, 1), res.err
    return res.doc["findings"]


def test_an_escaped_secret_name_inside_run_container_error():
    text = ('19s  5s  3  {kubelet minion1}  Warning  FailedSync  Error syncing pod, skipping: '
            'failed to "StartContainer" for "web" with RunContainerError: '
            'GenerateRunContainerOptions: secrets \\"web-db\\" not found"\n')
    first = _findings(text)[0]
    assert first["cause"] == "config_missing" and "web-db" in first["message"], first


LOG = ('I0419 14:40:55.510166 1902465 setters.go:577] "Node became not ready" node="n1" '
       'condition={{Type:Ready Status:False LastHeartbeatTime:2024-04-19 14:40:55.510127183 '
       '+0800 CST m=+{age} LastTransitionTime:2024-04-19 14:40:55.510127183 +0800 CST '
       'm=+{age} Reason:KubeletNotReady Message:container runtime status check may not have '
       'completed yet}}\n')


def test_not_ready_seconds_after_the_kubelet_started_is_not_a_fault():
    found = _findings(LOG.format(age="5.226928586"))
    assert [f["severity"] for f in found if f["cause"] == "node_not_ready"] == ["info"]
    assert not [f for f in found if f["severity"] in ("error", "warning")]


@pytest.mark.parametrize("age", ["905.1", None])
def test_the_same_message_long_after_start_or_without_the_clock_stands(age):
    text = LOG.format(age=age) if age else LOG.replace(" m=+{age}", "").format()
    first = _findings(text)[0]
    assert (first["cause"], first["severity"]) == ("node_not_ready", "error")


# FairwindsOps/gemini#29 (a claim left Terminating by a restore; printers.go v1.37.2:2186 prints
# "Terminating" for a claim with a deletionTimestamp)
PVC_ROWS = ("$ kubectl -n notepad get pvc\nNAME                       STATUS        VOLUME      "
            "CAPACITY   ACCESS MODES   STORAGECLASS       AGE\ndata-db-0   {status}   "
            "pvc-dbde8ca5   8Gi        RWO            do-block-storage   23m\n")


def test_a_claim_row_shown_terminating():
    first = _findings(PVC_ROWS.format(status="Terminating"))[0]
    assert (first["cause"], first["basis"]) == ("stuck_terminating", "inferred"), first
    assert first["object"]["kind"] == "PersistentVolumeClaim"
    assert "finalizers" in first["confirm"]


def test_a_bound_claim_row_is_not_terminating():
    causes = [f["cause"] for f in _findings(PVC_ROWS.format(status="Bound      "))]
    assert "stuck_terminating" not in causes


# GNU coreutils chown's EPERM on a volume (bitnami/charts#19999: EFS, volumePermissions init
# container)
def test_a_refused_chown_on_the_data_volume():
    text = ("kubectl logs db-0 -c init-chmod-data\nchown: changing ownership of "
            "'/bitnami/postgresql': Operation not permitted\n")
    first = _findings(text)[0]
    assert first["cause"] == "crash_loop" and "/bitnami/postgresql" in first["message"]
    assert "volumePermissions" in first["fix"]


def test_busybox_chown_refusal():
    first = _findings("chown: /data/db: Operation not permitted\n")[0]
    assert first["cause"] == "crash_loop" and "/data/db" in first["message"]
