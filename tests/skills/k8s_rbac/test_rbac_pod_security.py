"""check_pod_security.py offline: PSS levels and the platform policy."""
from __future__ import annotations


def _causes(res):
    return {f["cause"] for f in res.doc["findings"]}


def test_compliant_gpu_job_passes_restricted_and_platform_policy(script, resource):
    res = script("check_pod_security.py", "-f", resource("pod-restricted.yaml"), "--policy",
                 resource("platform-policy.yaml"), "--json")
    assert res.code == 0 and res.doc["findings"] == []


def test_baseline_catches_host_access_and_privilege(script, resource):
    res = script("check_pod_security.py", "-f", resource("pod-bad.yaml"), "--level",
                 "baseline", "--json")
    assert res.code == 1
    assert _causes(res) == {"host_namespaces", "host_path_volume", "host_port",
                            "privileged_container", "capabilities_added"}


def test_platform_policy_adds_tolerations_selectors_tokens_and_cluster_access(script, resource):
    res = script("check_pod_security.py", "-f", resource("pod-bad.yaml"), "--policy",
                 resource("platform-policy.yaml"), "--json")
    assert {"toleration_not_approved", "node_selector_not_approved",
            "service_account_token_automounted", "cluster_scoped_access",
            "run_as_root", "seccomp_missing", "capabilities_not_dropped",
            "privilege_escalation_allowed"} <= _causes(res)


def test_privileged_level_checks_nothing_but_policy(script, resource):
    res = script("check_pod_security.py", "-f", resource("pod-bad.yaml"), "--level",
                 "privileged")
    assert res.code == 0


def test_needs_an_input(script):
    res = script("check_pod_security.py")
    assert res.code == 2 and "-f FILE" in res.err


def test_bad_policy_is_rejected(script, resource, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("level: strict\n")
    res = script("check_pod_security.py", "-f", resource("pod-bad.yaml"), "--policy", str(bad))
    assert res.code == 2 and "level" in res.err
