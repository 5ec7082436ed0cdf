"""Held-out round 46 (Kueue): the job reconciler's stop of a job that ran with no Workload at
all, and the API server refusing Kueue's own update of a job template that carries the
flavor's toleration twice. Ground truth: kubernetes-sigs/kueue pkg/controller/jobframework/
reconciler.go v0.8.0..v0.19.2 (ensureOneWorkload: "Missing Workload; unable to restore pod
templates" when there is no Workload to restore from; kueue#8482: a plain Pod on Kubernetes
1.25, without pod scheduling gates); kueue#2427 (duplicate tolerations merged from the
ResourceFlavor, `field is immutable`, fixed by PR #2498)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "skills" / "k8s-kueue" / "scripts"

_TOL = ('core.Toleration{Key:"nvidia.com/gpu", Operator:"Exists", Value:"", '
        'Effect:"NoSchedule", TolerationSeconds:(*int64)(nil)}')
DUPLICATED = (f'Job.batch "job-name" is invalid: spec.template: Invalid value: '
              f'core.PodTemplateSpec{{...,Tolerations:[]core.Toleration{{{_TOL}, {_TOL}}}, ...}}: '
              f'field is immutable\n')
ONCE = (f'Job.batch "job-name" is invalid: spec.template: Invalid value: '
        f'core.PodTemplateSpec{{...,Tolerations:[]core.Toleration{{{_TOL}}}, ...}}: '
        f'field is immutable\n')


def _causes(script: str, text: str) -> list[str]:
    proc = subprocess.run([sys.executable, str(SCRIPTS / script), "-f", "-", "--json"],
                          input=text, capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return [f["cause"] for f in json.loads(proc.stdout)["findings"]]


@pytest.mark.parametrize("event", [
    "Normal  Stopped  3s  kueue-job-controller  Missing Workload; unable to restore pod templates",
    "message: Missing Workload; unable to restore pod templates",
])
def test_a_job_that_ran_with_no_workload(event):
    assert _causes("explain_pending.py", event + "\n")[0] == "job_workload_mismatch"


def test_a_duplicated_flavor_toleration_is_the_known_defect():
    assert _causes("explain_pending.py", DUPLICATED)[0] == "kueue_bug"


def test_an_immutable_template_without_a_duplicate_is_not_that():
    assert "kueue_bug" not in _causes("explain_pending.py", ONCE)
