"""An OpenShift SCC refusal whose usable providers object to one securityContext setting is
that setting; several settings, or a range, stay the SCC refusal as a whole.

Field errors as openshift/apiserver-library-go pkg/securitycontextconstraints/sccmatching
prints them per provider; pastes from openshift/instaslice-operator#213 (restricted-v2 refused
allowPrivilegeEscalation only; fixed by setting the controller's securityContext, PR #314) and
NVIDIA/gpu-operator's NFD worker (hostNetwork and hostPath: two settings)."""
from __future__ import annotations

import pytest

INSTASLICE = ('Error creating: pods "instaslice-operator-controller-manager-586f8db77c-" is '
              'forbidden: unable to validate against any security context constraint: [provider '
              '"anyuid": Forbidden: not usable by user or serviceaccount, provider restricted-v2: '
              '.containers[0].allowPrivilegeEscalation: Invalid value: true: Allowing privilege '
              'escalation for containers is not allowed, provider "restricted": Forbidden: not '
              'usable by user or serviceaccount, provider "privileged": Forbidden: not usable by '
              'user or serviceaccount]\n')
TWO_SETTINGS = ('Error creating: pods "nfd-worker-" is forbidden: unable to validate against any '
                'security context constraint: [provider "anyuid": Forbidden: not usable by user or '
                'serviceaccount, spec.volumes[0]: Invalid value: "hostPath": hostPath volumes are '
                'not allowed to be used, provider restricted: .spec.securityContext.hostNetwork: '
                'Invalid value: true: Host network is not allowed to be used, '
                'spec.volumes[0]: Invalid value: "hostPath": hostPath volumes are not allowed to be '
                'used]\n')


def _first(script, tmp_path, text: str) -> dict:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = script("check_pod_security.py", "-f", str(path), "--json")
    assert result.code == 1, result.err
    return result.doc["findings"][0]


def test_one_setting_refused_is_that_setting(script, tmp_path):
    top = _first(script, tmp_path, INSTASLICE)
    assert top["cause"] == "privilege_escalation_allowed" and top["basis"] == "reported"
    assert "allowPrivilegeEscalation: false" in top["message"]


@pytest.mark.parametrize("text", [
    TWO_SETTINGS,
    # a range, no one setting (uselagoon/lagoon#3227)
    'pods "solr-1" is forbidden: unable to validate against any security context constraint: '
    '[provider restricted: .spec.securityContext.fsGroup: Invalid value: []int64{0}: 0 is not an '
    'allowed group]\n',
])
def test_several_settings_or_a_range_stay_the_scc_refusal(script, tmp_path, text):
    assert _first(script, tmp_path, text)["cause"] == "pod_security_policy_denied"


def test_an_scc_refusal_cut_after_its_colon(script, tmp_path):
    # CrowdStrike/falcon-operator#563: the reporter's line stops before the provider list
    text = ('Getting this new error with the 1.0.1 Operator\nError creating: pods '
            '"falcon-node-sensor-" is forbidden: unable to validate against any security context '
            'constraint:\n')
    top = _first(script, tmp_path, text)
    assert top["cause"] == "pod_security_policy_denied" and "stops before" in top["message"]
