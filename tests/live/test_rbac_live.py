"""k8s-rbac on a real API server with RBAC on: generated agent roles verified by
SubjectAccessReviews in both directions, and every audit/policy finding created for real.

Everything is created in per-test namespaces or under unique `rbac-test-<hex>` names, and
deleted in `finally`.
"""
from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.live

SCRIPTS = Path(__file__).resolve().parents[2] / "skills" / "k8s-rbac" / "scripts"


def run_script(kubectl_env, name: str, *args: str, stdin: str | None = None):
    return subprocess.run([sys.executable, str(SCRIPTS / name), *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env=kubectl_env)


def sar(kubectl, user: str, verb: str, resource: str, group: str = "", namespace: str = "",
        subresource: str = "") -> bool:
    ns_of_sa = user.split(":")[2]
    review = {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
              "spec": {"user": user,
                       "groups": ["system:serviceaccounts", f"system:serviceaccounts:{ns_of_sa}",
                                  "system:authenticated"],
                       "resourceAttributes": {"verb": verb, "resource": resource,
                                              "group": group, "namespace": namespace,
                                              "subresource": subresource}}}
    out = kubectl("create", "-f", "-", "-o", "json", stdin=json.dumps(review)).stdout
    return bool(json.loads(out)["status"].get("allowed"))


@pytest.fixture
def agent(kubectl, kubectl_env, namespace, other_namespace):
    """Apply generated RBAC for a mode; yields (user, write_ns, other_ns); deletes it after."""
    name = f"rbac-test-{uuid.uuid4().hex[:6]}"
    created = []

    def make(mode: str, *extra: str):
        write = ["--write-namespaces", namespace] if mode != "advisory" else []
        proc = run_script(kubectl_env, "make_agent_rbac.py", "--mode", mode, "--namespace",
                          namespace, "--name", name, *write, *extra, "--apply")
        assert proc.returncode == 0, proc.stderr
        created.append(mode)
        return f"system:serviceaccount:{namespace}:{name}"
    try:
        yield make, namespace, other_namespace
    finally:
        kubectl("delete", "clusterrolebinding,clusterrole", f"{name}-read",
                "--ignore-not-found", check=False)


def _check(kubectl, user, cases):
    wrong = [(c, want) for c, want in cases if sar(kubectl, user, *c[0], **c[1]) != want]
    assert wrong == [], wrong


def _c(verb, resource, group="", namespace="", subresource=""):
    return ((verb, resource), {"group": group, "namespace": namespace,
                               "subresource": subresource})


def test_advisory_agent_reads_everything_but_secrets_and_writes_nothing(kubectl, agent):
    make, ns, other = agent
    user = make("advisory")
    _check(kubectl, user, [
        (_c("list", "pods"), True), (_c("get", "nodes"), True),
        (_c("list", "workloads", "kueue.x-k8s.io", other), True),
        (_c("watch", "deployments", "apps", other), True),
        (_c("get", "pods", namespace=other, subresource="log"), True),
        (_c("list", "clusterrolebindings", "rbac.authorization.k8s.io"), True),
        (_c("get", "secrets", namespace=ns), False), (_c("list", "secrets"), False),
        (_c("create", "pods", namespace=ns), False),
        (_c("update", "workloads", "kueue.x-k8s.io", ns), False),
        (_c("delete", "namespaces"), False),
        (_c("create", "pods", namespace=ns, subresource="exec"), False),
        (_c("impersonate", "users"), False),
    ])


def test_semi_autonomous_agent_writes_named_kinds_in_approved_namespace_only(kubectl, agent):
    make, ns, other = agent
    user = make("semi-autonomous")
    _check(kubectl, user, [
        (_c("create", "workloads", "kueue.x-k8s.io", ns), True),
        (_c("update", "workloads", "kueue.x-k8s.io", ns), True),
        (_c("patch", "httproutes", "gateway.networking.k8s.io", ns), True),
        (_c("list", "pods", namespace=other), True),
        (_c("create", "workloads", "kueue.x-k8s.io", other), False),
        (_c("patch", "httproutes", "gateway.networking.k8s.io", other), False),
        (_c("delete", "workloads", "kueue.x-k8s.io", ns), False),
        (_c("create", "deployments", "apps", ns), False),
        (_c("create", "rolebindings", "rbac.authorization.k8s.io", ns), False),
        (_c("get", "secrets", namespace=ns), False),
        (_c("create", "clusterqueues", "kueue.x-k8s.io"), False),
    ])


def test_operator_agent_runs_workloads_in_approved_namespace_only(kubectl, agent):
    make, ns, other = agent
    user = make("operator")
    _check(kubectl, user, [
        (_c("delete", "deployments", "apps", ns), True),
        (_c("patch", "deployments", "apps", ns, "scale"), True),
        (_c("create", "jobs", "batch", ns), True),
        (_c("delete", "pods", namespace=ns), True),
        (_c("create", "localqueues", "kueue.x-k8s.io", ns), True),
        (_c("create", "deployments", "apps", other), False),
        (_c("delete", "pods", namespace=other), False),
        (_c("create", "roles", "rbac.authorization.k8s.io", ns), False),
        (_c("bind", "clusterroles", "rbac.authorization.k8s.io"), False),
        (_c("escalate", "roles", "rbac.authorization.k8s.io", ns), False),
        (_c("create", "pods", namespace=ns, subresource="exec"), False),
        (_c("get", "secrets", namespace=ns), False),
        (_c("create", "secrets", namespace=ns), False),
        (_c("delete", "namespaces"), False),
        (_c("delete", "nodes"), False),
    ])


def test_generated_network_policies_are_accepted(kubectl, agent):
    make, ns, _ = agent
    make("semi-autonomous")
    names = kubectl("get", "networkpolicies", "-n", ns, "-o", "name").stdout.split()
    assert len(names) == 4 and any(n.endswith("-default-deny") for n in names)


def test_agent_audits_its_own_identity_with_self(kubectl, kubectl_env, agent):
    """--self through impersonation: the advisory agent has no risky rule."""
    make, ns, _ = agent
    user = make("advisory")
    sa_ns, sa = user.split(":")[2:]
    env = dict(kubectl_env)
    proc = run_script(env, "audit_rbac.py", "--self", "--as", user, "-n", ns, "--json")
    assert proc.returncode in (0, 1), proc.stderr
    causes = {f["cause"] for f in json.loads(proc.stdout)["findings"]}
    assert not causes & {"wildcard_verbs", "secrets_readable", "escalation_verbs",
                         "cluster_admin_binding", "pod_exec_or_attach"}, causes


# --- audit_rbac.py: every finding created for real -------------------------------------

def _role(name, ns, rules):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": name, "namespace": ns}, "rules": rules}


def _binding(name, ns, role_kind, role_name, sa_ns, sa_name):
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
            "metadata": {"name": name, "namespace": ns},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind,
                        "name": role_name},
            "subjects": [{"kind": "ServiceAccount", "name": sa_name, "namespace": sa_ns}]}


