"""A console that hard-wraps cuts a long line every N columns, inside words too
(paste_variants 'wrap'; issue 12). unwrap_free_text joins the pieces back exactly."""
from __future__ import annotations

import sys

from tests.skill_scripts import ROOT

sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.event_table import (join_error_chains, terminal_width,  # noqa: E402
                                      unwrap_free_text)

# kubelet v1.37.2 pkg/kubelet/pluginmanager/operationexecutor/operation_generator.go:108
LOG = ('E0520 07:49:57.337809       1 nonblockinggrpcserver.go:125] "handling request failed" '
       'err="failed registration process: RegisterPlugin error -- no handler registered for '
       'plugin type: DRAPlugin at socket /var/lib/kubelet/plugins_registry/x.sock"')


def _cut(line: str, width: int) -> list[str]:
    return [line[i:i + width] for i in range(0, len(line), width)]


def test_a_line_cut_at_the_terminal_width_is_joined_back_exactly():
    for width in (80, 100):  # LOG is 244 characters: two full pieces at either width
        lines = ["Hi, the driver does not start:", ""] + _cut(LOG, width) + ["", "Any idea?"]
        assert terminal_width(lines) == width
        assert unwrap_free_text(lines) == ["Hi, the driver does not start:", "", LOG, "",
                                           "Any idea?"]


def test_two_wrapped_lines_each_come_back():
    lines = _cut(LOG, 80) + _cut(LOG.replace("x.sock", "y.sock"), 80)
    assert unwrap_free_text(lines) == [LOG, LOG.replace("x.sock", "y.sock")]


def test_prose_with_long_lines_of_different_lengths_is_left_alone():
    lines = ["This sentence is long enough to pass the width of a terminal but is its own line.",
             "So is this one, which a person typed in an editor that wraps nothing at all, ok.",
             "", "short"]
    assert len(lines[0]) != len(lines[1])
    assert terminal_width(lines) == 0
    assert unwrap_free_text(lines) == lines


def test_one_long_line_is_no_evidence_of_a_terminal():
    lines = [LOG[:80], LOG[80:]]
    assert terminal_width(lines) == 0


def test_table_rows_of_one_length_are_rows_not_pieces():
    """kubectl pads table columns, so rows can share a length of 80+: still rows."""
    rows = ["NAMESPACE   NAME                                  QUEUE         RESERVED IN   ADMITTED",
            "team-a      job-train-llama-70b-pretrain-4b2c1    team-a-lq     team-a-cq     True    ",
            "team-b      job-train-llama-70b-finetune-9d8e7    team-b-lq     team-b-cq     True    ",
            "team-c      job-train-llama-70b-evaluation-a1b    team-c-lq     team-c-cq     False   "]
    assert len({len(r) for r in rows[1:]}) == 1 and len(rows[1]) >= 80
    assert unwrap_free_text(rows) == rows


# kubernetes v1.6 plugin/pkg/scheduler/core/generic_scheduler.go FitError.Error():
# "No nodes are available that match all of the following predicates:: Insufficient cpu (1)."
PREDICATES = ('I got the error "No nodes are available that match all of the following '
              'predicates:: Insufficient cpu (1)."')


def test_one_cut_at_the_default_width_inside_a_word_is_joined():
    """No second cut shows the width, but a line of exactly 80 columns (the default console)
    whose rest starts mid-token was cut there."""
    assert len(PREDICATES) > 80
    lines = ["Start a cluster and create lots of pods.", PREDICATES[:80], PREDICATES[80:], ""]
    assert unwrap_free_text(lines) == ["Start a cluster and create lots of pods.", PREDICATES,
                                       ""]


def test_one_line_of_80_followed_by_a_record_of_its_own_is_not_joined():
    first = ("I0520 07:49:57.337809       1 main.go:42] starting the driver on node "
             "gpu-node-1")
    assert len(first) == 80
    for following in ("E0520 07:49:58.000001       1 main.go:50] failed to start",
                      "2024-05-20T07:49:58Z ERROR failed to start",
                      "[rank0]: watchdog timeout", "- a bullet", "```"):
        assert unwrap_free_text([first, following]) == [first, following]


def test_a_hand_wrapped_paragraph_is_left_alone():
    """An editor fills at 70-79 columns and breaks between words: no line is exactly 80."""
    lines = ["The pod stays Pending after the upgrade and the scheduler says nothing",
             "about it in the events, which is odd because the node has room left."]
    assert all(len(line) < 80 for line in lines)
    assert unwrap_free_text(lines) == lines


