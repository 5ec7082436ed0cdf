"""k8s_skillkit.scalar_cuts: YAML/JSON a terminal cut at its width, joined back before a
parser reads it. Each case cuts real `kubectl get -o yaml|json` output the way a hard-wrapping
console does (every line sliced at the width, the rest at column 0) and expects the objects
the uncut text holds: the parser's reading of the original is the ground truth."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))

from k8s_skillkit.loading import parse_paste  # noqa: E402
from k8s_skillkit.scalar_cuts import rejoin, rejoin_text  # noqa: E402

# the kubelet's and the scheduler's words (pkg/kubelet/kubelet_pods.go v1.37.2, the
# volumebinding plugin's ErrReasonNodeConflict at v1.33.0), long enough to be cut
SCHEDULED = ("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/"
             "control-plane: }, 2 node(s) didn't match PersistentVolume's node affinity. "
             "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")


def _pod(message: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-0", "namespace": "apps"},
            "status": {"phase": "Pending", "conditions": [{
                "type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                "message": message}]}}


def _cut(text: str, width: int = 80) -> str:
    return "\n".join(line[i:i + width] for line in text.split("\n")
                     for i in range(0, max(len(line), 1), width))


def _messages(text: str) -> list[str]:
    return [c["message"] for obj in parse_paste(text, "paste")
            for c in obj.get("status", {}).get("conditions", [])]


@pytest.mark.parametrize("width", [80, 100])  # 100: two cuts show the width
@pytest.mark.parametrize("dump", [
    lambda o: yaml.safe_dump(o, width=float("inf"), sort_keys=False),   # single-quoted
    lambda o: yaml.safe_dump(o, width=float("inf"), default_style='"'),  # double-quoted
    lambda o: json.dumps(o, indent=2),                                   # kubectl -o json
    lambda o: json.dumps(o, indent=4),
], ids=["yaml-single", "yaml-double", "json-2", "json-4"])
def test_a_cut_scalar_reads_as_the_uncut_one(dump, width):
    text = dump(_pod(SCHEDULED))
    assert any(len(line) > width for line in text.split("\n"))
    assert _messages(_cut(text, width)) == [SCHEDULED]


@pytest.mark.parametrize("word", ["didn''t", "''worker-1''"])
def test_a_cut_at_a_doubled_single_quote_keeps_the_quote(word):
    """`didn''t` cut between its two quotes (the line looks closed until the next one), and
    `''worker-1''` cut before its closing pair (the line is open; the rest starts with one)."""
    head = word[:word.index("''") + 1] if word.startswith("d") else word[:-2]
    line = "    message: '" + "x" * (80 - len("    message: '") - len(head)) + word + " fit'"
    cut = _cut(line).split("\n")
    assert cut[0].endswith(head) and cut[1].startswith("'")
    assert rejoin(cut) == [line]


def test_a_plain_scalar_under_an_indented_key_is_joined_yaml_would_refuse_it():
    plain = "a plain message " * 8
    text = f"status:\n  conditions:\n  - message: {plain.strip()}\n    reason: Unschedulable\n"
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(_cut(text))
    assert yaml.safe_load(rejoin_text(_cut(text))) == yaml.safe_load(text)



def test_a_describe_message_cut_before_words_and_a_colon_is_joined():
    """`kubectl describe` prints a condition's message as `Message:` and its text; a cut at
    80 columns can leave `words words: [...]` at column 0 (Envoy Gateway's `This policy is
    being overridden by other securityPolicies for these routes: [...]`,
    internal/gatewayapi/securitypolicy.go): lower-case words before a colon are no key."""
    head = "      Message:               This policy is being overridden by other securityPo"
    assert len(head) == 80
    lines = [head, "licies for these routes: [default/web]", "      Reason:  Overridden"]
    assert rejoin(lines) == [head + "licies for these routes: [default/web]",
                             "      Reason:  Overridden"]


def test_a_describe_key_after_a_line_of_80_columns_stays_its_own():
    """describe's top-level keys are capitalised words (`API Version:`, `Init Containers:`,
    kubectl/pkg/describe): after an indented line that happens to be 80 long, one stays a key."""
    head = "  Annotations:  example.com/owner: " + "x" * (80 - 35)
    assert len(head) == 80
    for key in ("API Version:  v1", "Init Containers:", "Events:  <none>"):
        assert rejoin([head, key]) == [head, key]


def test_a_json_string_cut_before_spaces_keeps_them():
    """JSON has no line break inside a string, so whatever follows a cut inside one is the
    string's own text, spaces included (Kyverno's block message holds `\\n  restricted: |`,
    kyverno pkg/webhooks/utils/block.go@v1.19.0)."""
    head = '  "message": "' + "a" * (80 - len('  "message": "'))
    assert len(head) == 80
    cut = ["{", '  "kind": "Status",', head, '  restricted: | and more"', "}"]
    assert json.loads("\n".join(rejoin(cut)))["message"] == "a" * 66 + "  restricted: | and more"


def test_a_yaml_double_quoted_scalar_folded_by_go_yaml_is_left_as_it_is():
    """kubectl's YAML never quotes a key, and go-yaml indents a folded double-quoted scalar:
    such lines are no cut even after a line of 80 columns."""
    head = '    message: "' + "z" * (80 - len('    message: "'))
    lines = [head, '      and the folded rest"']
    assert rejoin(lines) == lines


def test_a_describe_value_cut_before_one_lower_case_word_and_a_colon_is_joined():
    """describe prints no lower-case key, so `oxy: service ...` at column 0 below a field of
    80 columns is the rest of its value (Envoy Gateway's `... in the referenced EnvoyProxy:
    service ... not found`); in YAML the same line would be a top-level key and stays."""
    head = "      Message:             Invalid metrics backendRefs in the referenced EnvoyPr"
    assert len(head) == 80
    assert rejoin([head, "oxy: service monitoring/otel not found"]) == \
        [head + "oxy: service monitoring/otel not found"]
    yaml_head = "      message: " + "m" * (80 - len("      message: "))
    assert rejoin([yaml_head, "status: x"]) == [yaml_head, "status: x"]


def test_a_folded_plain_scalar_line_cut_again_is_joined():
    """go-yaml folds a long plain scalar onto indented lines; a terminal cut of one of those
    leaves its rest at column 0, where YAML allows nothing but a key (Envoy Gateway's
    `TargetRef.Group:... TargetRef.Name:eg-merged not found or not accepted`)."""
    folded = ["status:", "  conditions:", "  - type: Accepted",
              "    message: TargetRef.Group:gateway.networking.k8s.io TargetRef.Kind:GatewayClass",
              "      TargetRef.Namespace:default TargetRef.Name:eg-merged not found or not accepted",
              "      (MergeGateways=true).", "    reason: Invalid"]
    text = "\n".join(folded)
    assert max(len(line) for line in folded) > 80
    expected = yaml.safe_load(text)
    assert yaml.safe_load(rejoin_text(_cut(text))) == expected

def test_go_yaml_folded_lines_are_left_as_they_are():
    """kubectl (go-yaml) folds a long quoted scalar onto indented lines: no terminal's cut."""
    folded = ("    message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role\n"
              "      .kubernetes.io/control-plane: }, 2 node(s) didn''t match PersistentVolume''s\n"
              "      node affinity.'")
    assert rejoin(folded.split("\n")) == folded.split("\n")


@pytest.mark.parametrize("text", [
    # an error's text: `Error from server (Forbidden)` is no YAML key
    "Error from server (Forbidden): pods \"web-0\" is forbidden: User \"alice\" cannot get r\n"
    "esource \"pods\" in API group \"\" in the namespace \"apps\"",
    # a closed scalar of exactly 80 columns followed by the next top-level key
    "message: 'the quoted scalar is closed on this line, exactly eighty columns long..'\n"
    "reason: Forbidden",
    # a line of another length going on at column 0 is no terminal's cut
    "  message: 'seventy-nine columns is not a terminal's width, so nothing joins it\n"
    "here'",
])
def test_lines_that_are_no_cut_scalar_stay_as_given(text):
    assert rejoin(text.split("\n")) == text.split("\n")


def test_a_text_with_no_cut_is_returned_without_splitting_it():
    text = yaml.safe_dump({"items": [_pod("short") for _ in range(3)]})
    assert rejoin_text(text) is text
