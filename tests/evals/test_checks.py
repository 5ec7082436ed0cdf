"""The check registry, its comparison operators and the polling evaluator (no cluster)."""
from __future__ import annotations

import pytest

from harness.evals import checks, paths
from harness.evals.errors import InfraError


class FakeKube:
    """Serves objects from a dict; `script` changes them per call to simulate progress."""

    def __init__(self, objects: dict, fail: bool = False):
        self.objects, self.fail, self.calls = objects, fail, 0

    def get(self, kind, name, namespace=None):
        self.calls += 1
        if self.fail:
            raise InfraError("apiserver unreachable")
        return self.objects.get((kind, name))

    def list(self, kind, namespace=None, selector=None, all_namespaces=False):
        return [o for (k, _), o in self.objects.items() if k == kind]


def _job(suspend: bool) -> dict:
    return {"metadata": {"name": "x", "uid": "1"}, "spec": {"suspend": suspend},
            "status": {"conditions": [{"type": "Complete", "status": "False"}]}}


def test_lookup_miss_lists_known_types():
    with pytest.raises(KeyError) as info:
        checks.lookup("nope")
    message = info.value.args[0]
    assert "unknown check type 'nope'" in message
    for name in ("exists", "field", "condition", "pod_phase", "workload_admitted",
                 "claim_allocated", "route_accepted", "command"):
        assert name in message


def test_registry_covers_the_declared_check_kinds():
    assert {"exists", "absent", "field", "condition", "count", "pod_phase", "workload_admitted",
            "workload_pending", "claim_allocated", "route_accepted", "command"} <= set(
        checks.REGISTRY)


@pytest.mark.parametrize("actual,op,expected,result", [
    ("8", "gte", 4, True), ("500m", "lt", "1", True), ("2Gi", "eq", "2Gi", True),
    (True, "eq", True, True), ("a", "ne", "b", True), (paths.MISSING, "exists", None, False),
    (paths.MISSING, "absent", None, True), ({"x": 1}, "exists", None, True),
    (["a", "b"], "contains", "a", True), ({"args": ["exit 1"]}, "not_matches", "exit [1-9]", False),
    (paths.MISSING, "not_matches", "x", True), ("abc", "gte", 1, False),
])
def test_compare(actual, op, expected, result):
    assert checks.compare(actual, op, expected) is result


def test_paths_read_filters_and_quoted_keys():
    obj = {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]},
           "metadata": {"labels": {"kueue.x-k8s.io/queue-name": "q"}}}
    assert paths.read(obj, "spec.containers[name=b].image") == "y"
    assert paths.read(obj, 'metadata.labels["kueue.x-k8s.io/queue-name"]') == "q"
    assert paths.read(obj, "spec.containers[5].image") is paths.MISSING
    with pytest.raises(ValueError):
        paths.parse("spec..x")


def test_evaluate_passes_as_soon_as_the_check_holds():
    kube = FakeKube({("job", "x"): _job(True)})
    spec = {"type": "field", "kind": "job", "name": "x", "path": "spec.suspend", "value": False,
            "timeout": 30}

    def sleep(_):
        kube.objects[("job", "x")] = _job(False)
    [result] = checks.evaluate(kube, [spec], sleep=sleep)
    assert result.status == "pass" and kube.calls == 2
    assert "spec.suspend = False" in result.detail


def test_evaluate_fails_after_timeout_with_the_last_detail():
    kube = FakeKube({})
    [result] = checks.evaluate(kube, [{"type": "exists", "kind": "job", "name": "x",
                                       "timeout": 0}], sleep=lambda _: None)
    assert result.status == "fail" and "not found" in result.detail


def test_infrastructure_error_is_error_not_fail():
    kube = FakeKube({}, fail=True)
    [result] = checks.evaluate(kube, [{"type": "exists", "kind": "job", "name": "x",
                                       "timeout": 30}], sleep=lambda _: None)
    assert result.status == "error" and "apiserver unreachable" in result.detail


def test_condition_check_reports_reason_and_message():
    obj = {"metadata": {"name": "cq"}, "status": {"conditions": [
        {"type": "Active", "status": "False", "reason": "FlavorNotFound", "message": "no h100"}]}}
    holds, detail = checks.lookup("condition").probe(
        FakeKube({("cq", "cq"): obj}), {"kind": "cq", "name": "cq", "condition": "Active"}, {})
    assert not holds and "FlavorNotFound: no h100" in detail


def test_pod_phase_with_reason_and_all():
    pods = {("pods", "a"): {"metadata": {"name": "a"}, "status": {"phase": "Running"}},
            ("pods", "b"): {"metadata": {"name": "b"}, "status": {
                "phase": "Pending", "containerStatuses": [
                    {"state": {"waiting": {"reason": "ImagePullBackOff"}}}]}}}
    probe = checks.lookup("pod_phase").probe
    kube = FakeKube(pods)
    assert probe(kube, {"namespace": "n", "phase": "Pending", "reason": "ImagePull"}, {})[0]
    holds, detail = probe(kube, {"namespace": "n", "all": True}, {})
    assert not holds and "ImagePullBackOff" in detail


def test_spec_problem_unknown_op():
    assert checks.spec_problem({"type": "field", "kind": "k", "name": "n", "path": "a",
                                "op": "approx"})[0] == "op"


def test_spec_problem_type_that_is_no_string():
    # `type: [field]` in a scenario file: a list is no registry key (it raised TypeError)
    field, problem = checks.spec_problem({"type": ["field"], "kind": "k", "name": "n"})
    assert field == "type" and "unknown check type ['field']" in problem
