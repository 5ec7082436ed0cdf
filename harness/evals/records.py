"""The versioned per-scenario record: plain data, one JSON file, everything reports need."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

SCHEMA_VERSION = 2
READABLE = (1, 2)
RESULTS_DIR = Path("results")


def file_name(record: dict) -> str:
    """scenarios/<id>__<agent>__skills-<on|off>__r<n>.json"""
    return (f"{record['scenario']['id']}__{record['agent']}__skills-{record['skills']}"
            f"__r{record['repeat']}.json")


def write(run_dir: Path, record: dict) -> Path:
    path = Path(run_dir) / "scenarios" / file_name(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_run(run_dir: Path) -> list[dict]:
    """Every record of a run, sorted; ValueError for a record of an unknown schema."""
    return [read_one(path) for path in sorted(Path(run_dir).glob("scenarios/*.json"))]


def read_one(path: Path) -> dict:
    """One record, upgraded to the current schema (ValueError for an unknown one)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("schema_version") not in READABLE:
        raise ValueError(f"{path}: schema_version {data.get('schema_version')!r}, "
                         f"this harness reads {', '.join(map(str, READABLE))}")
    return upgrade(data)


def upgrade(data: dict) -> dict:
    """Version 1 records (input/output tokens only, no epochs) read as version 2.

    >>> upgrade({"schema_version": 1, "repeat": 2, "tokens": {"input": 5, "output": 1}}
    ...         )["tokens"]["total"]
    6
    """
    if data.get("schema_version") == 1:
        tokens = data.get("tokens") or {}
        data["tokens"] = {"input": tokens.get("input", 0), "cache_read": 0, "cache_write": 0,
                          "cache_write_1h": 0, "output": tokens.get("output", 0),
                          "total": tokens.get("input", 0) + tokens.get("output", 0)}
        data.setdefault("epoch", data.get("repeat", 1))
        data["schema_version"] = SCHEMA_VERSION
    for key, default in (("skills_discovered", []), ("permission_denials", []),
                         ("stop", None), ("judge", None), ("skill_triggers", None),
                         ("expect_not", []), ("attempts", 1), ("order", None)):
        data.setdefault(key, default)
    return data


def newest_run(results_dir: Path = RESULTS_DIR) -> Path | None:
    """The most recently modified run folder."""
    runs = [p for p in Path(results_dir).glob("*") if (p / "scenarios").is_dir()]
    return max(runs, key=lambda p: p.stat().st_mtime) if runs else None


def safe_run_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "run"