def _rule(resources, verbs, groups=("",)):
    return {"apiGroups": list(groups), "resources": list(resources), "verbs": list(verbs)}


AUDIT_CASES = {
    "wildcard_verbs": lambda ns: [_role("rbac-test-wv", ns, [_rule(["configmaps"], ["*"])])],
    "wildcard_resources": lambda ns: [_role("rbac-test-wr", ns, [_rule(["*"], ["get"])])],
    "secrets_readable": lambda ns: [_role("rbac-test-sr", ns, [_rule(["secrets"], ["list"])])],
    "escalation_verbs": lambda ns: [_role("rbac-test-ev", ns, [
        _rule(["roles"], ["escalate", "bind"], ["rbac.authorization.k8s.io"]),
        _rule(["serviceaccounts"], ["impersonate"])])],
    "pod_exec_or_attach": lambda ns: [_role("rbac-test-px", ns, [
        _rule(["pods/exec", "pods/attach"], ["create"])])],
    "cluster_admin_binding": lambda ns: [
        _binding("rbac-test-ca", ns, "ClusterRole", "cluster-admin", ns, "default")],
    "default_service_account_bound": lambda ns: [
        _binding("rbac-test-ds", ns, "ClusterRole", "view", ns, "default")],
    "stale_binding": lambda ns: [
        _binding("rbac-test-sb", ns, "ClusterRole", "view", ns, "ghost-sa")],
}


