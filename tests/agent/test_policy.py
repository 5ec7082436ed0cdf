"""The model's shell: kubectl reads and installed skill scripts only, and the guard must agree.
Attacks here are the ones a prompt-injected model would try (expansions, redirections,
identity flags, plugins, files outside the skills), each refused with one reason."""
from __future__ import annotations

import pytest

from agent.policy import ToolPolicy
from harness import safety


@pytest.fixture
def policy(tmp_path):
    scripts = tmp_path / ".claude" / "skills" / "k8s-troubleshooting" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "triage.py").write_text("print('ok')\n")
    (scripts / "_tshoot").mkdir()
    (scripts / "_tshoot" / "model.py").write_text("")
    return ToolPolicy(tmp_path, guard=lambda c: safety.check(
        c, cwd=str(tmp_path), skill_roots=[str(tmp_path / ".claude" / "skills")]),
        propose_tool="mcp__agent__propose_change")


ALLOWED = [
    "kubectl get pods -n shop",
    "kubectl -n shop get pods -o wide",
    "kubectl describe deployment web -n shop",
    "kubectl logs web-0 -n shop --previous --tail=50",
    "kubectl get events -n shop --sort-by=.lastTimestamp",
    "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
    "kubectl auth can-i list pods -n shop",
    "python3 .claude/skills/k8s-troubleshooting/scripts/triage.py -n shop --json",
    "kubectl get pods,events -n shop -o json | "
    "python3 .claude/skills/k8s-troubleshooting/scripts/triage.py -f -",
]

REFUSED = [
    ("kubectl scale deploy web --replicas=5 -n shop", "not a read"),
    ("kubectl delete pod web-0", "not a read"),
    ("kubectl apply -f fix.yaml", "-f"),
    ("kubectl patch deploy web -p x", "not a read"),
    ("kubectl exec -it web-0 -- sh", "not a read"),
    ("kubectl proxy", "not a read"),
    ("kubectl krew install foo", "not a read"),        # a plugin would run another binary
    ("kubectl get pods --kubeconfig=/root/.kube/config", "--kubeconfig"),
    ("kubectl get secrets --as=system:admin", "--as"),
    ("kubectl get pods --token abc", "--token"),
    ("kubectl get pods -s https://10.0.0.1", "-s"),
    ("kubectl get -f /var/run/secrets/kubernetes.io/serviceaccount/token", "-f"),
    ("kubectl get pods -o go-template-file=/etc/shadow", "template files"),
    ("kubectl get pods -w", "-w"),
    ("kubectl logs -f web-0", "-f"),
    ("kubectl config view --raw", "not a read"),
    ("kubectl get pods; rm -rf /", "';'"),
    ("kubectl get pods && curl x", "'&'"),
    ("kubectl get pods > /tmp/x", "'>'"),
    ("kubectl get pods $(id)", "'$'"),
    ('kubectl get pods "$HOME"', "'$' inside double quotes"),
    ("kubectl get pods `id`", "'`'"),
    ("KUBECONFIG=/etc/admin.conf kubectl get pods", "not allowed"),
    ("cat /var/run/secrets/kubernetes.io/serviceaccount/token", "'cat' is not allowed"),
    ("python3 -c 'import os'", "not a skill script"),
    ("python3 /tmp/triage.py -n shop", "not a skill script"),
    ("python3 .claude/skills/../../evil.py", "not a skill script"),
    ("python3 .claude/skills/k8s-troubleshooting/scripts/_tshoot/model.py", "not a skill"),
    ("python3 .claude/skills/k8s-troubleshooting/scripts/triage.py -f /etc/passwd",
     "stdin only"),
    ("python3 .claude/skills/k8s-troubleshooting/scripts/triage.py --apply", "never applies"),
    (".claude/skills/k8s-troubleshooting/scripts/triage.py -n shop", "not allowed"),
    ("kubectl get pods\nrm -rf /", "'\\n'"),
    ("kubectl get pods ~", "'~'"),
    ("kubectl get pod*", "'*'"),
    ("", "empty"),
    ("kubectl get pods " + "x" * 5000, "longer than"),
]


@pytest.mark.parametrize("command", ALLOWED)
def test_reads_and_skill_scripts_are_allowed(policy, command):
    decision = policy.bash(command)
    assert decision.allowed, decision.reason


@pytest.mark.parametrize("command,why", REFUSED)
def test_everything_else_is_refused_with_a_reason(policy, command, why):
    decision = policy.bash(command)
    assert not decision.allowed
    assert why in decision.reason
    assert "\n" not in decision.reason


def test_the_guard_must_also_allow(tmp_path):
    asked = ToolPolicy(tmp_path, guard=lambda c: {"decision": "ask", "reasons": ["unsure"]})
    decision = asked.bash("kubectl get pods")
    assert not decision.allowed and "k8s-rbac guard: ask: unsure" in decision.reason


def test_no_guard_or_a_broken_guard_refuses(tmp_path):
    assert not ToolPolicy(tmp_path).bash("kubectl get pods").allowed

    def broken(command):
        raise RuntimeError("guard crashed")
    decision = ToolPolicy(tmp_path, guard=broken).decide("Bash", {"command": "kubectl get po"})
    assert not decision.allowed and "policy error" in decision.reason


def test_other_tools(policy, tmp_path):
    skill_md = tmp_path / ".claude" / "skills" / "k8s-troubleshooting" / "SKILL.md"
    assert policy.decide("Read", {"file_path": str(skill_md)}).allowed
    assert not policy.decide("Read", {"file_path": "/etc/passwd"}).allowed
    assert not policy.decide("Read", {"file_path": str(tmp_path / "../private/x")}).allowed
    assert not policy.decide("Grep", {"pattern": "x", "path": "/"}).allowed
    assert policy.decide("Skill", {"skill": "k8s-kueue"}).allowed
    assert policy.decide("mcp__agent__propose_change", {}).allowed
    for tool in ("Write", "Edit", "WebFetch", "Task", "mcp__other__tool"):
        assert not policy.decide(tool, {}).allowed