def test_a_record_that_fills_its_last_piece_is_not_joined_to_the_next_record():
    """Width evident from other cuts; a record whose last piece is exactly the width is
    followed by a new timestamped record, not by its own rest."""
    one = "2024-12-29T11:17:15Z ERROR creating jobs " + "x" * 119
    two = "2024-12-29T11:17:16Z ERROR creating jobs again " + "y" * 111
    assert len(one) == 160 and len(two) == 158
    lines = _cut(one, 80) + _cut(two, 80)
    assert terminal_width(lines) == 80
    assert unwrap_free_text(lines) == [one, two]


def test_table_rows_longer_than_the_cut_do_not_set_the_width():
    """Padded rows of one length outnumbering the cut pieces are rows, not a width."""
    rows = ["pipelines-as-code-controller-5dbd46fcf5-zsbn4   0/1   CreateContainerConfigError   "
            "0     8m49s",
            "pipelines-as-code-watcher-6d9cf9d776-mbb5c      0/1   CreateContainerConfigError   "
            "0     8m49s",
            "pipelines-as-code-webhook-57dc8f49cf-x48vf      0/1   CreateContainerConfigError   "
            "0     8m49s",
            "gosmee-7bff6ff48c-fqttt                         1/1   Running                      "
            "0     38s"]
    event = ("Warning  Failed     7m33s (x8 over 9m4s)   kubelet            Error: container has "
             "runAsNonRoot and image will run as root (pod: \"pipelines-as-code-controller-5dbd46"
             "fcf5-zsbn4_pipelines-as-code(d5a40aa3-e8d8-468c-bd9a-f2ac98136058)\", container: "
             "pac-controller)")
    lines = rows + [""] + _cut(event, 80)
    assert terminal_width(lines) == 80
    assert unwrap_free_text(lines) == rows + ["", event]


def test_sentences_of_one_length_followed_by_capitals_are_no_width():
    """intel/intel-resource-drivers-for-kubernetes#60: two report lines happen to be 83
    characters long; the lines after them start sentences of their own (a capital), where
    the rest of a cut line goes on."""
    lines = ["Published key from Intel driver: gpu.intel.com/pciRoot (or gaudi.intel.com/pciRoot)",
             "Published key from DRAnet: resource.kubernetes.io/pcieRoot",
             "Result: cross-driver constraints using matchAttribute fail due to key-name mismatch",
             "Expected behavior"]
    assert len(lines[0]) == len(lines[2]) == 83
    assert terminal_width(lines) == 0
    assert unwrap_free_text(lines) == lines


def test_records_that_open_alike_and_share_a_length_are_no_width():
    """A controller's refusals, one per line (client-go reflector v0.37.2 `failed to list %v:
    %w`), two of which happen to be 97 characters long: each line opens like the one above,
    so each is a record of its own (johnahull/llmd-gke pattern1/ISSUES-istio.md)."""
    lines = ["failed to list *v1alpha1.LLMInferenceService: llminferenceservices.serving.kserve"
             ".io is forbidden",
             "failed to list *v1alpha2.InferencePool: inferencepools.inference.networking.x-k8s"
             ".io is forbidden",
             "failed to create v1.Secret: secrets is forbidden"]
    assert len(lines[0]) == len(lines[1]) == 97
    assert terminal_width(lines) == 0
    assert unwrap_free_text(lines) == lines


def test_a_capital_after_a_digit_goes_on_a_token():
    """A cut between a quantity's number and its unit ("512" / "Mi memory"): the rest starts
    with a capital, and still continues the line (openshift/origin#2821's wording)."""
    message = ('sinatra/ruby-example-2: Pod "ruby-example-2-deploy" is forbidden: Limited to 512'
               'Mi memory, but pod has no specified memory limit')
    assert message[78:80] == "12" and message[80] == "M"
    assert unwrap_free_text([message[:80], message[80:]]) == [message]


