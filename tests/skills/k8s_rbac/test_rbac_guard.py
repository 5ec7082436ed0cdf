"""Guard behaviour a user notices: explanations, policies, paths, scripts and the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import _guard
from tests.skills.k8s_rbac.guard_context import SKILLS, project


@pytest.fixture
def where(tmp_path):
    return project(tmp_path / "project")


def decide(line: str, where: dict, policy: dict | None = None) -> str:
    return _guard.check(line, policy, **where)["decision"]


def test_destructive_reasons_name_the_danger(where):
    verdict = _guard.check("kubectl get pods -o name | xargs kubectl delete -n shop", **where)
    assert verdict["class"] == "destructive" and verdict["decision"] == "ask"
    assert any("deletes" in r for r in verdict["reasons"])
    assert "xargs" in verdict["signals"]
    assert verdict["explanation"].startswith("ASK (destructive): xargs kubectl delete")


def test_policy_can_deny_destructive_but_never_allow_it(where):
    assert decide("kubectl delete pod x", where, {"decisions": {"destructive": "deny"}}) == \
        "deny"
    assert _guard.policy_problems({"decisions": {"destructive": "allow"}})
    assert decide("kubectl delete pod x", where, {"decisions": {"destructive": "allow"}}) == \
        "ask"


def test_policy_allows_writes_to_approved_namespace_and_kind_only(where):
    policy = {"allowed_writes": [{"namespaces": ["team-a"],
                                  "resources": ["workloads.kueue.x-k8s.io", "httproutes"]}]}
    ok = "kubectl patch workloads wl-1 -n team-a --type=merge -p '{}'"
    assert decide(ok, where, policy) == "allow"
    assert decide(ok.replace("team-a", "team-b"), where, policy) == "ask"
    assert decide("kubectl patch deploy web -n team-a -p '{}'", where, policy) == "ask"
    assert decide("kubectl delete workloads wl-1 -n team-a", where, policy) == "ask"
    assert decide(ok + " --context=prod", where, policy) == "ask"


def test_policy_patterns_match_the_normalised_command_and_contexts(where):
    policy = {"deny": [r"^kubectl delete (ns|namespaces?) kube-system"],
              "allowed_contexts": ["k8s-skills"]}
    for line in ("kubectl delete ns kube-system", "k delete namespace kube-system",
                 "kubectl -n x delete ns kube-system", "bash -c 'kubectl delete ns kube-system'"):
        assert decide(line, where, policy) == "deny", line
    assert decide("kubectl --context=k8s-skills get pods", where, policy) == "allow"
    assert decide("kubectl --context=prod get pods", where, policy) == "ask"


@pytest.mark.parametrize("policy,needle", [
    ({"deny": ["(a+)+b"]}, "a repeat inside a repeat"),
    ({"ask": ["(a|aa)*c"]}, "alternation inside a repeat"),
    ({"deny": [r"(x)\1"]}, "backreferences"),
    ({"deny": [".*a.*b.*c"]}, "more than 2 unbounded repeats"),
    ({"deny": ["["]}, "bad regular expression"),
    ({"decisions": {"write": "maybe"}}, "decisions.write"),
    ({"aliases": {"kk": "sh"}}, "aliases.kk"),
    ({"read_programs": ["bash"]}, "runs programs"),
    ({"allowed_writes": [{"namespaces": ["a"], "resources": ["pods"], "verbs": ["delete"]}]},
     "deletes are never allowed"),
    ({"allowed_writes": [{"resources": ["pods"]}]}, "namespaces"),
    ({"secrets": "allow"}, "secrets: ask or deny"),
    ({"dry_run": ["none"]}, "dry_run"),
    ({"version": 2}, "version"),
    ({"colour": "red"}, "unknown keys"),
])
def test_policy_is_validated_in_full(policy, needle):
    problems = _guard.policy_problems(policy)
    assert any(needle in p for p in problems), problems


def test_policy_file_reports_every_problem_at_once(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("decisions: {destructive: allow}\ndeny: ['(a+)+']\nsecrets: show\n")
    with pytest.raises(ValueError) as err:
        _guard.load_policy(str(bad))
    text = str(err.value)
    assert "destructive" in text and "repeat inside a repeat" in text and "secrets" in text


def test_local_manifests_with_rbac_kinds_are_destructive(where):
    cwd = Path(where["cwd"])
    (cwd / "rbac.yaml").write_text("kind: ClusterRoleBinding\n"
                                   "apiVersion: rbac.authorization.k8s.io/v1\n")
    assert _guard.check("kubectl apply -f rbac.yaml", **where)["class"] == "destructive"
    assert _guard.check("kubectl apply -f - < rbac.yaml", **where)["class"] == "destructive"
    assert _guard.check("kubectl apply -f x.yaml", **where)["class"] == "write"
    assert _guard.check("kubectl apply -f manifests/", **where)["class"] == "write"
    assert _guard.check("printf 'kind: Role\\n' | kubectl apply -f -", **where)["class"] == \
        "destructive"


def test_dry_run_is_allowed_only_where_kubectl_honours_it(where):
    assert decide("kubectl delete ns shop --dry-run=server", where) == "allow"
    assert decide("kubectl apply -f x.yaml --dry-run=client -o yaml", where) == "allow"
    # source: pkg/cmd/create/create.go RunCreate posts --raw before any dry-run check
    assert decide("kubectl create --raw /api/v1/namespaces -f x.yaml --dry-run=server",
                  where) == "ask"
    # rollout restart has no --dry-run flag in v1.37 (pkg/cmd/rollout/rollout_restart.go)
    assert decide("kubectl rollout restart deploy/web --dry-run=server", where) == "ask"
    # a flag that takes a value swallows the next word, --dry-run included
    assert decide("kubectl delete ns shop -l --dry-run=server", where) == "ask"
    assert decide("kubectl delete ns shop --dry-run=server --dry-run=none", where) == "ask"


def test_the_working_directory_follows_cd(where):
    assert decide("cat deploy.yaml", where) == "allow"
    assert decide("cd ~/.kube && cat config", where) == "ask"
    assert decide("cd manifests && cat cm.yaml", where) == "allow"
    assert decide("cd \"$(mktemp -d)\" && echo x > notes.txt", where) == "ask"


def test_writes_stay_in_the_workspace_and_never_clobber_code(where):
    assert decide("kubectl get pods -o yaml > pods.yaml", where) == "allow"
    assert decide("kubectl get pods > /tmp/pods.txt", where) == "allow"
    assert decide("echo x > README", where) == "ask"          # exists and is not data
    assert decide("echo x > ~/.bashrc", where) == "ask"
    assert decide("echo x > .claude/settings.json", where) == "deny"
    assert decide("echo x > skills/k8s-rbac/scripts/_guard/__init__.py", where) == "deny"


def test_scripts_are_ours_only_where_they_are_installed(where, tmp_path):
    assert decide("python3 skills/k8s-rbac/scripts/audit_rbac.py --json", where) == "allow"
    assert decide(f"python3 {SKILLS}/k8s-kueue/scripts/explain_pending.py -n a", where) == \
        "allow"
    copy = tmp_path / "elsewhere" / "k8s-rbac" / "scripts"
    copy.mkdir(parents=True)
    (copy / "audit_rbac.py").write_text("print(1)\n")
    assert decide(f"python3 {copy}/audit_rbac.py", where) == "ask"
    link = Path(where["cwd"]) / "audit_rbac.py"
    link.symlink_to(SKILLS / "k8s-rbac" / "scripts" / "audit_rbac.py")
    assert decide("python3 audit_rbac.py", where) == "allow"   # the real file is ours
    assert decide("python3 skills/k8s-rbac/scripts/make_agent_rbac.py --mode advisory "
                  "--namespace a --ap", where) == "ask"        # argparse reads --ap as --apply


def test_the_environment_decides_what_readers_run(where):
    assert decide("kubectl diff -f deploy.yaml", where) == "allow"
    env = dict(where["env"], KUBECTL_EXTERNAL_DIFF="meld")
    assert _guard.check("kubectl diff -f deploy.yaml", cwd=where["cwd"], env=env,
                        skill_roots=where["skill_roots"])["decision"] == "ask"
    assert decide("echo $HOME", where) == "allow"
    assert decide("echo $ANTHROPIC_API_KEY", where) == "ask"


def test_file_tools_are_guarded_like_commands(where):
    def tool(name, **tool_input):
        verdict = _guard.judge_tool(name, tool_input, cwd=where["cwd"], env=where["env"])
        return verdict and verdict["decision"]
    assert tool("Write", file_path=".claude/settings.local.json", content="{}") == "deny"
    assert tool("Edit", file_path="~/.bashrc", old_string="a", new_string="b") == "ask"
    assert tool("Write", file_path="notes.md", content="x") is None
    assert tool("Read", file_path="/etc/kubernetes/admin.conf") == "ask"
    assert tool("Read", file_path="deploy.yaml") is None
    assert tool("Grep", pattern="kind", path="manifests") is None
    assert tool("Grep", pattern="token", path=where["env"]["HOME"]) == "ask"   # ~/.kube
    assert tool("Grep", pattern="token", path="/") == "ask"
    assert tool("Glob", pattern="**/*") is None


def test_cli_exit_codes_and_json(script):
    allow = script("guard_command.py", "--json", "--", "kubectl", "get", "pods")
    assert allow.code == 0 and allow.doc["decision"] == "allow"
    assert allow.doc["schema_version"] == 1 and allow.doc["explanation"].startswith("ALLOW")
    ask = script("guard_command.py", "--", "kubectl delete ns prod")
    assert ask.code == 1 and ask.out.startswith("ASK (destructive): kubectl delete ns prod")
    empty = script("guard_command.py")
    assert empty.code == 2 and empty.err.startswith("error:")


def test_cli_rejects_a_bad_policy_in_one_line(script, tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("decisions: {destructive: allow}\n")
    res = script("guard_command.py", "--policy", str(bad), "--", "kubectl get pods")
    assert res.code == 2 and "destructive" in res.err and len(res.err.splitlines()) == 1


def test_audit_log_redacts_credentials():
    from _guard import audit_log
    verdict = _guard.check("kubectl create secret generic db --from-literal=password=hunter2")
    record = audit_log.make_record("kubectl create secret generic db "
                                    "--from-literal=password=hunter2 --token=abc", verdict, {})
    assert "hunter2" not in record["command"] and "abc" not in record["command"]


def test_audit_before_lookup_never_uses_the_commands_kubeconfig(tmp_path, monkeypatch):
    """The issue: `kubectl scale ... --kubeconfig evil` ran evil's exec plugin first."""
    from _guard import audit_log
    calls = []
    monkeypatch.setattr(audit_log.subprocess, "run",
                        lambda cmd, **kw: calls.append(cmd) or type(
                            "P", (), {"returncode": 0, "stdout": "3"})())
    monkeypatch.setattr(audit_log.shutil, "which", lambda name: "/usr/bin/kubectl")
    evil = _guard.check("kubectl scale deploy/web -n shop --replicas=2 "
                        "--kubeconfig=/tmp/evil.yaml")
    assert audit_log.lookup_before(evil) == "" and calls == []
    plain = _guard.check("kubectl scale deploy/web -n shop --replicas=2")
    assert audit_log.lookup_before(plain) == "3"
    assert calls == [["kubectl", "get", "-o", "jsonpath={.spec.replicas}", "-n", "shop", "--",
                      "deploy/web"]]
    sneaky = _guard.check("kubectl scale -n shop --replicas=2 -- deploy/--kubeconfig=x")
    assert audit_log.lookup_before(sneaky) == ""


