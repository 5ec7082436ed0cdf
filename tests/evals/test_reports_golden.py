"""Reports stay byte-compatible through the record schema version.

The fixtures are real records, not written by hand: `runs-v2/` holds what `k8s-skills eval`
wrote on a local cluster (`--validate`, and `--scripted` runs of the messages and
claude-code backends, `-k missing-local-queue`) at commit 29f0276, and `run/` the version 1
records of the first harness. `reports-golden/` holds the summary.json, junit.xml and
report.html that commit's `report.write_reports` rendered from them. Any later code must
render the same bytes from the same records.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from harness.evals import records, report

RESOURCES = Path(__file__).parent / "resources"
GOLDEN = RESOURCES / "reports-golden"
CASES = {"v2-validate": ["runs-v2/validate"], "v2-messages": ["runs-v2/messages"],
         "v2-claude-code": ["runs-v2/claude-code"],
         "v2-combined": ["runs-v2/validate", "runs-v2/messages", "runs-v2/claude-code"],
         "v1-run": ["run"]}
FILES = ("summary.json", "junit.xml", "report.html")


def _copy_run(source: str, tmp_path: Path) -> Path:
    """A run folder in tmp_path named like the fixture (the run id is the folder's name)."""
    target = tmp_path / "runs" / Path(source).name
    if source == "run":  # the version 1 fixture holds its records without the scenarios/
        (target / "scenarios").mkdir(parents=True)
        for path in sorted((RESOURCES / source).glob("*.json")):
            shutil.copy(path, target / "scenarios" / path.name)
    else:
        shutil.copytree(RESOURCES / source, target)
    return target


@pytest.mark.parametrize("case", sorted(CASES))
def test_reports_render_the_same_bytes_as_before(case, tmp_path):
    runs = [_copy_run(source, tmp_path) for source in CASES[case]]
    out = tmp_path / "out"
    report.write_reports(runs, out)
    for name in FILES:
        assert (out / name).read_bytes() == (GOLDEN / case / name).read_bytes(), \
            f"{case}/{name} differs from the report rendered before the change"


def test_the_fixture_covers_every_control_and_both_claude_backends():
    agents = {path.name.split("__")[1] for path in (RESOURCES / "runs-v2").glob("*/scenarios/*")}
    assert agents == {"none", "reference", "dodge", "messages", "claude-code"}


# Fields records gained after the fixture was written: a rewritten record has their defaults.
NEWER_FIELDS = {"interrupted": False, "health": {}}


def test_records_read_and_written_again_keep_every_field(tmp_path):
    """`records` reads a record into a RunRecord and writes the same fields back, in the
    same order, plus the defaults of fields added since."""
    originals = sorted((RESOURCES / "runs-v2").glob("*/scenarios/*.json"))
    for path in originals:
        written = records.write(tmp_path, records.read_one(path))
        assert written.name == path.name
        before, after = json.loads(path.read_text()), json.loads(written.read_text())
        assert {k: v for k, v in after.items() if k in before} == before, path.name
        assert list(k for k in after if k in before) == list(before), path.name
        assert {k: v for k, v in after.items() if k not in before} == NEWER_FIELDS


def test_version_1_records_read_as_version_2():
    record = records.read_one(RESOURCES / "run" / "crash-loop__none__skills-on__r1.json")
    assert (record.schema_version, record.epoch, record.attempts) == (2, 1, 1)
    assert record.tokens.as_dict() == {"input": 0, "cache_read": 0, "cache_write": 0,
                                       "cache_write_1h": 0, "output": 0, "total": 0}
    assert record.to_json()["schema_version"] == 2
