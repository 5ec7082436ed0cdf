"""check_pod_security.py on refusals of a pod that held-out round 28 showed it could not read.

- OpenShift's SecurityContextConstraints admission: `unable to validate against any security
  context constraint: [provider "anyuid": Forbidden: ..., provider restricted: ...]`
  (openshift/origin pkg/security/admission/sccadmission, the PSP provider list's shape;
  uselagoon/lagoon#3227 as pasted: wrapped by the reporter, cut inside the list).
- A quota refusal of the pod (`failed quota: Q: must specify limits.cpu,...`, kubernetes
  v1.37.2 plugin/pkg/admission/resourcequota; jupyterhub/zero-to-jupyterhub-k8s#1761 as a
  `kubectl get events` row): the pod is refused at admission like a security check refuses it.
- Nothing to check is not "compliant".
"""
from __future__ import annotations

LAGOON = '''pods "solr-84ccf5fb59-" is forbidden: unable to validate against any
        security context constraint: [provider "anyuid": Forbidden: not usable
        by user or serviceaccount, provider restricted:
        .spec.securityContext.fsGroup: Invalid value: []int64{0}: 0 is not an
        allowed group, provider "nonroot": Forbidden: not usable by user or
        serviceaccount, provider "hostnetwork": Forbidden: not usable by user or
        serviceaccount,
'''
QUOTA = ("jupyterhub   4m49s       Warning   FailedCreate              job/hook-image-awaiter"
         "                 (combined from similar events): Error creating: pods "
         "\"hook-image-awaiter-6mvsc\" is forbidden: failed quota: jupyterhub-resourcequota: "
         "must specify limits.cpu,limits.memory,requests.cpu,requests.memory\n")


def _run(script, tmp_path, text: str, *flags: str):
    path = tmp_path / "paste.txt"
    path.write_text(text)
    return script("check_pod_security.py", "-f", str(path), *(flags or ("--json",)))


def test_an_scc_refusal_cut_inside_its_list_is_read(script, tmp_path):
    result = _run(script, tmp_path, LAGOON)
    assert result.code == 1, result.err
    top = result.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("pod_security_policy_denied", "reported"), top
    assert "SecurityContextConstraints" in top["message"] and "oc adm policy" in top["fix"]
    assert any("fsGroup" in e for e in top["evidence"]), top["evidence"]


def test_a_quota_refusal_of_the_pod_is_named(script, tmp_path):
    result = _run(script, tmp_path, QUOTA)
    assert result.code == 1, result.err
    assert result.doc["findings"][0]["cause"] == "quota_requires_limits"


def test_nothing_to_check_is_not_compliant(script, tmp_path):
    result = _run(script, tmp_path, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
                  "data: {a: b}\n", "--limit", "5")  # the text answer
    assert result.code == 0, result.err
    assert result.out.startswith("nothing to check"), result.out