@pytest.mark.parametrize("line", ["kubectl get pods |", "echo $(", "a <<EOF", "", "   ",
                                  "kubectl get pods \\", "echo \x00 x", "((", "if true; then",
                                  "case x in", "for x in a", "echo ${x", "echo `x"])
def test_unreadable_lines_are_never_allowed(line):
    assert _guard.check(line)["decision"] != "allow"


def test_non_text_commands_are_asked():
    assert _guard.check(None)["decision"] == "ask"
    assert _guard.check(["kubectl", "get"])["decision"] == "ask"


def test_wrapped_commands_are_decided_one_by_one(where):
    """An allowed inner command never lends its allowance to its neighbour."""
    policy = {"allowed_writes": [{"namespaces": ["team-a"], "resources": ["workloads"]}],
              "allowed_contexts": ["k8s-skills"]}
    ok = "kubectl patch workloads w -n team-a -p x"
    assert decide(f"sh -c '{ok}'", where, policy) == "allow"
    assert decide(f"sh -c '{ok}; kubectl patch deploy web -n prod -p y'", where, policy) == \
        "ask"
    assert decide("bash -c 'kubectl get pods; kubectl --context=prod get pods'", where,
                  policy) == "ask"
    assert decide("bash -c 'kubectl apply -f x.yaml --dry-run=server; kubectl get pods'",
                  where, policy) == "allow"


def test_names_printed_by_kubectl_flow_through_pipes_and_loops(where):
    assert decide("kubectl get pods -o name | xargs kubectl describe", where) == "allow"
    assert decide("kubectl get secrets -o name | xargs kubectl get -o yaml", where) == "ask"
    assert decide("for p in $(kubectl get pods -o name); do kubectl logs $p; done",
                  where) == "allow"
    assert decide("kubectl get pods -o name | sed s/a/b/ | xargs kubectl get", where) == "ask"
    assert decide("kubectl logs $(cat pods.txt)", where) == "ask"


def test_json_output_is_one_document():
    text = json.dumps(_guard.check("kubectl get pods"))
    assert json.loads(text)["decision"] == "allow"


def test_the_shipped_policy_is_valid_and_denies_what_it_says():
    policy = _guard.load_policy(str(SKILLS / "k8s-rbac" / "assets" / "guard-policy.yaml"))
    assert _guard.check("k delete ns kube-system", policy)["decision"] == "deny"
    assert _guard.check("kubectl patch workloads w -n team-a -p x", policy)["decision"] == \
        "allow"
