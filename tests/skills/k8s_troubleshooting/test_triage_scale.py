"""Grouping and size: 500 pods in six failure modes -> six grouped findings; the digest is
tiny next to the dump; bad input is one error line."""
from __future__ import annotations

import importlib.util
import json

from .conftest import ROOT, run_script

_spec = importlib.util.spec_from_file_location("triage_bench",
                                               ROOT / "benchmarks" / "triage_bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_500_pods_in_six_modes_give_six_grouped_findings(tmp_path):
    dump = bench.synthetic_dump(pods=2000, events=1500, namespaces=1, broken=0.25, nodes=20)
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(dump))
    res = run_script("triage.py", "-f", str(path), "--json")
    assert res.code == 1, res.err
    doc = json.loads(res.out)
    by_cause = {f["cause"]: f for f in doc["findings"]}
    assert sorted(by_cause) == sorted(bench.MODES)
    assert sum(f["count"] for f in doc["findings"]) == 500
    for cause, f in by_cause.items():
        assert f["object"]["kind"] == "Deployment"
        assert f["object"]["name"] == "svc-" + cause.replace("_", "-")
        assert f["message"].startswith(f"{f['count']} pods of Deployment ")
    text = run_script("triage.py", "-f", str(path)).out
    assert len(text.splitlines()) < 45
    assert path.stat().st_size / len(text) > 200


def test_limit_counts_what_it_leaves_out(tmp_path):
    dump = bench.synthetic_dump(pods=600, events=100, namespaces=3, broken=0.2, nodes=10)
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(dump))
    res = run_script("triage.py", "-f", str(path), "--limit", "2")
    assert "more finding(s) not shown" in res.out
    assert res.out.count("   fix: ") == 2


def test_bad_input_is_one_error_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [unclosed\n")
    for args in (["-f", str(bad)], ["-f", str(tmp_path / "missing.json")],
                 ["-f", str(bad), "--limit", "0"], ["-n", "a", "-A"]):
        res = run_script("triage.py", *args)
        assert res.code == 2 and res.out == ""
        assert len(res.err.strip().splitlines()) == 1 and res.err.startswith("error: ")
