"""Held-out round 83 (pods-nodes): evictions a PodDisruptionBudget refuses, as an apiserver
audit event records them and as the eviction API words two budgets selecting one pod.

Ground truth: kubernetes v1.37.2 pkg/registry/core/pod/storage/eviction.go (:227 500 "This pod
has more than one PodDisruptionBudget, which the eviction subresource does not support.", the
same words since v1.5.0 pkg/registry/core/pod/etcd/eviction.go:92; :419/:455 the 429 and its
DisruptionBudget cause); kubectl drain's "error when evicting pod %q: %v" (kubernetes v1.9.0
pkg/kubectl/cmd/drain.go:563) and "error when evicting pods/%q -n %q (will retry after %v): %v"
(kubectl v0.37.2 pkg/drain/drain.go:328); the audit event's fields (k8s.io/apiserver v0.37.2
pkg/apis/audit/v1/types.go); a registry's rate limit "toomanyrequests: MSG" (docker/distribution
v2.8.3 registry/api/errcode/errors.go:117, register.go:70).
"""
from __future__ import annotations

import json

from .conftest import paste_causes, paste_findings, run_script

# Flagsmith/flagsmith-charts#185: the audit event's request and response, pasted without the
# event's outer braces (the issue's own excerpt, names and indentation kept)
AUDIT_FRAGMENT = """\
    "requestObject": {
        "kind": "Eviction",
        "apiVersion": "policy/v1beta1",
        "metadata": {
            "name": "flagsmith-influxdb2-0",
            "namespace": "production",
            "creationTimestamp": null
        }
    },
    "responseObject": {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "Cannot evict pod as it would violate the pod's disruption budget.",
        "reason": "TooManyRequests",
        "details": {
            "causes": [
                {
                    "reason": "DisruptionBudget",
                    "message": "The disruption budget flagsmith-influxdb2 needs 1 healthy pods and has 1 currently"
                }
            ]
        },
        "code": 429
    }
"""


def _audit_event(status: dict, name: str = "cart-0", ns: str = "shop") -> dict:
    """A whole audit.k8s.io/v1 Event of a pod eviction at level RequestResponse (types.go)."""
    return {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "RequestResponse",
            "auditID": "0b2a6f3e-1111-4c8e-9a1d-2f0c7e5b9a10", "stage": "ResponseComplete",
            "requestURI": f"/api/v1/namespaces/{ns}/pods/{name}/eviction", "verb": "create",
            "user": {"username": "system:serviceaccount:kube-system:cluster-autoscaler"},
            "objectRef": {"resource": "pods", "namespace": ns, "name": name, "apiVersion": "v1",
                          "subresource": "eviction"},
            "responseStatus": status,
            "requestObject": {"kind": "Eviction", "apiVersion": "policy/v1",
                              "metadata": {"name": name, "namespace": ns}},
            "requestReceivedTimestamp": "2024-03-01T10:00:00.000000Z",
            "stageTimestamp": "2024-03-01T10:00:00.010000Z"}


PDB_429 = {"metadata": {}, "status": "Failure", "code": 429, "reason": "TooManyRequests",
           "message": "Cannot evict pod as it would violate the pod's disruption budget.",
           "details": {"causes": [{"reason": "DisruptionBudget", "message": "The disruption "
                                   "budget cart does not allow evicting pods currently"}]}}


def test_the_audit_fragment_is_a_refused_eviction_of_the_named_pod():
    found = paste_findings("triage.py", AUDIT_FRAGMENT)
    assert [f["cause"] for f in found] == ["eviction_blocked_pdb"]
    assert found[0]["basis"] == "reported"
    assert found[0]["object"] == {"kind": "Pod", "namespace": "production",
                                  "name": "flagsmith-influxdb2-0"}
    assert "PodDisruptionBudget flagsmith-influxdb2 needs 1 healthy pods and has 1" in \
        found[0]["message"]


def test_a_429_status_reason_alone_is_no_image_pull():
    # the fragment's bare `"reason": "TooManyRequests"` was read as a registry's rate limit
    res = run_script("triage.py", "-f", "-", "--json",
                     stdin='Error: "reason": "TooManyRequests",\n"code": 429\n')
    assert res.code == 2 or all(f["cause"] != "image_pull" for f in res.doc["findings"])
    assert "image" not in res.out + res.err


def test_a_registrys_rate_limit_is_still_an_image_pull():
    causes = paste_causes("triage.py", (
        'Failed to pull image "kong:3.3": rpc error: code = Unknown desc = Error response from '
        "daemon: toomanyrequests: You have reached your pull rate limit. You may increase the "
        "limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit\n"))
    assert causes[:1] == ["image_pull"]


