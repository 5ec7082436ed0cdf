"""A console that hard-wraps cuts a long line every N columns, inside words too
(paste_variants 'wrap'; issue 12). unwrap_free_text joins the pieces back exactly."""
from __future__ import annotations

import sys

from tests.skill_scripts import ROOT

sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.event_table import terminal_width, unwrap_free_text  # noqa: E402

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
