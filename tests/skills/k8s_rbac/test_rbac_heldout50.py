"""Held-out round 50: the kubelet's runAsNonRoot check, the kubelet's 403 in its 1.36+ form,
and a user named just "system". Ground truth: kubernetes pkg/kubelet/kuberuntime/
security_context_others.go@v1.37.2 verifyRunAsNonRoot (helm/chartmuseum#166: an image
without USER, fixed by #167); pkg/kubelet/server/server.go:426@v1.37.2 ("subresource(s)=%v";
kubernetes/kubeadm#3310: the kubelet-client identity left without its binding);
tektoncd/pipeline#796 (Minishift login as "system", every cluster-scoped create denied "no
RBAC policy matched"; PR #797: log in as an admin)."""
from __future__ import annotations

import pytest

from .test_rbac_prose import _audit
from .test_scc_one_setting_heldout34 import _first

_KUBELET = "Warning  Failed  5s (x3 over 18s)  kubelet, worker02  Error: container has runAsNonRoot "


@pytest.mark.parametrize("tail,cause", [
    ("and image will run as root\n", "run_as_root"),
    ("and image has non-numeric user (app), cannot verify user is non-root (pod: \"web\", "
     "container: web)\n", "security_context_denied"),
])
def test_the_kubelets_run_as_non_root_check(script, tmp_path, tail, cause):
    assert _first(script, tmp_path, _KUBELET + tail)["cause"] == cause


@pytest.mark.parametrize("sub", ["subresource=proxy", "subresource(s)=[proxy]"])
def test_the_kubelets_own_403_in_both_forms(script, tmp_path, sub):
    text = ("Error from server (Forbidden): Forbidden (user=kube-apiserver-kubelet-client, "
            f"verb=get, resource=nodes, {sub})\n")
    first = _audit(script, tmp_path, text)[0]
    assert first["cause"] == "kubelet_api_forbidden", first
    assert "nodes/proxy" in first["message"]


@pytest.mark.parametrize("user,cause", [("system", "wrong_identity"),
                                        ("system:admin", "missing_permission")])
def test_a_user_named_just_system(script, tmp_path, user, cause):
    text = (f'Error from server (Forbidden): namespaces is forbidden: User "{user}" cannot create '
            'namespaces at the cluster scope: no RBAC policy matched\n')
    assert _audit(script, tmp_path, text)[0]["cause"] == cause
