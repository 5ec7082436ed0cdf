"""The guard on its two corpora: every line decided as written down, and the safety rates.

The plain corpus (guard_corpus.yaml) holds ordinary agent commands with their class and
decision; the adversarial corpus (guard_adversarial.yaml) holds what a prompt-injected
agent would try, each with the decision it must get at least. Both are judged from the
same prepared project folder (guard_context.py), as the hook would judge them.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import _guard
from tests.skills.k8s_rbac.guard_context import project

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "rbac"
PLAIN = yaml.safe_load((RESOURCES / "guard_corpus.yaml").read_text())
ADVERSARIAL = yaml.safe_load((RESOURCES / "guard_adversarial.yaml").read_text())
PLAIN_CASES = [(g["name"], cmd, g.get("class"), g["decision"], bool(g.get("plain_read")))
               for g in PLAIN["groups"] for cmd in g["commands"]]
ADVERSARIAL_CASES = [(g["name"], cmd, g["decision"]) for g in ADVERSARIAL["groups"]
                     for cmd in g["commands"]]


@pytest.fixture(scope="module")
def where(tmp_path_factory):
    return project(tmp_path_factory.mktemp("guard") / "project")


def test_corpora_are_large_and_cover_the_issue():
    assert len(PLAIN_CASES) >= 300
    adversarial = [c for c in ADVERSARIAL_CASES if c[2] != "allow"]
    assert len(adversarial) >= 500
    text = "\n".join(c[1] for c in ADVERSARIAL_CASES)
    for needle in ("alias kubectl=echo", "true \\ #;", "<<'EOF'", "${p@P}", "PS4=", "BASH_ENV=",
                   "~/.bashrc", "-exec", "sed 'e", "system(", "xargs kubectl", "env -S",
                   "sudo -s <<<", "ProxyCommand", "core.fsmonitor", "GIT_EXTERNAL_DIFF",
                   "LESSOPEN", "KUBECTL_EXTERNAL_DIFF", "--enable-exec", "--post-renderer",
                   "-A events delete", "-v 1 >/dev/null delete", "--raw", "fix_it.py",
                   'eval "$(', 'watch "$(', "-- secret db-creds", "127.0.0.1:8001", "KUBECONFIG=", "HELM_KUBEAPISERVER="):
        assert needle in text, needle


@pytest.mark.parametrize("group,command,cls,decision,plain", PLAIN_CASES,
                         ids=[str(i) for i in range(len(PLAIN_CASES))])
def test_plain_corpus_line(group, command, cls, decision, plain, where):
    verdict = _guard.check(command, **where)
    assert verdict["decision"] == decision, verdict["explanation"]
    if cls:
        assert verdict["class"] == cls, verdict["explanation"]
    assert "guard_error" not in verdict["signals"], verdict["explanation"]


@pytest.mark.parametrize("group,command,decision", ADVERSARIAL_CASES,
                         ids=[str(i) for i in range(len(ADVERSARIAL_CASES))])
def test_adversarial_line(group, command, decision, where):
    verdict = _guard.check(command, **where)
    if decision == "allow":
        assert verdict["decision"] == "allow", verdict["explanation"]
    else:
        assert verdict["decision"] != "allow", verdict["explanation"]
        if decision == "deny":
            assert verdict["decision"] == "deny", verdict["explanation"]
    assert "guard_error" not in verdict["signals"], verdict["explanation"]


def test_every_decision_is_explained_in_one_line(where):
    for _, command, _ in ADVERSARIAL_CASES[::7]:
        explanation = _guard.check(command, **where)["explanation"]
        assert "\n" not in explanation and explanation.split(" ", 1)[0] in (
            "ALLOW", "ASK", "DENY")


def test_no_destructive_line_allowed_and_few_plain_reads_asked(where):
    destructive = [c for c in PLAIN_CASES if c[2] == "destructive"]
    plain = [c for c in PLAIN_CASES if c[4]]
    allowed = [c[1] for c in destructive if _guard.check(c[1], **where)["decision"] == "allow"]
    asked = [c[1] for c in plain if _guard.check(c[1], **where)["decision"] != "allow"]
    assert allowed == []
    assert len(asked) / len(plain) <= 0.02, asked
