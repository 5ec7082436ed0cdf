"""The versioned per-scenario record on disk: one JSON file per run, everything reports need.

The only module that reads and writes record files; the record itself is
harness.evals.model.RunRecord.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from harness.evals.model import READABLE, SCHEMA_VERSION, RunRecord

RESULTS_DIR = Path("results")
__all__ = ["READABLE", "RESULTS_DIR", "SCHEMA_VERSION", "file_name", "newest_run", "read_one",
           "read_run", "safe_run_id", "write"]


def file_name(record: RunRecord) -> str:
    """scenarios/<id>__<agent>__skills-<on|off>__r<n>.json"""
    return record.file_name


def write(run_dir: Path, record: RunRecord) -> Path:
    path = Path(run_dir) / "scenarios" / record.file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record.to_json(), indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_run(run_dir: Path) -> list[RunRecord]:
    """Every record of a run, sorted; ValueError for a record of an unknown schema."""
    return [read_one(path) for path in sorted(Path(run_dir).glob("scenarios/*.json"))]


def read_one(path: Path) -> RunRecord:
    """One record, upgraded to the current schema (ValueError for an unknown one).

    Version 1 records (input/output tokens only, no epochs) read as version 2.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    try:
        return RunRecord.from_json(data)
    except ValueError as err:
        raise ValueError(f"{path}: {err}") from err


def newest_run(results_dir: Path = RESULTS_DIR) -> Path | None:
    """The most recently modified run folder."""
    runs = [p for p in Path(results_dir).glob("*") if (p / "scenarios").is_dir()]
    return max(runs, key=lambda p: p.stat().st_mtime) if runs else None


def safe_run_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "run"
