"""Drains and evictions a PodDisruptionBudget refuses (eviction_blocked_pdb). Ground truth: the
eviction subresource's wording (kube-apiserver pkg/registry/core/pod/storage/eviction.go@v1.37.2
checkAndDecrement), kubectl drain's retry line (kubectl pkg/drain/drain.go@v0.37.0:328), the
cluster-autoscaler's scale-down refusal (its PDB drainability rule, NotEnoughPdb), and the real
apiserver in tests/live/test_troubleshooting_live.py test_drain_blocked_by_pdb_then_relaxed."""
from __future__ import annotations

import pytest

from .conftest import paste_findings, run_script


def _findings(text: str) -> list[dict]:
    return paste_findings("triage.py", text)


def test_the_apiservers_cause_names_the_budget_and_its_counts():
    # eviction.go@v1.37.2:455 "The disruption budget %s needs %d healthy pods and has %d
    # currently", the DisruptionBudget cause of the 429
    found = _findings(
        'Error from server (TooManyRequests): Cannot evict pod as it would violate the pod\'s '
        'disruption budget.: The disruption budget origin-ca-issuer needs 1 healthy pods and '
        'has 1 currently\n')
    assert found[0]["cause"] == "eviction_blocked_pdb" and found[0]["basis"] == "reported"
    assert "PodDisruptionBudget origin-ca-issuer needs 1 healthy pods and has 1" in \
        found[0]["message"]


def test_the_drain_retry_line_names_the_pod():
    found = _findings('evicting pod apps/web-7d9f8c-x2x4p\nerror when evicting pods/'
                      '"web-7d9f8c-x2x4p" -n "apps" (will retry after 5s): Cannot evict pod as '
                      "it would violate the pod's disruption budget.\n")
    assert found[0]["cause"] == "eviction_blocked_pdb"
    assert "pod apps/web-7d9f8c-x2x4p" in found[0]["message"]
    assert "--disable-eviction" in found[0]["fix"] and "acceptable" in found[0]["fix"]


def test_the_autoscalers_scale_down_refusal():
    found = _findings("I1202 12:00:03.118245 1 cluster.go:169] Node pool-a-7x2 cannot be "
                      "removed: not enough pod disruption budget to move kube-system/coredns-"
                      "5d78c9869d-abcde\n")
    assert found[0]["cause"] == "eviction_blocked_pdb"
    assert "kube-system/coredns-5d78c9869d-abcde" in found[0]["message"]


def test_a_drain_that_went_through_is_no_fault():
    # kubectl's own progress lines carry no component message: one line, exit 2, no finding
    res = run_script("triage.py", "-f", "-", "--json", stdin=(
        "node/worker-2 cordoned\nevicting pod apps/web-7d9f8c-x2x4p\n"
        "pod/web-7d9f8c-x2x4p evicted\nnode/worker-2 drained\n"))
    assert res.code == 2 and "eviction" not in res.err and len(res.err.strip().splitlines()) == 1


@pytest.mark.parametrize("sentence", [
    "Our node upgrade is stuck: the drain is blocked by the PodDisruptionBudget of ingress-nginx.",
    "The PDB blocks the drain of every node in the pool.",
    "Cluster autoscaler scale-down fails because of the disruption budget on coredns.",
])
def test_a_report_in_words_is_inferred(sentence):
    found = _findings(sentence + "\n")
    assert found[0]["cause"] == "eviction_blocked_pdb" and found[0]["basis"] == "inferred"
    assert "kubectl get pdb -A" in found[0]["confirm"]


def test_a_budget_merely_mentioned_is_not_a_blocked_drain():
    found = _findings("We added a PodDisruptionBudget to the web Deployment and drained the "
                      "node; all pods moved.\n")
    assert all(f["cause"] != "eviction_blocked_pdb" for f in found)
