"""kueue-controller-manager's own panic trace pasted as its log: the controller crashes and
restarts on the same input (apimachinery runtime.HandleCrash logs "Observed a panic" and
re-panics), so nothing is admitted: kueue_controller_down, naming the first Kueue frame.
kubernetes-sigs/kueue#4970 (TAS dividing by a zero request, fixed by #4971), its trace as
posted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "skills" / "k8s-kueue" / "scripts" / "explain_pending.py"

TRACE = ('E0415 02:20:30.985818       1 panic.go:241] "Observed a panic" panic="runtime error: '
         'integer divide by zero" panicGoValue="\\"integer divide by zero\\"" stacktrace=<\n'
         '        goroutine 1012 [running]:\n'
         '        k8s.io/apimachinery/pkg/util/runtime.logPanic({0x32aaba0, 0x4de4320}, '
         '{0x2905440, 0x4d4c270})\n'
         '                /workspace/vendor/k8s.io/apimachinery/pkg/util/runtime/runtime.go:107 '
         '+0xbc\n'
         '        panic({0x2905440?, 0x4d4c270?})\n'
         '                /usr/local/go/src/runtime/panic.go:787 +0x132\n'
         '        sigs.k8s.io/kueue/pkg/resources.Requests.CountIn(...)\n'
         '                /workspace/pkg/resources/requests.go:126\n'
         '        sigs.k8s.io/kueue/pkg/cache.(*TASFlavorSnapshot).fillInCounts(0xc001622b40)\n'
         '                /workspace/pkg/cache/tas_flavor_snapshot.go:671 +0x685\n')


def _findings(text: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"], input=text,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def test_a_kueue_panic_is_the_controller_down():
    top = _findings(TRACE)[0]
    assert (top["cause"], top["basis"]) == ("kueue_controller_down", "reported"), top
    assert "pkg/resources.Requests.CountIn" in top["message"]


def test_another_programs_panic_is_not_kueues():
    other = TRACE.replace("sigs.k8s.io/kueue/", "example.com/other/")
    proc = subprocess.run([sys.executable, str(SCRIPT), "-f", "-", "--json"], input=other,
                          capture_output=True, text=True, timeout=60)
    found = json.loads(proc.stdout)["findings"] if proc.stdout.strip() else []
    assert all(f["cause"] != "kueue_controller_down" for f in found)
