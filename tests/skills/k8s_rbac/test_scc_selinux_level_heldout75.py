"""An OpenShift SCC refusal of the SELinux level, and a piece of the SCC provider list quoted
without its head.

The level is the namespace's MCS level, which the SCC's seLinuxContext MustRunAs fills in only
for a pod or container with no seLinuxOptions: an empty `seLinuxOptions: {}` is set, is not
filled, and fails as `.seLinuxOptions.level: Invalid value: ""` (openshift/apiserver-library-go
pkg/securitycontextconstraints/selinux/mustrunas.go@4b0354dd MutateContainer, validate). Pod
Security's SELinux control reads type, user and role, never the level (k8s.io/pod-security-
admission v0.37.2 policy/check_seLinuxOptions.go), so the level is a securityContext value the
SCC refuses (security_context_denied); type, user or role stay selinux_options.

The items are SCC admission's own (sccadmission/admission.go@0666a148: `provider %q: Forbidden:
not usable by user or serviceaccount`, field errors under `provider <name>: `). The held-out
paste is bitnami/charts#22511 (postgresql 13.3.1 rendered `seLinuxOptions: {}`; setting it to
null fixed it, the maintainer changed the catalog)."""
from __future__ import annotations

import pytest

# bitnami/charts#22511, the reporter's error line as posted (the list's head cut off)
BITNAMI = ('bitnami/postgresql 13.3.1 on openshift: deployment fails, when using\n'
           '```seLinuxOptions: {}```\n\n```\nForbidden: not usable by user or serviceaccount, '
           'provider restricted: .containers[0].seLinuxOptions.level: Invalid value: ""\n```\n')
# the whole refusal as an events table prints it (restricted-v2, OpenShift 4.11+), the level's
# detail as mustrunas.go writes it
EVENTS = ('LAST SEEN   TYPE      REASON         OBJECT                    MESSAGE\n'
          '12s         Warning   FailedCreate   statefulset/db   create Pod db-0 in StatefulSet db '
          'failed error: pods "db-0" is forbidden: unable to validate against any security '
          'context constraint: [provider "anyuid": Forbidden: not usable by user or '
          'serviceaccount, provider restricted-v2: .containers[0].seLinuxOptions.level: Invalid '
          'value: "": must be s0:c26,c15, provider "restricted": Forbidden: not usable by user or '
          'serviceaccount, provider "privileged": Forbidden: not usable by user or '
          'serviceaccount]\n')
# a piece of the list with a quoted provider and the pod's own level (a Deployment's condition)
PIECE = ('    message: \'provider "anyuid": Forbidden: not usable by user or serviceaccount, '
         'provider restricted-v2: .spec.securityContext.seLinuxOptions.level: Invalid value: '
         '"s0:c1,c0": must be s0:c26,c15\'\n    reason: FailedCreate\n')


def _top(script, tmp_path, text: str) -> dict:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = script("check_pod_security.py", "-f", str(path), "--json")
    assert result.code == 1, result.err
    return result.doc["findings"][0]


@pytest.mark.parametrize("text", [BITNAMI, EVENTS, PIECE], ids=["heldout", "events", "piece"])
def test_an_scc_refusing_the_selinux_level_is_the_security_context(script, tmp_path, text):
    top = _top(script, tmp_path, text)
    assert top["cause"] == "security_context_denied" and top["basis"] == "reported"
    assert "seLinuxOptions" in top["message"] and "{}" in top["message"]


def test_the_selinux_type_stays_the_pod_security_control(script, tmp_path):
    text = EVENTS.replace('seLinuxOptions.level: Invalid value: "": must be s0:c26,c15',
                          'seLinuxOptions.type: Invalid value: "spc_t": must be container_t')
    assert _top(script, tmp_path, text)["cause"] == "selinux_options"


def test_level_and_type_refused_together_stay_the_scc_refusal(script, tmp_path):
    text = EVENTS.replace('must be s0:c26,c15,', 'must be s0:c26,c15, provider restricted-v2: '
                          '.containers[0].seLinuxOptions.type: Invalid value: "spc_t": must be '
                          'container_t,')
    assert _top(script, tmp_path, text)["cause"] == "pod_security_policy_denied"


def test_provider_items_without_the_scc_words_are_not_read_as_an_scc(script, tmp_path):
    # PodSecurityPolicy prefixed its items `provider %s: ` too (kubernetes v1.24
    # podsecuritypolicy/admission.go) but never wrote "not usable by user or serviceaccount":
    # without the head and without those words the piece is not an SCC refusal
    path = tmp_path / "paste.txt"
    path.write_text('on openshift the pod fails:\nprovider restricted: .containers[0].'
                    'seLinuxOptions.level: Invalid value: ""\n')
    result = script("check_pod_security.py", "-f", str(path), "--json")
    causes = [f["cause"] for f in result.doc["findings"]]
    assert "security_context_denied" not in causes and "pod_security_policy_denied" not in causes


def test_a_headed_list_is_one_refusal_not_two(script, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text(EVENTS)
    result = script("check_pod_security.py", "-f", str(path), "--json")
    assert len(result.doc["findings"]) == 1


def test_the_uid_and_group_ranges_stay_the_scc_refusal(script, tmp_path):
    # evryfs/helm-charts#28 (OpenShift 4.5.16): fixed fsGroup and runAsUser outside the
    # namespace's ranges, the list printed without provider names; a range is the SCC refusal
    # as a whole (test_scc_one_setting_heldout34), whose fix names both ways out
    text = ('FailedCreate\ncreate Pod dependency-track-postgresql-0 in StatefulSet '
            'dependency-track-postgresql failed error: pods "dependency-track-postgresql-0" is '
            'forbidden: unable to validate against any security context constraint: [fsGroup: '
            'Invalid value: []int64{1001}: 1001 is not an allowed group spec.containers[0].'
            'securityContext.securityContext.runAsUser: Invalid value: 1001: must be in the '
            'ranges: [1000740000, 1000749999]]\n')
    top = _top(script, tmp_path, text)
    assert top["cause"] == "pod_security_policy_denied"
    assert "runAsUser" in top["fix"] and "add-scc-to-user" in top["fix"]