def test_a_cut_inside_a_camelcase_identifier_goes_on_it():
    """The kubelet's runAsNonRoot refusal (kubernetes v1.37.2 pkg/kubelet/kuberuntime/
    security_context_others.go: "container has runAsNonRoot and image will run as root")
    cut by an 80-column console between `runAsNon` and `Root`: the token above already has
    a hump (`runAsNon`), so the capital goes on it."""
    message = ("Error: container has runAsNonRoot and image will run as root (pod: "
               '"web-0_default(1a2b3c)", container: app) -- x')
    head = "x" * (80 - message.index("Root")) + message[:message.index("Root")]
    assert len(head) == 80 and head.endswith("runAsNon")
    rest = message[message.index("Root"):]
    assert unwrap_free_text([head, rest]) == [head + rest]


def test_a_cut_after_an_underscore_or_equals_goes_on_even_before_a_capital_or_bracket():
    """The kubelet's `couldn't find key LOG_LEVEL in ConfigMap` (v1.37.2 pkg/kubelet/
    kubelet_pods.go) cut after `LOG_`, and a logfmt `items=[a b]` cut after `=`: no token
    ends on `_` or `=`, so the rest is the same token though it reads like a record's start
    (an upper-case word, a bracket)."""
    for head_text, rest in (("Error: couldn't find key LOG_", "LEVEL in ConfigMap ml/app-cfg"),
                            ("level=error msg=\"devices unhealthy\" items=", "[gpu-0 gpu-1]")):
        head = head_text.rjust(80, "x")  # the cut at column 80, whatever came before
        assert unwrap_free_text([head, rest]) == [head + rest]


def test_a_capital_after_a_plain_lower_case_word_of_80_columns_starts_a_line():
    """A line that happens to be 80 columns and ends on a word without a hump, then a line
    that opens with a capital: no evidence of a cut inside a token."""
    head = "The scheduler placed the pod on the node and then it went to the next one on" + \
        " the"
    head = head[:80]
    assert len(head) == 80 and head[-1].islower() and " " in head[-5:]
    assert unwrap_free_text([head, "Kubernetes 1.29 cluster we run."]) == [
        head, "Kubernetes 1.29 cluster we run."]


def test_a_first_line_that_lost_its_indentation_to_the_selection():
    # `kubectl describe` indents event rows by two spaces; a copy that starts at the first
    # visible character drops them from the first line only (the pieces below keep the width)
    row = "  Warning  FailedCreate  0s (x11 over 5s)  statefulset-controller  " + LOG
    pieces = _cut(row, 100)
    lines = [pieces[0].lstrip()] + pieces[1:]
    assert unwrap_free_text(lines) == [row.lstrip()]


def test_lines_a_pane_pads_to_its_width_are_no_cuts():
    # k9s pads every line to the pane; a padded line ended before the edge, so the row below
    # it is a row of its own; a line that fills the pane with text goes on below it
    width = 120
    rows = [f"  Normal  Created{i}  88s  job-controller  Created pod: p-{i}".ljust(width)
            for i in range(3)]
    cut = ("  Normal  Stopped  64s  kubeflow.org/tfjob-kueue-controller  Preempted to "
           "accommodate a workload (UID: c8eb139e-b434-41b3) due to prioritization in the "
           "ClusterQueue")
    assert len(cut) > width
    lines = rows + [cut[:width], cut[width:].ljust(width)] + rows
    out = unwrap_free_text(lines)
    assert out[:3] == rows and out[-3:] == rows
    assert out[3].startswith(cut) and len(out) == 7


def test_an_error_broken_by_hand_after_its_colons_is_joined_with_a_space():
    """kubernetes-sigs/kueue#13036: the API server's webhook error pasted one link per line."""
    lines = ['Internal error occurred: failed calling webhook "m.kb.io": failed to call webhook:',
             'Post "https://svc.ns.svc:443/mutate?timeout=10s":',
             "proxy error from localhost:9443 while dialing 10.244.0.7:9443, code 502"]
    assert join_error_chains(lines) == [" ".join(lines)]


def test_headers_blank_and_indented_lines_are_not_links():
    lines = ["Events:", "  Type  Reason", "error: open x: no such file:", "", "Status:",
             "failed: a: b:", "  indented next"]
    assert join_error_chains(lines) == lines


def test_a_forbidden_refusal_broken_before_its_user_is_joined():
    lines = ['Error from server (Forbidden): pods "web-1" is forbidden:',
             'User "system:serviceaccount:ci:runner" cannot get resource "pods" in API group ""']
    assert join_error_chains(lines) == [" ".join(lines)]