def test_a_whole_audit_event_and_a_log_of_json_lines():
    # audit.log writes one event per line; the objectRef names the pod
    lines = "\n".join(json.dumps(_audit_event(PDB_429, name=n)) for n in ("cart-0", "cart-1"))
    found = paste_findings("triage.py", lines + "\n")
    assert [f["cause"] for f in found] == ["eviction_blocked_pdb"] * 2
    assert {f["object"]["name"] for f in found} == {"cart-0", "cart-1"}
    assert found[0]["object"]["namespace"] == "shop"


def test_an_audit_event_of_an_eviction_that_went_through_is_no_fault():
    res = run_script("triage.py", "-f", "-", "--json", stdin=json.dumps(_audit_event(
        {"metadata": {}, "status": "Success", "code": 201})) + "\n")
    assert res.code in (0, 1), res.err
    assert all(f["cause"] != "eviction_blocked_pdb" and f["severity"] != "error"
               for f in res.doc["findings"])


def test_an_audit_event_of_priority_and_fairness_throttling_is_no_pdb_and_no_pull():
    # apiserver v0.37.2 pkg/server/filters/priority-and-fairness.go:380 answers 429 "Too many
    # requests, please try again later." to any request: no budget, no registry
    res = run_script("triage.py", "-f", "-", "--json", stdin=json.dumps(_audit_event(
        {"metadata": {}, "status": "Failure", "code": 429, "reason": "TooManyRequests",
         "message": "Too many requests, please try again later."})) + "\n")
    assert res.code in (0, 1), res.err
    assert all(f["cause"] not in ("eviction_blocked_pdb", "image_pull")
               for f in res.doc["findings"])


# gardener/gardener-extension-shoot-dns-service#176: a machine drain quoting kubectl's
# pre-1.1x "error when evicting pod %q: %v" around the eviction API's 500
OVERLAP_LINE = ('Drain failed due to - error when evicting pod "dns-controller-manager-'
                '85dcf5b895-6g54h": This pod has more than one PodDisruptionBudget, which the '
                "eviction subresource does not support\n")


def test_two_budgets_selecting_the_pod_refuse_its_eviction():
    found = paste_findings("triage.py", OVERLAP_LINE)
    assert [f["cause"] for f in found] == ["eviction_blocked_pdb"]
    assert found[0]["basis"] == "reported"
    assert "dns-controller-manager-85dcf5b895-6g54h" in found[0]["message"]
    assert "more than one PodDisruptionBudget selects the pod" in found[0]["message"]
    assert "exactly one PodDisruptionBudget" in found[0]["fix"]


def test_the_overlap_in_the_current_drain_wording_and_the_apis_own_error():
    # kubectl v0.37.2 drain.go:328 around the Status message (with its full stop)
    found = paste_findings("triage.py", (
        'error when evicting pods/"web-0" -n "apps" (will retry after 5s): This pod has more '
        "than one PodDisruptionBudget, which the eviction subresource does not support.\n"))
    assert found[0]["cause"] == "eviction_blocked_pdb"
    assert "pod apps/web-0" in found[0]["message"] and "more than one" in found[0]["message"]
    # the same refusal as an audit event records it (500, no causes)
    event = _audit_event({"metadata": {}, "status": "Failure", "code": 500, "message": (
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does "
        "not support.")}, name="web-0", ns="apps")
    found = paste_findings("triage.py", json.dumps(event, indent=2) + "\n")
    assert found[0]["cause"] == "eviction_blocked_pdb"
    assert found[0]["object"]["name"] == "web-0" and "more than one" in found[0]["message"]


def test_a_budget_refusal_keeps_its_counts_not_the_overlap_fix():
    found = paste_findings("triage.py", (
        'error when evicting pods/"web-0" -n "apps" (will retry after 5s): Cannot evict pod as '
        "it would violate the pod's disruption budget.\n"))
    assert found[0]["cause"] == "eviction_blocked_pdb"
    assert "more than one" not in found[0]["message"] + found[0]["fix"]


def test_more_than_one_budget_in_words_is_not_the_apis_refusal():
    found = paste_findings("triage.py", (
        "We run more than one PodDisruptionBudget in this namespace, one per Deployment.\n"
        "Warning  Failed  1m  kubelet  Error: ErrImagePull\n"))
    assert all(f["cause"] != "eviction_blocked_pdb" for f in found)