@pytest.mark.parametrize("cause", sorted(AUDIT_CASES))
def test_audit_rbac_finds_it_live(cause, kubectl, kubectl_env, namespace):
    from tests.live.helpers import apply
    objects = AUDIT_CASES[cause](namespace)
    apply(kubectl, *objects)
    proc = run_script(kubectl_env, "audit_rbac.py", "-n", namespace, "--json")
    assert proc.returncode == 1, proc.stderr
    found = {(f["cause"], f["object"]["name"]) for f in json.loads(proc.stdout)["findings"]}
    assert (cause, objects[0]["metadata"]["name"]) in found, found
    # ... and the same dump offline gives the same finding
    dump = kubectl("get", "roles,rolebindings,serviceaccounts", "-n", namespace, "-o",
                   "yaml").stdout
    offline = run_script(kubectl_env, "audit_rbac.py", "-f", "-", "--json", stdin=dump)
    assert cause in {f["cause"] for f in json.loads(offline.stdout)["findings"]}


def test_audit_rbac_self_sees_an_over_privileged_agent(kubectl, kubectl_env, namespace):
    """A ServiceAccount bound to cluster-admin in its namespace: --self names the risks."""
    from tests.live.helpers import apply
    kubectl("create", "serviceaccount", "rbac-test-agent", "-n", namespace)
    apply(kubectl, _binding("rbac-test-agent", namespace, "ClusterRole", "cluster-admin",
                            namespace, "rbac-test-agent"))
    user = f"system:serviceaccount:{namespace}:rbac-test-agent"
    proc = run_script(kubectl_env, "audit_rbac.py", "--self", "--as", user, "-n", namespace,
                      "--json")
    assert proc.returncode == 1, proc.stderr
    causes = {f["cause"] for f in json.loads(proc.stdout)["findings"]}
    assert {"wildcard_verbs", "wildcard_resources", "secrets_readable"} <= causes
    assert "cluster_admin_binding" not in causes  # namespace admin, not cluster-wide


# --- check_pod_security.py: every finding created for real ----------------------------

def _restricted_pod(name: str, ns: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": {"automountServiceAccountToken": False,
                     "securityContext": {"runAsNonRoot": True, "runAsUser": 1000,
                                         "seccompProfile": {"type": "RuntimeDefault"}},
                     "containers": [{"name": "app", "image": "trainer:1.0", "securityContext": {
                         "allowPrivilegeEscalation": False,
                         "capabilities": {"drop": ["ALL"]}}}]}}


def _c0(pod):
    return pod["spec"]["containers"][0]


POD_CASES = {
    "host_namespaces": lambda p: p["spec"].update(hostPID=True),
    "host_path_volume": lambda p: p["spec"].update(volumes=[
        {"name": "host-run", "hostPath": {"path": "/var/run"}}]),
    "unsafe_sysctls": lambda p: p["spec"]["securityContext"].update(
        sysctls=[{"name": "kernel.msgmax", "value": "65536"}]),
    "seccomp_unconfined": lambda p: p["spec"]["securityContext"].update(
        seccompProfile={"type": "Unconfined"}),
    "privileged_container": lambda p: _c0(p)["securityContext"].update(
        privileged=True, allowPrivilegeEscalation=True),
    "capabilities_added": lambda p: _c0(p)["securityContext"].update(
        capabilities={"drop": ["ALL"], "add": ["SYS_ADMIN"]}),
    "host_port": lambda p: _c0(p).update(ports=[{"containerPort": 80, "hostPort": 8080}]),
    "proc_mount_unmasked": lambda p: (p["spec"].update(hostUsers=False),
                                      _c0(p)["securityContext"].update(procMount="Unmasked")),
    "restricted_volume_type": lambda p: p["spec"].update(volumes=[
        {"name": "nfs-data", "nfs": {"server": "10.0.0.1", "path": "/data"}}]),
    "privilege_escalation_allowed": lambda p: _c0(p)["securityContext"].update(
        allowPrivilegeEscalation=True),
    "run_as_root": lambda p: p["spec"]["securityContext"].update(runAsNonRoot=False,
                                                                 runAsUser=0),
    "seccomp_missing": lambda p: p["spec"]["securityContext"].pop("seccompProfile"),
    "capabilities_not_dropped": lambda p: _c0(p)["securityContext"].pop("capabilities"),
    "toleration_not_approved": lambda p: p["spec"].update(tolerations=[
        {"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}]),
    "node_selector_not_approved": lambda p: p["spec"].update(
        nodeSelector={"pool": "secret-hardware"}),
    "service_account_token_automounted": lambda p: p["spec"].pop(
        "automountServiceAccountToken"),
}
PLATFORM_POLICY = {
    "level": "restricted",
    "allowed_tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists",
                             "effect": "NoSchedule"}],
    "allowed_node_selectors": {"nvidia.com/gpu.product": "*"},
    "automount_service_account_token": False,
    "namespace_scoped_only": True,
}


def _policy_file(tmp_path) -> str:
    path = tmp_path / "platform-policy.yaml"
    path.write_text(yaml.safe_dump(PLATFORM_POLICY))
    return str(path)


def _pod_findings(kubectl_env, namespace, policy):
    proc = run_script(kubectl_env, "check_pod_security.py", "-n", namespace, "--policy",
                      policy, "--json")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)["findings"]


