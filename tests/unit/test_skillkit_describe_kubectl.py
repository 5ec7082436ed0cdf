"""`kubectl describe` exactly as kubectl v0.37.2 prints it, read back into the objects.

The *-described.txt fixtures are the output of kubectl's own describers
(k8s.io/kubectl v0.37.2 pkg/describe: DescriberFor for Pod/Node/Job/Deployment, GenericDescriberFor for
custom resources and ResourceClaim) for the objects in the matching *-objects.yaml, produced by
tests/tools/describegen (a stub API server serves the objects; `go run . < objects.yaml`).
So the expected values are the objects themselves, and the text is kubectl's.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.loading import parse_documents

FIXTURES = ROOT / "tests" / "resources" / "pastes" / "kubectl-v0.37.2"


def leaves(value, path=()):
    """(path, text) of every scalar; an empty map or list is one empty leaf."""
    if isinstance(value, dict):
        if not value:
            yield path, "<empty>"
        for key, child in value.items():
            yield from leaves(child, path + (key,))
    elif isinstance(value, list):
        if not value:
            yield path, "<empty>"
        for index, child in enumerate(value):
            yield from leaves(child, path + (index,))
    else:
        yield path, str(value).lower() if isinstance(value, bool) else str(value)


def pairs(name: str):
    objects = [o for o in yaml.safe_load_all((FIXTURES / f"{name}-objects.yaml").read_text())
               if o]
    text = (FIXTURES / f"{name}-described.txt").read_text()
    parsed = [o for o in parse_documents(text, name) if o.get("kind") != "Event"]
    assert [p["kind"] for p in parsed] == [o["kind"] for o in objects]
    return list(zip(objects, parsed))


def canonical(items) -> list[str]:
    return sorted(json.dumps(i, sort_keys=True) for i in items)


GENERIC = pairs("generic")


@pytest.mark.parametrize("real, parsed", GENERIC,
                         ids=[f"{o['kind']}-{o['metadata']['name']}" for o, _ in GENERIC])
def test_generic_describer_round_trip(real, parsed):
    for section in ("spec", "status"):
        want, got = dict(leaves(real.get(section) or {})), dict(leaves(parsed.get(section) or {}))
        assert got == {p: v for p, v in want.items()}, section
    assert parsed["apiVersion"] == real["apiVersion"]
    meta = real["metadata"]
    assert parsed["metadata"]["name"] == meta["name"]
    assert parsed["metadata"].get("namespace") == meta.get("namespace")
    assert parsed["metadata"].get("labels", {}) == meta.get("labels", {})
    for ref_got, ref_want in zip(parsed["metadata"].get("ownerReferences", []),
                                 meta.get("ownerReferences", [])):
        assert {k: str(v).lower() for k, v in ref_got.items()} == \
            {k: str(v).lower() for k, v in ref_want.items()}


POD, NODE, JOB, DEPLOYMENT = (p for p in pairs("core"))


def test_pod_describer_round_trip():
    real, parsed = POD
    spec, status = real["spec"], real["status"]
    for key in ("priorityClassName", "serviceAccountName", "priority", "nodeSelector"):
        assert parsed["spec"][key] == spec[key]
    assert canonical(parsed["spec"]["tolerations"]) == canonical(spec["tolerations"])
    for kind in ("containers", "initContainers"):
        for want, got in zip(spec[kind], parsed["spec"][kind]):
            assert (got["name"], got["image"], got["resources"]) == \
                (want["name"], want["image"], want["resources"])
    assert parsed["spec"]["initContainers"][0]["command"] == spec["initContainers"][0]["command"]
    assert parsed["spec"]["containers"][0]["ports"] == spec["containers"][0]["ports"]
    assert parsed["status"]["conditions"] == status["conditions"]
    for kind in ("containerStatuses", "initContainerStatuses"):
        for want, got in zip(status[kind], parsed["status"][kind]):
            for key in ("name", "image", "imageID", "containerID", "ready", "restartCount"):
                assert got[key] == want[key]
            # describe prints a waiting state's reason only, and times as RFC1123Z
            state = next(iter(want["state"]))
            assert got["state"][state]["reason"] == want["state"][state]["reason"]
            assert got.get("lastState") == want.get("lastState")
    assert parsed["metadata"]["ownerReferences"][0]["kind"] == "Job"
    assert (parsed["status"]["phase"], parsed["status"]["podIP"], parsed["status"]["startTime"]) \
        == (status["phase"], status["podIP"], status["startTime"])


def test_node_describer_round_trip():
    real, parsed = NODE
    assert parsed["metadata"]["labels"] == real["metadata"]["labels"]
    assert parsed["metadata"]["creationTimestamp"] == real["metadata"]["creationTimestamp"]
    assert canonical(parsed["spec"]["taints"]) == canonical(
        {k: v for k, v in t.items() if k != "timeAdded"} for t in real["spec"]["taints"])
    assert parsed["spec"]["unschedulable"] is True
    for key in ("capacity", "allocatable", "addresses"):
        assert parsed["status"][key] == real["status"][key]
    assert parsed["status"]["conditions"] == real["status"]["conditions"]
    info = dict(real["status"]["nodeInfo"])
    info.pop("kubeProxyVersion")  # not printed by kubectl v1.37 describeNode
    assert parsed["status"]["nodeInfo"] == info


def test_job_describer_round_trip():
    real, parsed = JOB
    for key in ("parallelism", "completions", "completionMode", "backoffLimit", "suspend",
                "activeDeadlineSeconds"):
        assert parsed["spec"][key] == real["spec"][key]
    template, got = real["spec"]["template"], parsed["spec"]["template"]
    assert got["metadata"]["labels"] == template["metadata"]["labels"]
    for key in ("nodeSelector", "tolerations"):
        assert got["spec"][key] == template["spec"][key]
    assert got["spec"]["containers"][0]["resources"] == \
        template["spec"]["containers"][0]["resources"]
    for key in ("active", "failed", "succeeded", "ready", "startTime"):
        assert parsed["status"][key] == real["status"][key]


def test_deployment_describer_round_trip():
    # kubectl's DeploymentDescriber prints the replica counts on one line and the conditions
    # as Type, Status and Reason only (no message column)
    real, parsed = DEPLOYMENT
    assert parsed["spec"]["replicas"] == real["spec"]["replicas"]
    for key in ("replicas", "updatedReplicas", "availableReplicas", "unavailableReplicas"):
        assert parsed["status"][key] == real["status"][key]
    assert parsed["status"]["conditions"] == [
        {k: c[k] for k in ("type", "status", "reason")} for c in real["status"]["conditions"]]
