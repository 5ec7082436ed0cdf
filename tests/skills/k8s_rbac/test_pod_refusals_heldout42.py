"""Held-out round 42 (check_pod_security.py): OpenShift 3's SCC refusal, which names no
provider, read for its one setting; a refused UID 0 and a refused volume type; a privileged
container refused by the API server's 2016 wording and by a 1.x kubelet. Ground truth:
openshift/origin#8297 (persistentVolumeClaim volumes not in the SCC), projectcalico/calico#5223
(runAsUser 0 outside restricted-v2's ranges), rancher/rancher#4416 (`disallowed by policy`,
fixed by rancher/cattle#1642), rancher/rancher#12600 (kubelet --allow-privileged=false: pod
Blocked, `specified privileged container, but is disallowed`; kubernetes pkg/kubelet canRunPod
up to 1.14)."""
from __future__ import annotations

import pytest

from .test_scc_one_setting_heldout34 import _first

PVC = ('Error creating: pods "postgresql-1-" is forbidden: unable to validate against any '
       'security context constraint: [spec.containers[0].securityContext.volumes[0]: Invalid '
       'value: "persistentVolumeClaim": persistentVolumeClaim volumes are not allowed to be used]'
       '\n')
UID0 = ("message: 'pods \"calico-apiserver-75858645f-\" is forbidden: unable to validate against "
        "any security context constraint: [spec.containers[0].securityContext.runAsUser: "
        "Invalid value: 0: must be in the ranges: [1000670000, 1000679999]]'\n")
OTHER_UID = UID0.replace("Invalid value: 0:", "Invalid value: 472:")


@pytest.mark.parametrize("text, cause", [(PVC, "restricted_volume_type"), (UID0, "run_as_root")])
def test_an_openshift_3_refusal_of_one_setting(script, tmp_path, text, cause):
    assert _first(script, tmp_path, text)["cause"] == cause


def test_another_uid_outside_the_range_is_the_scc_refusal(script, tmp_path):
    assert _first(script, tmp_path, OTHER_UID)["cause"] == "pod_security_policy_denied"


@pytest.mark.parametrize("text, word", [
    ('The ReplicationController "nfs-server" is invalid.\nspec.template.spec.containers[0].'
     "securityContext.privileged: Forbidden: disallowed by policy\n", "API server"),
    ("Name:         nginx\nNamespace:    default\nStatus:       Pending\nReason:       Forbidden\n"
     'Message:      pod with UID "e0a504fe" specified privileged container, but is disallowed\n',
     "kubelet"),
])
def test_a_privileged_container_the_cluster_disallows(script, tmp_path, text, word):
    top = _first(script, tmp_path, text)
    assert top["cause"] == "privileged_container" and word in top["message"], top