def test_compliant_pod_passes_the_platform_policy(kubectl, kubectl_env, namespace, tmp_path):
    from tests.live.helpers import apply
    apply(kubectl, _restricted_pod("good", namespace))
    code, findings = _pod_findings(kubectl_env, namespace, _policy_file(tmp_path))
    assert (code, findings) == (0, [])


@pytest.mark.parametrize("cause", sorted(POD_CASES))
def test_check_pod_security_finds_it_live(cause, kubectl, kubectl_env, namespace, tmp_path):
    from tests.live.helpers import apply
    pod = _restricted_pod("bad", namespace)
    POD_CASES[cause](pod)
    apply(kubectl, pod)
    code, findings = _pod_findings(kubectl_env, namespace, _policy_file(tmp_path))
    assert code == 1
    assert cause in {f["cause"] for f in findings}, findings


def test_check_pod_security_finds_cluster_scoped_access_live(kubectl, kubectl_env, namespace,
                                                              tmp_path):
    from tests.live.helpers import apply
    name = f"rbac-test-{uuid.uuid4().hex[:6]}"
    kubectl("create", "serviceaccount", "trainer", "-n", namespace)
    pod = _restricted_pod("bad", namespace)
    pod["spec"]["serviceAccountName"] = "trainer"
    apply(kubectl, pod)
    try:
        kubectl("create", "clusterrolebinding", name, "--clusterrole=view",
                f"--serviceaccount={namespace}:trainer")
        code, findings = _pod_findings(kubectl_env, namespace, _policy_file(tmp_path))
        assert code == 1 and [f["cause"] for f in findings] == ["cluster_scoped_access"]
    finally:
        kubectl("delete", "clusterrolebinding", name, "--ignore-not-found", check=False)


# --- the hook's audit trail on a real change -------------------------------------------

def test_hook_logs_an_asked_scale_and_the_cited_signal(kubectl, kubectl_env,
                                                                  namespace, tmp_path):
    from harness import safety
    kubectl("create", "deployment", "web", "--image=nginx", "--replicas=3", "-n", namespace)
    log = tmp_path / "audit.jsonl"
    command = f"kubectl scale deploy/web -n {namespace} --replicas=5"
    pre = {"tool_name": "Bash", "session_id": "live-1", "tool_use_id": "tu-1",
           "tool_input": {"command": command, "description": "P95 latency 850ms over SLO"}}
    proc = run_script(kubectl_env, "guard_command.py", "--hook", "--log", str(log),
                      stdin=json.dumps(pre))
    assert json.loads(proc.stdout)["hookSpecificOutput"]["permissionDecision"] == "ask"
    kubectl(*command.split()[1:])  # the user said yes
    run_script(kubectl_env, "guard_command.py", "--hook-post", "--log", str(log),
               stdin=json.dumps({"tool_name": "Bash", "tool_use_id": "tu-1",
                                 "tool_response": {"stdout": "scaled"}}))
    action = safety.summarise(safety.read_audit_log(log))["actions"][0]
    # The guard asked (a write): nothing is read for a command it did not allow itself, so
    # the record has no "from 3" (references/guard-policy.md: `before` only after an allow).
    assert action["sentence"] == (f"scaled deployment/web in {namespace} to 5 citing "
                                  "P95 latency 850ms over SLO")
    assert action["result"] == "ran"
