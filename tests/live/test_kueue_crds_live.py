"""Kueue's CRDs as the cluster serves them, against Kueue's own release.

The release's Helm chart in the pinned module (charts/kueue/templates/crd/*.yaml, Kueue
v0.19.2) gives `strategy: Webhook` to some CRDs and leaves the rest at None; ResourceFlavor is
one of the rest (v1beta1.ResourceFlavor has no conversion functions). With a webhook there,
every read of v1beta1 failed ("*v1beta2.ResourceFlavor is not convertible to
*v1beta1.ResourceFlavor", controller-runtime pkg/webhook/conversion) and Kueue logged it.
The served strategies must be the release's, v1beta1 reads must answer (webhook-converted
ones too), and Kueue's log must carry no conversion error, from the apiserver's requests or
from the start-up probe.
"""
from __future__ import annotations

import uuid

import pytest

from harness import gomod
from tests import needs
from tests.live.helpers import apply, get

pytestmark = pytest.mark.live

GROUP = "kueue.x-k8s.io"


def release_strategies() -> dict[str, str]:
    """CRD name -> conversion strategy in the release chart (None when the chart names none)."""
    chart = gomod.pinned_dir("kueue") / "charts" / "kueue" / "templates" / "crd"
    return {f"{path.name.split('_', 1)[1].removesuffix('.yaml')}.{GROUP}":
            "Webhook" if "strategy: Webhook" in path.read_text() else "None"
            for path in chart.glob(f"{GROUP}_*.yaml")}


def test_served_conversion_strategies_are_the_releases(kubectl):
    needs.go_toolchain()
    served = {crd["metadata"]["name"]: (crd["spec"].get("conversion") or {}).get("strategy",
                                                                                 "None")
              for crd in get(kubectl, "crd")["items"]
              if crd["spec"]["group"] == GROUP}
    release = release_strategies()
    assert release["resourceflavors.kueue.x-k8s.io"] == "None"
    assert served == {name: release[name] for name in served}, (served, release)
    assert set(served) == set(release)


def test_v1beta1_reads_answer_with_and_without_a_webhook(kubectl):
    flavors = get(kubectl, f"resourceflavors.v1beta1.{GROUP}")
    assert flavors["apiVersion"] == "v1" and flavors["items"], flavors
    assert all(f["apiVersion"] == f"{GROUP}/v1beta1" for f in flavors["items"])
    queues = get(kubectl, f"clusterqueues.v1beta1.{GROUP}")  # converted by Kueue's webhook
    assert all(q["apiVersion"] == f"{GROUP}/v1beta1" for q in queues["items"])

    name = f"t-{uuid.uuid4().hex[:8]}"
    apply(kubectl, {"apiVersion": f"{GROUP}/v1beta1", "kind": "ResourceFlavor",
                    "metadata": {"name": name}, "spec": {"nodeLabels": {"pool": name}}})
    try:
        back = get(kubectl, f"resourceflavors.v1beta2.{GROUP}", name)
        assert back["spec"]["nodeLabels"] == {"pool": name}
        assert get(kubectl, f"resourceflavors.v1beta1.{GROUP}", name)["spec"]["nodeLabels"] \
            == {"pool": name}
    finally:
        kubectl("delete", f"resourceflavors.v1beta2.{GROUP}", name, "--wait=false",
                check=False)


def test_kueue_logs_no_conversion_error(kubectl, live_cluster):
    if live_cluster["cluster"] is None:
        pytest.skip("an existing cluster: its Kueue's log is not ours to read")
    for resource in ("resourceflavors", "clusterqueues", "localqueues", "workloads"):
        get(kubectl, f"{resource}.v1beta1.{GROUP}", "-A")
    log = live_cluster["cluster"].dir / "logs" / "kueue.log"
    # the start-up probe's empty request once logged "failed to read conversion request"
    lines = [line for line in log.read_text(errors="replace").splitlines()
             if "convertible" in line or '"logger":"conversion-webhook"' in line]
    assert log.stat().st_size and not lines, lines[:5]
