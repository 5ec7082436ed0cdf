"""OpenShift SCC refusals whose meaning is not a pod setting: `oc exec` into a running pod
refused because SCC admission re-runs as the caller, and the note that the old `restricted`
SCC would admit what restricted-v2 refuses. Wordings from openshift/apiserver-library-go
a8019f39 pkg/securitycontextconstraints/sccadmission/scc_exec.go:75 and admission.go:330."""
from __future__ import annotations

NOT_USABLE = 'provider "{}": Forbidden: not usable by user or serviceaccount'
EXEC = ('Error from server (Forbidden): pods "node-debugger-0" is forbidden: exec operation is '
        "not allowed because the pod's security context exceeds your permissions: unable to "
        "validate against any security context constraint: [" + NOT_USABLE.format("anyuid") +
        ", provider restricted-v2: .containers[0].privileged: Invalid value: true: Privileged "
        "containers are not allowed, " + NOT_USABLE.format("privileged") + "]\n")
RESTRICTED_V1 = (
    'Error creating: pods "web-0" is forbidden: unable to validate against any security context '
    "constraint: [" + NOT_USABLE.format("anyuid") + ", provider restricted-v2: .containers[0]."
    "allowPrivilegeEscalation: Invalid value: true: Allowing privilege escalation for "
    "containers is not allowed, no access to scc/restricted: Forbidden: the pod fails to "
    "validate against the `restricted-v2` security context constraint, but would validate "
    "successfully against the `restricted` security context constraint, " +
    NOT_USABLE.format("restricted") + "]\n")


def _findings(script, tmp_path, name: str, text: str) -> list[dict]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = script(name, "-f", str(path), "--json")
    assert result.code == 1, result.err
    return result.doc["findings"]


def _first(script, tmp_path, name: str, text: str) -> dict:
    return _findings(script, tmp_path, name, text)[0]


def test_exec_refused_by_scc_is_the_callers_rights_not_the_pod(script, tmp_path):
    for name in ("check_pod_security.py", "audit_rbac.py"):
        top = _first(script, tmp_path, name, EXEC)
        assert top["cause"] == "pod_security_policy_denied", top
        assert top["object"]["name"] == "node-debugger-0"
        assert "exec into pod node-debugger-0" in top["message"]
        assert "add-scc-to-user" in top["fix"] and "-z" not in top["fix"]
    # one refusal: its list items are not read again as PodSecurityPolicy field errors
    assert len(_findings(script, tmp_path, "check_pod_security.py", EXEC)) == 1


def test_the_restricted_v1_note_is_no_second_setting(script, tmp_path):
    # the note is a Forbidden item of its own: counted as a field error it would hide the one
    # setting restricted-v2 refuses
    top = _first(script, tmp_path, "check_pod_security.py", RESTRICTED_V1)
    assert top["cause"] == "privilege_escalation_allowed"
    assert "`restricted` SCC" in top["message"]
