"""Kueue's CRDs get a conversion webhook exactly where Kueue's own release gives them one.

The expectation is the release, not our reading of the kustomization: the Helm chart's CRDs
in the pinned module (charts/kueue/templates/crd/*.yaml, Kueue v0.19.2) name
`strategy: Webhook` for clusterqueues, cohorts, localqueues, multikueueclusters and
workloads, and leave resourceflavors at the default None (v1beta1.ResourceFlavor has no
conversion functions: a webhook answered every read of v1beta1 with an error).
"""
from __future__ import annotations

from harness import gomod
from harness.cluster.kueue import config as kueue
from tests import needs


def _release_converted() -> set[str]:
    chart = gomod.pinned_dir("kueue") / "charts" / "kueue" / "templates" / "crd"
    return {"{}.kueue.x-k8s.io".format(path.name.split("_", 1)[1].removesuffix(".yaml"))
            for path in chart.glob("kueue.x-k8s.io_*.yaml")
            if "strategy: Webhook" in path.read_text()}


def test_conversion_webhooks_match_the_release_chart():
    needs.go_toolchain()
    ours = {crd["metadata"]["name"] for crd in kueue.crds(9443, b"ca")
            if (crd["spec"].get("conversion") or {}).get("strategy") == "Webhook"}
    release = _release_converted()
    assert "resourceflavors.kueue.x-k8s.io" not in release
    assert ours == release


def test_conversion_webhooks_point_at_this_cluster():
    needs.go_toolchain()
    for crd in kueue.crds(9443, b"ca"):
        webhook = (crd["spec"].get("conversion") or {}).get("webhook")
        if webhook:
            assert webhook["clientConfig"]["url"] == "https://127.0.0.1:9443/convert"
