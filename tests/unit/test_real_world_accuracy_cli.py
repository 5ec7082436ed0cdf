"""benchmarks/real_world_accuracy.py --corpus: a held-out set kept outside the repository is
measured exactly as the corpus is (same layout, same scoring), and a bad path is one line and
exit 2."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "real_world_accuracy.py"
CORPUS = ROOT / "tests" / "resources" / "real-world"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def test_missing_corpus_is_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = _run("--corpus", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "not a directory" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_empty_corpus_exits_2(tmp_path: Path) -> None:
    proc = _run("--corpus", str(tmp_path))
    assert proc.returncode == 2
    assert f"no cases under {tmp_path}" in proc.stderr


def test_outside_corpus_is_scored_like_the_corpus(tmp_path: Path) -> None:
    # One real case copied out; its expected cause is the thread's resolution, recorded in
    # case.yaml. The same case must score the same inside and outside the repository.
    case = "kueue/admission-check-custom-stuck-pending"
    shutil.copytree(CORPUS / case, tmp_path / case)
    outside = json.loads(_run("--corpus", str(tmp_path), "--json").stdout)
    inside = json.loads(_run("--case", case, "--json").stdout)
    assert outside == inside
    assert outside["overall"]["cases"] == 1


def _case(root: Path, name: str, paste: str, cause: str) -> None:
    folder = root / "kueue" / name
    folder.mkdir(parents=True)
    (folder / "paste.txt").write_text(paste)
    (folder / "case.yaml").write_text(
        "source: https://example.invalid/scoring-test\nscript: k8s-kueue/explain_pending.py\n"
        f"args: []\ninput: paste.txt\nexpected:\n  cause: {cause}\nfilled_in: ''\nnotes: ''\n")


_NO_STATUS = """apiVersion: kueue.x-k8s.io/v1beta1
kind: Workload
metadata: {name: w, namespace: ns}
spec:
  queueName: q
  podSets: [{name: main, count: 1, template: {spec: {containers: [{name: c}]}}}]
"""


def test_unknown_is_right_only_as_an_honest_info_finding(tmp_path: Path) -> None:
    # `cause: unknown`: the paste cannot decide; the script must not guess (no error or
    # warning) and must say what it could not decide (an info finding).
    _case(tmp_path, "no-status", _NO_STATUS, "unknown")
    reported = _NO_STATUS + """status:
  conditions:
  - type: QuotaReserved
    status: "False"
    reason: Pending
    message: "couldn't assign flavors to pod set main: insufficient unused quota for cpu in flavor f, 1 more needed"
"""
    _case(tmp_path, "reported", reported, "unknown")
    doc = json.loads(_run("--corpus", str(tmp_path), "--json").stdout)
    by_case = {c["case"]: c for c in doc["cases"]}
    assert by_case["kueue/no-status"]["top1"] is True
    assert by_case["kueue/reported"]["top1"] is False
