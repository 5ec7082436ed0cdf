"""Pure helpers that mirror Kueue's Go logic, checked against the cases in its tests."""
from __future__ import annotations

import sys

import pytest

from .conftest import SCRIPTS

sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent.parent / "_shared")]

from _kueue.flavors import flavor_problem
from _kueue.objects import Cluster
from _kueue.quota import QuotaBook
from _kueue.rules_queue import selector_matches

H100 = {"spec": {"nodeLabels": {"gpu": "h100", "zone": "a"}}}


@pytest.mark.parametrize("pod,expected", [
    ({}, ""),                                                   # no constraints: fits
    ({"nodeSelector": {"gpu": "h100"}}, ""),
    ({"nodeSelector": {"gpu": "a100"}}, "flavor f doesn't match node affinity"),
    ({"nodeSelector": {"disk": "ssd"}}, ""),                    # key the flavor lacks: ignored
    ({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [
            {"key": "gpu", "operator": "NotIn", "values": ["h100"]}]}]}}}},
     "flavor f doesn't match node affinity"),
    ({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [
            {"key": "gpu", "operator": "In", "values": ["a100"]}]},
            {"matchExpressions": [{"key": "other", "operator": "Exists"}]}]}}}}, ""),
])
def test_flavor_affinity_uses_only_the_flavor_label_keys(pod, expected):
    assert flavor_problem(H100, "f", pod) == expected


def test_taints_need_toleration_from_pod_or_flavor():
    flavor = {"spec": {"nodeTaints": [{"key": "spot", "value": "true", "effect": "NoSchedule"},
                                      {"key": "soft", "effect": "PreferNoSchedule"}]}}
    assert flavor_problem(flavor, "f", {}) == "untolerated taint {spot true NoSchedule <nil>} " \
                                              "in flavor f"
    tolerant = {"tolerations": [{"key": "spot", "operator": "Exists"}]}
    assert flavor_problem(flavor, "f", tolerant) == ""
    flavor["spec"]["tolerations"] = [{"operator": "Exists"}]
    assert flavor_problem(flavor, "f", {}) == ""


def test_nil_selector_is_not_empty_selector():
    assert selector_matches({}, {"a": "b"})
    assert not selector_matches({"matchLabels": {"team": "x"}}, {"team": "y"})
    assert selector_matches({"matchExpressions": [{"key": "team", "operator": "DoesNotExist"}]},
                            {})


def _cq(name, nominal, cohort="", borrow=None, lend=None, used="0"):
    res = {"name": "gpu", "nominalQuota": nominal}
    if borrow is not None:
        res["borrowingLimit"] = borrow
    if lend is not None:
        res["lendingLimit"] = lend
    spec = {"resourceGroups": [{"coveredResources": ["gpu"],
                                "flavors": [{"name": "f", "resources": [res]}]}]}
    if cohort:
        spec["cohortName"] = cohort
    return {"apiVersion": "kueue.x-k8s.io/v1beta2", "kind": "ClusterQueue",
            "metadata": {"name": name}, "spec": spec,
            "status": {"flavorsReservation": [{"name": "f", "resources": [
                {"name": "gpu", "total": used}]}]}}


def test_cohort_arithmetic_max_and_available():
    book = QuotaBook(Cluster([_cq("a", "4", "c", borrow="2", used="4"),
                              _cq("b", "8", "c", lend="6", used="1")]))
    view = book.view("a", "f", "gpu")
    # a may take 4 own + min(borrowingLimit 2, b lends 6) = 6; b uses 1 of its guaranteed 2
    assert view["max_capacity"] == 6 and view["borrowable"] == 2
    assert view["available"] == 2
    alone = QuotaBook(Cluster([_cq("solo", "4", used="1")])).view("solo", "f", "gpu")
    assert (alone["max_capacity"], alone["available"], alone["borrowable"]) == (4, 3, 0)
