"""explain_pending.py on dumps captured from the live tests (tests/live/test_kueue_live.py with
KUEUE_LIVE_RECORD): objects exactly as Kueue v0.19.2 wrote them on the local cluster."""
from __future__ import annotations

import pytest

CAPTURES = {
    "live/quota_causes_and_fix.yaml": {("exceeds_max_quota", "job-too-big"),
                                       ("quota_exhausted", "job-waits")},
    "live/queue_plumbing_causes.yaml": {("local_queue_missing", "job-lost"),
                                        ("no_queue_label", "unlabelled")},
    "live/cluster_queue_missing_then_created.yaml": {("cluster_queue_missing", "job-stranded")},
    "live/nil_namespace_selector_selects_nothing.yaml": {("namespace_not_selected",
                                                          "job-orphan")},
    "live/stopped_queue_then_resumed.yaml": {("queue_inactive", "job-held")},
    "live/tainted_flavor_then_tolerated.yaml": {("flavor_mismatch", "job-intolerant")},
    "live/admitted_but_no_node_matches_the_flavor.yaml": {("admitted_not_started",
                                                           "job-homeless")},
    "live/dra_device_class_not_mapped_in_kueue_config.yaml": {("dra_class_unmapped",
                                                               "job-dra-job")},
}


def _key(name: str) -> str:
    """Workload names end in a 5-char hash that differs per run."""
    return name.rsplit("-", 1)[0] if name.startswith("job-") else name


@pytest.mark.parametrize("capture", sorted(CAPTURES))
def test_live_capture_gives_the_same_causes(script, resource, capture):
    result = script("explain_pending.py", "-f", resource(capture), "--json")
    assert result.code == 1, result.err
    got = {(f["cause"], _key(f["object"]["name"])) for f in result.doc["findings"]}
    assert got == CAPTURES[capture]
    assert all(f["fix"] for f in result.doc["findings"])


def test_live_quota_capture_names_the_holder_and_arithmetic(script, resource):
    doc = script("explain_pending.py", "-f", resource("live/quota_causes_and_fix.yaml"),
                 "--json").doc
    waits = next(f for f in doc["findings"] if f["cause"] == "quota_exhausted")
    evidence = " ".join(waits["evidence"])
    assert "insufficient unused quota for nvidia.com/gpu" in evidence  # Kueue's own words
    assert "nominal 4, used 4" in evidence and "/job-fits-" in waits["message"]
    big = next(f for f in doc["findings"] if f["cause"] == "exceeds_max_quota")
    assert "needs 8 nvidia.com/gpu" in big["message"] and "no cohort" in big["message"]
