"""Held-out round 77 (check_pod_security.py): an OpenShift SCC refusal whose provider list
carries no brackets.

OpenShift 4 prints the list through ToAggregate (openshift/apiserver-library-go a8019f39
pkg/securitycontextconstraints/sccadmission/admission.go:130), and an aggregate of one error
prints it bare (k8s.io/apimachinery v0.37.2 pkg/util/errors/errors.go:75; the admission test
expects `...constraint: provider matchingPriorityAndScoreSCCOne: .containers[0].runAsUser:
Invalid value: 5: must be: 6`, admission_test.go:1127). The held-out paste is
decisionbox-io/decisionbox-platform#320 (agent Job pods pinned runAsUser/fsGroup 1000 under
restricted-v2; the fix omits the pins on OpenShift so the SCC assigns IDs from the namespace's
ranges): the items pasted one a line. A range refusal stays the SCC refusal as a whole, whose
fix names both ways out (test_pod_refusals_heldout42, test_scc_selinux_level_heldout75)."""
from __future__ import annotations

import pytest

# decisionbox-io/decisionbox-platform#320, the developer's block as posted
HELDOUT = ('On OpenShift/OKD the agent Job pods never schedule, the Job hits its deadline:\n\n'
           '```\npods "test-6a68d0f08831-..." is forbidden: unable to validate against any '
           'security context constraint:\n  provider restricted-v2: .spec.securityContext.fsGroup:'
           ' Invalid value: [1000]: 1000 is not an allowed group\n  provider restricted-v2: '
           '.containers[0].runAsUser: Invalid value: 1000: must be in the ranges: [1000740000, '
           '1000749999]\n```\n')
# the same refusal of one item as a Job's FailedCreate event prints it (one error: no
# brackets), the field error as sccmatching/provider.go:385@a8019f39 writes it
ONE_SETTING = ('LAST SEEN   TYPE      REASON         OBJECT          MESSAGE\n'
               '5s          Warning   FailedCreate   job/agent-test  Error creating: pods '
               '"agent-test-x7k2p" is forbidden: unable to validate against any security context '
               'constraint: provider restricted-v2: .containers[0].allowPrivilegeEscalation: '
               'Invalid value: true: Allowing privilege escalation for containers is not '
               'allowed\n')


def _run(script, tmp_path, text: str):
    path = tmp_path / "paste.txt"
    path.write_text(text)
    return script("check_pod_security.py", "-f", str(path), "--json")


def test_the_heldout_bare_list_is_the_scc_refusal(script, tmp_path):
    result = _run(script, tmp_path, HELDOUT)
    assert result.code == 1, result.err
    top = result.doc["findings"][0]
    assert top["cause"] == "pod_security_policy_denied" and top["basis"] == "reported"
    evidence = " ".join(top["evidence"])
    assert "1000 is not an allowed group" in evidence and "must be in the ranges" in evidence
    assert "runAsUser" in top["fix"] and "add-scc-to-user" in top["fix"]


def test_one_bare_item_of_one_setting_is_that_setting(script, tmp_path):
    result = _run(script, tmp_path, ONE_SETTING)
    assert result.code == 1, result.err
    top = result.doc["findings"][0]
    assert top["cause"] == "privilege_escalation_allowed" and top["basis"] == "reported"


@pytest.mark.parametrize("tail", ["see the events below\n", "\n"], ids=["prose", "cut"])
def test_the_head_without_items_keeps_its_old_answer(script, tmp_path, tail):
    # followed by words, the head is a sentence (prose only: not_evaluated); cut after its
    # colon, it is the refusal with no list (CrowdStrike/falcon-operator#563)
    result = _run(script, tmp_path, "the operator's pods fail: unable to validate against any "
                  "security context constraint: " + tail)
    causes = [f["cause"] for f in result.doc["findings"]]
    if tail.strip():
        assert "pod_security_policy_denied" not in causes
    else:
        assert causes[0] == "pod_security_policy_denied"
