"""Round-85 held-out RBAC families of check_routes.py: a denial of the endpoint picker's kinds
whose ServiceAccount is a controller's (an operator that manages InferencePools), and a
program whose cache of a built-in kind never synced (its list refused, the `forbidden` line
not pasted).

Expected values: the apiserver's forbiddenMessage (`User %q cannot %s resource %q in API
group %q` ... `at the cluster scope`), kubebuilder's scaffolded `controller-manager`
ServiceAccount, opendatahub-io/opendatahub-operator#3073; external-dns source/source.go
waitForCacheSync@v0.13.4 (`failed to sync %v: %v`), source/informers/informers.go
(`failed to sync %v: %w with timeout %s`), kubernetes-sigs/external-dns#3537."""
from __future__ import annotations

import pytest

from .conftest import paste_problems as _problems

# the held-out paste's lines as given (a klog line wrapped by its author), names replaced
_OPERATOR_WRAPPED = (
    "W0114 18:58:14.993689       1 reflector.go:569]\n"
    "failed to list inference.networking.k8s.io/v1, Kind=InferencePool:\n\n"
    "  inferencepools.inference.networking.k8s.io is forbidden:\n"
    '  User "system:serviceaccount:acme-system:acme-operator-controller-manager"\n'
    '  cannot list resource "inferencepools"\n'
    '  in API group "inference.networking.k8s.io"\n'
    "  at the cluster scope\n")


def test_an_operators_inferencepool_denial_is_its_own_rbac(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, _OPERATOR_WRAPPED)
    assert [f["cause"] for f in found] == ["controller_forbidden"], found
    assert "acme-operator-controller-manager" in found[0]["fix"], found


def test_a_controllers_denial_as_one_log_line(gw_run, tmp_path):
    # the reflector's one-line form, the v1alpha2 group, JSON-escaped quotes of a zap record
    line = ('{"level":"error","msg":"Failed to watch","error":"failed to list '
            '*v1alpha2.InferencePool: inferencepools.inference.networking.x-k8s.io is '
            'forbidden: User \\"system:serviceaccount:llm:serving-controller\\" cannot list '
            'resource \\"inferencepools\\" in API group \\"inference.networking.x-k8s.io\\" '
            'at the cluster scope"}\n')
    found = _problems(gw_run, tmp_path, line)
    assert [f["cause"] for f in found] == ["controller_forbidden"], found


def test_the_pickers_own_denial_stays_the_pickers(gw_run, tmp_path):
    # near miss: the endpoint picker's ServiceAccount (named epp) denied its pool
    line = ('failed to list *v1.InferencePool: inferencepools.inference.networking.k8s.io is '
            'forbidden: User "system:serviceaccount:llm:pool-epp" cannot list resource '
            '"inferencepools" in API group "inference.networking.k8s.io" in the namespace '
            '"llm"\n')
    found = _problems(gw_run, tmp_path, line)
    assert [f["cause"] for f in found][:1] == ["endpoint_picker_misconfigured"], found


def test_a_namespace_cache_that_never_synced(gw_run, tmp_path):
    # the held-out paste: one line, the program's log
    found = _problems(gw_run, tmp_path, "failed to sync *v1.Namespace: context deadline "
                                        "exceeded\n")
    assert [f["cause"] for f in found] == ["missing_permission"], found
    assert found[0]["basis"] == "inferred", found
    assert "namespaces" in found[0]["confirm"], found


@pytest.mark.parametrize("line", [
    # later external-dns wordings (source/informers/informers.go)
    "time=\"2025-06-01T10:00:00Z\" level=fatal msg=\"failed to sync *v1.Service: context "
    "deadline exceeded with timeout 1m0s\"",
    "failed to sync *v1.Pod: context deadline exceeded",
])
def test_other_wordings_of_a_cache_that_never_synced(gw_run, tmp_path, line):
    found = _problems(gw_run, tmp_path, line + "\n")
    assert [f["cause"] for f in found][:1] == ["missing_permission"], found


def test_a_custom_kinds_sync_timeout_is_not_read_as_rbac(gw_run, tmp_path):
    # near miss: a CRD kind's cache may time out because its CRD is not installed
    text = ("failed to sync *v1beta1.HTTPRoute: context deadline exceeded\n"
            "kubectl get gateway -A shows nothing\n")
    try:
        found = _problems(gw_run, tmp_path, text)
    except SystemExit:
        found = []
    assert "missing_permission" not in [f["cause"] for f in found], found
