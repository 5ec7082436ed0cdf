"""The guard on its corpus: every line judged as written down, and the two safety rates."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness import safety

CORPUS = Path(__file__).resolve().parents[2] / "resources" / "rbac" / "guard_corpus.yaml"
CASES = [(g["name"], cmd, g["class"], g["decision"], bool(g.get("plain_read")))
         for g in yaml.safe_load(CORPUS.read_text())["groups"] for cmd in g["commands"]]


def test_corpus_is_large_and_covers_every_wrapper():
    text = "\n".join(c[1] for c in CASES)
    assert len(CASES) >= 300
    for needle in ("k ", "sudo ", "env ", "xargs ", "sh -c", "bash -c", " | ", ";", "&&",
                   "$(", "`", "--kubeconfig=", "--server=", "-f - <<", "--prune", "--all",
                   "--replicas=0", "drain", "cordon", "patch clusterrole", "helm uninstall"):
        assert needle in text, needle


@pytest.mark.parametrize("group,command,cls,decision,plain", CASES,
                         ids=[f"{i}" for i in range(len(CASES))])
def test_guard_judges_corpus_line(group, command, cls, decision, plain):
    verdict = safety.check(command)
    assert (verdict["class"], verdict["decision"]) == (cls, decision), verdict["reasons"]


def test_no_destructive_line_is_allowed_and_plain_reads_are_not_asked():
    destructive = [c for c in CASES if c[2] == "destructive"]
    plain = [c for c in CASES if c[4]]
    allowed = [c[1] for c in destructive if safety.check(c[1])["decision"] == "allow"]
    asked = [c[1] for c in plain if safety.check(c[1])["decision"] != "allow"]
    assert allowed == []
    assert len(asked) / len(plain) < 0.02, asked
