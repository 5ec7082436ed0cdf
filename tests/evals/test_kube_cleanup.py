"""Cleanup of a run's labelled objects: every kind at once, one request per kind where the
apiserver serves deletecollection, and no kind skipped when another fails.

The verbs table (resources/api-resources-wide.txt) is `kubectl api-resources -o wide` as
printed by kubectl v1.37.2 against the local cluster's kube-apiserver v1.37.2 with Kueue v0.19.2 (namespaces have no deletecollection; CRDs and
RBAC objects do)."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from harness.evals.errors import InfraError
from harness.evals.kube import Kube, parse_api_resources

API_RESOURCES = (Path(__file__).parent / "resources" / "api-resources-wide.txt").read_text()
SELECTOR = "k8s-skills.eval/run=abc123"


class FakeApi:
    """Kube._request stand-in: lists return `objects[path]`, every call takes `delay`."""

    def __init__(self, objects: dict[str, list[str]], delay: float = 0.0,
                 fail: set[str] = frozenset()):
        self.objects, self.delay, self.fail = objects, delay, fail
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.active = self.peak = 0

    def __call__(self, method: str, path: str, body: dict | None = None):
        with self.lock:
            self.calls.append((method, path))
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(self.delay)
            base = path.split("?")[0]
            if any(base.startswith(f) for f in self.fail):
                return 500, {"message": f"etcdserver: request timed out ({base})"}
            if method == "GET":
                return 200, {"items": [{"metadata": {"name": n}}
                                       for n in self.objects.get(base, [])]}
            return 200, {}
        finally:
            with self.lock:
                self.active -= 1


def _kube(api: FakeApi) -> Kube:
    kube = Kube.__new__(Kube)
    kube._lock = threading.Lock()
    kube._resources = parse_api_resources(API_RESOURCES)
    kube._http = object()
    kube._request = api
    return kube


KINDS = ["clusterqueues.kueue.x-k8s.io", "resourceflavors.kueue.x-k8s.io", "clusterroles",
         "namespaces"]


def test_one_deletecollection_per_kind_that_serves_it_and_list_then_delete_for_namespaces():
    api = FakeApi({"/api/v1/namespaces": ["ml-abc123", "infra-abc123"]})
    _kube(api).delete_labelled(KINDS, SELECTOR)
    query = "?labelSelector=k8s-skills.eval/run%3Dabc123"
    assert sorted(api.calls) == sorted([
        ("DELETE", "/apis/kueue.x-k8s.io/v1beta2/clusterqueues" + query),
        ("DELETE", "/apis/kueue.x-k8s.io/v1beta2/resourceflavors" + query),
        ("DELETE", "/apis/rbac.authorization.k8s.io/v1/clusterroles" + query),
        ("GET", "/api/v1/namespaces" + query),
        ("DELETE", "/api/v1/namespaces/ml-abc123"),
        ("DELETE", "/api/v1/namespaces/infra-abc123"),
    ])


def test_kinds_and_objects_are_deleted_at_once_not_one_after_another():
    names = [f"ns{i}-abc123" for i in range(4)]
    api = FakeApi({"/api/v1/namespaces": names}, delay=0.3)
    start = time.monotonic()
    _kube(api).delete_labelled(KINDS, SELECTOR)
    took = time.monotonic() - start
    # sequential: 3 collections + 1 list + 4 deletes = 8 x 0.3 s = 2.4 s; at once: list then
    # the deletes, 2 x 0.3 s
    assert api.peak >= 4, api.peak
    assert took < 1.5, took


def test_a_failing_kind_does_not_stop_the_others_and_its_error_is_raised():
    api = FakeApi({"/api/v1/namespaces": ["ml-abc123"]},
                  fail={"/apis/kueue.x-k8s.io/v1beta2/clusterqueues"})
    with pytest.raises(InfraError, match="deletecollection clusterqueues.*HTTP 500.*timed out"):
        _kube(api).delete_labelled(KINDS, SELECTOR)
    assert ("DELETE", "/api/v1/namespaces/ml-abc123") in api.calls
    assert len(api.calls) == 5


def test_a_namespaced_kind_is_listed_across_namespaces_and_deleted_by_name():
    # deletecollection is served per namespace only: across namespaces, list then delete
    api = FakeApi({})
    api.objects["/api/v1/configmaps"] = []
    _kube(api).delete_labelled(["configmaps"], SELECTOR)
    assert api.calls == [("GET", "/api/v1/configmaps?labelSelector="
                                 "k8s-skills.eval/run%3Dabc123")]


def test_an_unknown_kind_is_an_infra_error_before_anything_is_deleted():
    api = FakeApi({})
    with pytest.raises(InfraError, match="does not serve widgets"):
        _kube(api).delete_labelled(["clusterroles", "widgets"], SELECTOR)
    assert api.calls == []


def test_old_kubectl_bracketed_verbs_are_read_too():
    table = parse_api_resources(
        "NAME   SHORTNAMES   APIVERSION   NAMESPACED   KIND   VERBS\n"
        "nodes  no           v1           false        Node   [create delete deletecollection "
        "get list]\n")
    assert "deletecollection" in table["nodes"].verbs


def test_known_namespaces_are_deleted_by_name_beside_the_list_and_not_twice():
    api = FakeApi({"/api/v1/namespaces": ["ml-abc123", "extra-abc123"]}, delay=0.5)
    start = time.monotonic()
    _kube(api).delete_labelled(["namespaces"], SELECTOR, known={"namespaces": ["ml-abc123"]})
    took = time.monotonic() - start
    deletes = sorted(p for m, p in api.calls if m == "DELETE")
    assert deletes == ["/api/v1/namespaces/extra-abc123", "/api/v1/namespaces/ml-abc123"]
    assert took < 1.4, took   # one after another: list, then two deletes = 1.5 s
