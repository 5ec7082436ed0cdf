"""A paste quoted as GitHub quotes it (`> ` before every line, as a reply quotes the report)
reads as the paste itself, in every skill's text reader (benchmarks/paste_variants.py, kind
`quote`, found these readers reading the raw lines). The pastes are from the threads named;
the expected causes are what the unquoted paste gives and the thread established."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _causes(script: str, text: str) -> list[str]:
    quoted = "".join(f"> {line}\n" for line in text.splitlines())
    proc = subprocess.run([sys.executable, str(ROOT / "skills" / script), "-f", "-", "--json"],
                          input=quoted, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return [f["cause"] for f in json.loads(proc.stdout)["findings"]]


def test_kueue_events_of_a_preempted_workload():
    # aws-samples HyperPod task governance walkthrough (tests/resources/real-world/kueue/
    # eviction-fair-sharing-preempted-hyperpod): Kueue's Preempted event, fair sharing
    # as the walkthrough shows them: the describe command, then its events in a fence
    events = ("kubectl describe workload -n hyperpod-ns-training-team\n\nYou will see these "
              "events:\n```\n"
              " Normal  Preempted  4m47s  kueue-admission  Preempted to accommodate a "
              "workload (UID: c3758835-94d0-42ee-a2c5-789eba7ce8a2, JobUID: d7e5a7c5-0d47-42ef"
              "-a0a2-862bd2d8ee00) due to Fair Sharing within the cohort\n```\n")
    assert _causes("k8s-kueue/scripts/explain_eviction.py", events)[:1] == ["preempted"]


def test_dra_slice_listing_missing_a_node():
    # kubernetes-sigs/dra-driver-nvidia-gpu#330: after a kubelet restart the node's slice is
    # gone from `kubectl get resourceslices`
    row = "{0}-compute-domain.nvidia.com-x{1}   {0}   compute-domain.nvidia.com   {0}   12h"
    header = "NAME{0}NODE   DRIVER   POOL   AGE".format(" " * 3)
    before = "\n".join([header] + [row.format(f"node-{i}", i) for i in (1, 2, 3)])
    after = "\n".join([header] + [row.format(f"node-{i}", i) for i in (1, 3)])
    text = (f"Before:\n$ kubectl get resourceslices\n{before}\n\nThen the kubelet restarted on "
            f"node-2.\n\nAfter:\n$ kubectl get resourceslices\n{after}\n")
    assert _causes("k8s-dra/scripts/check_dra.py", text)[:1] == ["no_resource_slices"]


def test_troubleshooting_report_in_words():
    # prometheus-community/helm-charts#4946
    text = "When I install the chart the alertmanager pvc's are unbound.\n"
    assert _causes("k8s-troubleshooting/scripts/triage.py", text) == ["pvc_pending"]
