"""A report in words pasted beside an unrelated, healthy Pod (a user's `kubectl describe pod`
of something that runs): the Pod is no evidence about the fault. Nothing of the skill's area
was checked, so "no problems found" would be a verdict on what is not in the paste; and a
scheduler message quoted in the report is not about a pod that was placed and runs.

Expected values: a Running pod with no spec.resourceClaims has PodScheduled True and no DRA
claim to allocate (k8s.io/api core/v1), so it cannot be the pod a `cannot allocate all
claims` is about; the DeviceTaintRule reading is kubernetes#141620 (as the DRA corpus case
k8s-141620-taint-rule-no-selector records).
"""
from __future__ import annotations

import textwrap

import pytest

from tests.skill_scripts import ROOT, run_script

HEALTHY_POD = textwrap.dedent("""\
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: web-5d8f7c9b4-x2k7q, namespace: storefront}
    spec:
      nodeName: node-1
      containers: [{name: web, image: registry.example.com/web:1.4.2}]
    status:
      phase: Running
      conditions: [{type: PodScheduled, status: "True"}, {type: Ready, status: "True"}]
    """)


def _run(script: str, tmp_path, text: str) -> list[dict]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    skill, _, name = script.partition("/scripts/")
    result = run_script(ROOT / "skills" / skill / "scripts", name, "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return result.doc["findings"]


@pytest.mark.parametrize("script, report", [
    ("k8s-gateway-gaie/scripts/check_routes.py",
     "Our HTTPRoute to the InferencePool sometimes returns errors and we cannot tell why.\n"),
    ("k8s-kueue/scripts/explain_pending.py",
     "When a workload has two PodSets, the workload is reconciled in an infinite loop and "
     "smaller workloads in the queue are not admitted.\n"),
])
def test_a_report_beside_a_healthy_pod_is_not_evaluated(script, report, tmp_path):
    found = _run(script, tmp_path, report + "\n" + HEALTHY_POD)
    # (check_routes names a reported failure it cannot explain `cause_unknown`, also an info)
    assert [f["severity"] for f in found] == ["info"], found
    assert found[0]["cause"] in ("not_evaluated", "cause_unknown"), found


def test_a_quoted_scheduler_message_is_not_the_healthy_pods(tmp_path):
    rule = textwrap.dedent("""\
        ---
        apiVersion: resource.k8s.io/v1
        kind: DeviceTaintRule
        metadata: {name: taint-no-selector}
        spec:
          taint: {key: example.com/no-selector-test, value: "true", effect: NoSchedule}
        """)
    report = ("The same claim and Pod, recreated, now fail to schedule (`FailedScheduling`, "
              "`cannot allocate all claims`).\n")
    found = _run("k8s-dra/scripts/explain_claim.py", tmp_path, report + rule + HEALTHY_POD)
    assert found[0]["cause"] == "device_taint_not_tolerated", found
    assert found[0]["object"]["name"] != "web-5d8f7c9b4-x2k7q", found
