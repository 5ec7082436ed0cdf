"""Output stays a digest on a big cluster (the full 10k benchmark: benchmarks/explain_pending_bench.py)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "kueue_bench", Path(__file__).resolve().parents[3] / "benchmarks" / "explain_pending_bench.py")
_BENCH = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_BENCH)
build = _BENCH.build


def test_big_dump_output_is_grouped_and_short(script, tmp_path):
    data = build(workloads=1000, queues=40, nodes=50)
    planned = _BENCH.pending_causes(data)  # why the generator made each one pending
    total = sum(planned.values())
    assert len(planned) >= 5  # varied causes, not one message repeated
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(data))
    result = script("explain_pending.py", "-f", str(dump))
    assert result.code == 1
    assert result.out.startswith(f"{total} stuck: ")
    assert "by cause and ClusterQueue: " in result.out
    assert len(result.out) < 6000
    doc = script("explain_pending.py", "-f", str(dump), "--json").doc
    assert doc["counts"] == dict(planned)
    assert doc["total_findings"] == total and len(doc["findings"]) == 5
    assert sum(g["count"] for g in doc["groups"]) == total
