"""Markdown code fences as CommonMark 0.31 reads them ("Fenced code blocks"): a fence closes
only on a run of the same character at least as long as the opener; a backtick line whose
info string holds a backtick is an inline code span, not a fence; an unclosed block runs to
the end. Plus what the readers do with it: a paste fenced as a whole reads like the same
paste unfenced (benchmarks/paste_variants.py `fence`), an inline ```...``` line is read
(kedacore/keda#6493 pasted its Forbidden error that way), and a fenced body indented more
than its fence is dedented (aws/aws-application-networking-k8s#544)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit import fences, paste  # noqa: E402
from k8s_skillkit.loading import parse_paste  # noqa: E402
from k8s_skillkit.prose import report_lines  # noqa: E402


def test_a_longer_fence_quotes_a_shorter_one():
    lines = ["````", "```yaml", "a: 1", "```", "````", "after"]
    assert fences.marks(lines) == ["fence", "code", "code", "code", "fence", "text"]


def test_a_closing_run_must_be_as_long_and_bare():
    assert fences.marks(["````", "```", "x", "````"]) == ["fence", "code", "code", "fence"]
    assert fences.marks(["```", "``` yaml", "```"]) == ["fence", "code", "fence"]
    assert fences.marks(["~~~", "```", "~~~"]) == ["fence", "code", "fence"]


def test_an_unclosed_block_runs_to_the_end():
    assert fences.marks(["text", "```", "a", "b"]) == ["text", "fence", "code", "code"]


def test_an_inline_triple_backtick_line_is_not_a_fence():
    line = "```W0122 07:17:43 reflector.go:561] failed to list: forbidden```"
    assert fences.marks([line, "words"]) == ["text", "text"]
    assert not paste._FENCE.match(line)


def test_a_paste_fenced_as_a_whole_reads_as_unfenced_prose():
    report = ["after install calico, the `calico-kube-controllers` is pending, since it not "
              "tolerate the taints on the node."]
    assert report_lines(["```"] + report + ["```"]) == report_lines(report) == report
    # prose outside a block still sets the block apart
    assert report_lines(["I ran this and it failed badly:", "```"] + report + ["```"]) == [
        "I ran this and it failed badly:"]


def test_inside_a_whole_fence_a_quoted_block_is_still_code():
    marked = fences.prose_marks(["````", "it failed on the nodes:", "```", "a: 1", "```",
                                 "````"])
    assert marked == ["fence", "text", "fence", "code", "fence", "fence"]


def test_an_inline_fenced_error_line_is_read():
    denied = ('```W0122 07:17:43.186273       1 reflector.go:561] failed to list '
              '*v1alpha1.ClusterCloudEventSource: clustercloudeventsources.eventing.keda.sh is '
              'forbidden: User "system:serviceaccount:keda:keda-operator" cannot list resource '
              '"clustercloudeventsources" in API group "eventing.keda.sh" at the cluster scope```')
    dump = parse_paste("Logs from KEDA operator\n\n" + denied + "\n", "paste")
    assert any("cannot list resource" in line for line in dump.texts)


def test_a_fenced_manifest_indented_more_than_its_fence_is_read():
    text = ("2. Change the content of `examples/inventory-route.yaml`:\n```\n"
            "        apiVersion: gateway.networking.k8s.io/v1beta1\n"
            "        kind: HTTPRoute\n"
            "        metadata:\n"
            "          name: inventory\n"
            "        spec:\n"
            "          parentRefs:\n"
            "          - name: my-hotel\n"
            "```\n")
    kinds = [obj.get("kind") for obj in parse_paste(text, "paste")]
    assert kinds == ["HTTPRoute"]



def test_a_fence_line_that_holds_a_message_keeps_it_as_text():
    # an inline ```...``` message a terminal wrap cut (paste_variants `wrap` on kumahq/kuma
    # #7196): the opening line's "info string" is the user's text, not a language tag
    text = ('PSA warning:\n```pods "mypod" is forbidden: violates PodSecurity "baseline:v1.25": '
            'non-default\n capabilities (container "kuma-init" must not include "NET_ADMIN")```\n')
    dump = parse_paste(text, "paste")
    assert any(line.startswith('pods "mypod" is forbidden') for line in dump.texts), dump.texts
