"""make_queue.py judges Kueue objects as the apiserver and Kueue's webhooks do.

Expected verdicts and messages: tests/resources/admission/dry-run.json, captured from a
local cluster running Kueue v0.19.2 (see tests/skills/k8s_manifests/test_manifests_admission.py).
The rules are the shared kit's (k8s_skillkit.admission.kueue), the same validate_manifest.py
runs, plus the CRD rules this skill restates (its bundle ships without schemas).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
CASES = REPO / "tests" / "resources" / "admission"
CAPTURED = json.loads((CASES / "dry-run.json").read_text())
QUEUE_KINDS = {"ClusterQueue", "Cohort", "ResourceFlavor", "Topology", "LocalQueue"}
DOCS = {f"{d['kind']}/{d['metadata']['name']}": d
        for d in yaml.safe_load_all((CASES / "kueue.yaml").read_text())
        if isinstance(d, dict) and d["kind"] in QUEUE_KINDS}


@pytest.mark.parametrize("ref", sorted(DOCS))
def test_validate_agrees_with_the_server(script, ref):
    result = script("make_queue.py", "validate", "-f", "-", stdin=yaml.safe_dump(DOCS[ref]))
    server = CAPTURED[ref]
    assert (result.code == 0) == server["accepted"], (result.out, server["message"])
    if not server["accepted"]:
        reasons = [line.split(": ", 1)[1] for line in result.out.splitlines()
                   if line.startswith("invalid: ")]
        # "ClusterQueue name: <path>: <server text>" -> the server's own wording
        assert any(r.split(": ", 1)[1] in server["message"] for r in reasons), \
            (reasons, server["message"])


def test_generator_refuses_what_the_webhook_refuses(script):
    """lendingLimit above nominalQuota: the webhook's rule, before anything is printed."""
    result = script("make_queue.py", "cluster-queue", "q", "--flavor", "f", "--quota", "cpu=2",
                    "--cohort", "pool", "--lending-limit", "cpu=3")
    assert result.code == 1
    assert 'lendingLimit: Invalid value: "3": must be less than or equal to the nominalQuota' \
        in result.out


def test_generator_output_is_accepted_when_valid(script):
    result = script("make_queue.py", "cluster-queue", "q", "--flavor", "f", "--quota",
                    "cpu=2,memory=1Gi", "--cohort", "pool", "--lending-limit", "cpu=2")
    assert result.code == 0, result.out
    assert yaml.safe_load(result.out)["kind"] == "ClusterQueue"
