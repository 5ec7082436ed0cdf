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
