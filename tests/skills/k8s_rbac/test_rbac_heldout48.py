"""Held-out round 48: an SCC refusal cut inside its list, and a manifest applied without a
namespace. Ground truth: portworx/talisman#33 (the daemon-set controller's FailedCreate event
`unable to validate against any security context constraint: [spec.volumes[0]: Invalid value:
"hostPath": hostPath volumes are not allowed to be used`, pasted without the list's closing
bracket; fixed by giving the DaemonSet a ServiceAccount with a hostPath SCC) and
argoproj/argo-workflows#4345 (install.yaml applied without -n: the workflow-controller ran as
system:serviceaccount:default:argo while the manifest's ClusterRoleBindings name namespace
argo; "you must install into the `argo` namespace")."""
from __future__ import annotations

import pytest

from .test_rbac_prose import _audit
from .test_scc_one_setting_heldout34 import _first

_REFUSED = ('Error creating: pods "docker-puller-" is forbidden: unable to validate against any '
            'security context constraint: [spec.volumes[0]: Invalid value: "hostPath": hostPath '
            'volumes are not allowed to be used')
DENIED = ('time="2020-10-22T11:14:50Z" level=fatal msg="Failed to register watch for controller '
          'config map: configmaps \\"workflow-controller-configmap\\" is forbidden: User '
          '\\"system:serviceaccount:default:argo\\" cannot get resource \\"configmaps\\" in API '
          'group \\"\\" in the namespace \\"default\\""\n')


@pytest.mark.parametrize("tail", ["", "]", "] (and 1 more) [kubectl describe ds x]"])
def test_an_scc_list_cut_or_closed_names_its_one_setting(script, tmp_path, tail):
    text = "40s  19s  13  daemon-set  Warning  FailedCreate  " + _REFUSED + tail + "\n"
    assert _first(script, tmp_path, text)["cause"] == "host_path_volume"


def test_a_manifest_applied_without_a_namespace_is_the_second_reading(script, tmp_path):
    # second: an example manifest meant for default may lack the rule after all
    # (chef-boneyard/habitat-operator#227, the same paste shape)
    denial, mismatch = _audit(script, tmp_path, "$ kubectl apply -f install.yaml\n" + DENIED)[:2]
    assert denial["cause"] == "missing_permission", denial
    assert mismatch["cause"] == "binding_subject_mismatch", mismatch
    assert mismatch["basis"] == "inferred" and "apply -n" in mismatch["fix"]


@pytest.mark.parametrize("apply", ["kubectl apply -n argo -f install.yaml",
                                   "kubectl apply --namespace=argo -f install.yaml", ""])
def test_applied_into_a_namespace_or_no_apply_has_no_such_reading(script, tmp_path, apply):
    causes = [f["cause"] for f in _audit(script, tmp_path, f"$ {apply}\n" + DENIED)]
    assert causes == ["missing_permission"], causes
