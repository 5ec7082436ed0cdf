"""A report copied from an 80-column console arrives with its long lines cut inside words.
Every reader of words and log lines reads it whole (kit unwrap_free_text), as the same paste
uncut: the prose rules of triage and of the DRA scripts, and explain_gpu_failure's log reader.
The quotes are the users' own, from the threads named; the cuts are a console's."""
from __future__ import annotations

from pathlib import Path

from tests.skill_scripts import ROOT, run_script

TSHOOT = ROOT / "skills" / "k8s-troubleshooting" / "scripts"
DRA = ROOT / "skills" / "k8s-dra" / "scripts"


def _console(text: str, width: int = 80) -> str:
    """Each line longer than `width` cut every `width` characters, as a console copy."""
    out = []
    for line in text.splitlines():
        out += [line[i:i + width] for i in range(0, len(line), width)] or [""]
    return "\n".join(out) + "\n"


def _run(tmp_path: Path, scripts: Path, name: str, text: str) -> list[str]:
    paste = tmp_path / "paste.txt"
    paste.write_text(text)
    result = run_script(scripts, name, "-f", str(paste), "--json")
    assert result.code in (0, 1), result.err
    return result.causes


# projectcalico/calico#6087
CALICO = ("after install calico, the `calico-kube-controllers` is pending, since it not "
          "tolerate the taints `node-role.kubernetes.io/control-plane` on the node.\n\n"
          "After remove the taint from the node, it works\n")


def test_triage_reads_a_report_sentence_a_console_cut(tmp_path):
    cut = _console(CALICO)
    assert "tol\nerate" in cut  # the only cut, inside the word the rule reads
    assert _run(tmp_path, TSHOOT, "triage.py", cut)[:1] == ["unschedulable_taint"]


# kubernetes-sigs/dra-driver-nvidia-gpu#744
NVIDIA_744 = ("Then I found out this doesn't work because `device.attributes['gpu.nvidia.com']."
              "index` isn't found in ResourceSlice, I can find it in v25.3.2 though.\n")


def test_dra_prose_reads_a_sentence_a_console_cut(tmp_path):
    cut = _console(NVIDIA_744)
    assert ".\nindex`" in cut
    assert _run(tmp_path, DRA, "explain_claim.py", cut)[:1] == ["selector_error"]


# XPixelGroup/BasicSR#737 (PyTorch ProcessGroupNCCL.cpp's watchdog message)
WATCHDOG = ("[rank1]:[E626 06:24:44.903881913 ProcessGroupNCCL.cpp:616] [Rank 1] Watchdog caught "
            "collective operation timeout: WorkNCCL(SeqNum=808, OpType=ALLREDUCE, "
            "NumelIn=9801523, NumelOut=9801523, Timeout(ms)=600000) ran for 600020 milliseconds "
            "before timing out.\n")


def test_explain_gpu_failure_reads_a_log_line_a_console_cut(tmp_path):
    cut = _console(WATCHDOG + WATCHDOG.replace("rank1", "rank0").replace("Rank 1", "Rank 0"))
    assert "cau\nght" in cut
    assert _run(tmp_path, TSHOOT, "explain_gpu_failure.py", cut)[:1] == ["nccl_watchdog_timeout"]
