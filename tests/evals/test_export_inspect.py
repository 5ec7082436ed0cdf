"""`k8s-skills export --format inspect`: logs written with inspect_ai's models are read back
by inspect_ai's own reader with the epochs, scores and metadata of our records."""
from __future__ import annotations

from inspect_ai import log as inspect_log

from harness.cli import main


def test_export_writes_logs_inspect_ai_reads(records_run, capsys):
    assert main(["export", "--format", "inspect", str(records_run)]) == 0
    paths = capsys.readouterr().out.split()
    logs = {log.eval.metadata["arm"]: log for log in map(inspect_log.read_eval_log, paths)}
    # the fixture run: claude-code on (3 records, one an error) and off, none, reference
    assert set(logs) == {"claude-code, skills on (scripted)", "claude-code, skills off (scripted)",
                         "none", "reference"}
    on = logs["claude-code, skills on (scripted)"]
    assert on.status == "success" and on.eval.model == "anthropic/claude-sonnet-4-5"
    assert len(on.samples) == 3 and {s.epoch for s in on.samples} == {1}
    by_id = {s.id: s for s in on.samples}
    assert by_id["missing-local-queue"].scores["resolved"].value == "C"
    assert by_id["not-enough-devices"].error is not None      # the error run: no score
    assert by_id["not-enough-devices"].scores is None
    meta = by_id["missing-local-queue"].metadata
    assert meta["skills"] == "on" and meta["skills_offered"] == ["k8s-kueue"]
    assert meta["tokens"]["total"] == 15300
    tool_calls = [m for m in by_id["missing-local-queue"].messages if m.role == "tool"]
    assert tool_calls and tool_calls[0].function == "bash"
    # accuracy leaves the errored sample out: 2 scored, both pass
    [score] = on.results.scores
    assert score.metrics["accuracy"].value == 1.0 and score.unscored_samples == 1


def test_export_of_a_folder_without_records_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "scenarios").mkdir()
    assert main(["export", str(tmp_path)]) == 2
    assert "no records" in capsys.readouterr().err
