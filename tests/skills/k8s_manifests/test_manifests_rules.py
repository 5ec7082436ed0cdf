"""Each best-practice rule: one case that triggers it and one that does not."""
from __future__ import annotations

import copy
import re

import pytest

from _manifest.rules import RULES, RULES_BY_ID, run_rules
from conftest import SKILL
from manifests_helpers import render_case


def _pod(objs, kind="Deployment"):
    obj = next(o for o in objs if o["kind"] == kind)
    return obj["spec"]["template"]["spec"] if kind != "Job" else obj["spec"]["template"]["spec"]


def _c(objs, kind="Deployment"):
    return _pod(objs, kind)["containers"][0]


def _obj(objs, kind):
    return next(o for o in objs if o["kind"] == kind)


def _drop_probe(field):
    def mutate(objs):
        del _c(objs)[field]
    return mutate


def _set_sc(key, value):
    def mutate(objs):
        _c(objs)["securityContext"][key] = value
    return mutate


def _remove_hpa(objs):
    objs[:] = [o for o in objs if o["kind"] != "HorizontalPodAutoscaler"]


def _pdb_blocking(objs):
    _remove_hpa(objs)
    _obj(objs, "Deployment")["spec"]["replicas"] = 1
    pdb = _obj(objs, "PodDisruptionBudget")["spec"]
    pdb.pop("maxUnavailable")
    pdb["minAvailable"] = 1


def _job_env(objs, name, value):
    env = _c(objs, "Job")["env"]
    next(e for e in env if e["name"] == name)["value"] = value


# rule id -> (base case, mutation that must trigger it)
CASES = {
    "missing_resource_requests": ("deployment", lambda o: _c(o)["resources"].clear()),
    "missing_memory_limit": ("deployment", lambda o: _c(o)["resources"]["limits"].pop("memory")),
    "missing_readiness_probe": ("deployment", _drop_probe("readinessProbe")),
    "missing_liveness_probe": ("deployment", _drop_probe("livenessProbe")),
    "gpu_missing_startup_probe": ("llm-inference", _drop_probe("startupProbe")),
    "image_latest_tag": ("deployment", lambda o: _c(o).update(image="nginx:latest")),
    "privileged_container": ("deployment", _set_sc("privileged", True)),
    "privilege_escalation_allowed": ("deployment", _set_sc("allowPrivilegeEscalation", True)),
    "run_as_root_allowed": ("deployment", lambda o: (
        _pod(o)["securityContext"].update(runAsNonRoot=False, runAsUser=0),
        _c(o)["securityContext"].pop("runAsNonRoot"))),
    "capabilities_not_dropped": ("deployment", lambda o: _c(o)["securityContext"].pop(
        "capabilities")),
    "dangerous_capabilities": ("deployment", lambda o: _c(o)["securityContext"][
        "capabilities"].update(add=["SYS_ADMIN"])),
    "seccomp_profile_missing": ("deployment", lambda o: _pod(o)["securityContext"].pop(
        "seccompProfile")),
    "writable_root_filesystem": ("deployment", _set_sc("readOnlyRootFilesystem", False)),
    "host_path_volume": ("deployment", lambda o: _pod(o)["volumes"].append(
        {"name": "host", "hostPath": {"path": "/var/run"}})),
    "host_namespaces": ("deployment", lambda o: _pod(o).update(hostNetwork=True)),
    "extended_resource_limit_mismatch": ("llm-inference", lambda o: _c(o)["resources"][
        "limits"].pop("nvidia.com/gpu")),
    "extended_resource_fraction": ("llm-inference", lambda o: [
        _c(o)["resources"][s].update({"nvidia.com/gpu": "0.5"}) for s in ("requests", "limits")]),
    "gpu_no_scheduling_hint": ("llm-inference", lambda o: _pod(o).pop("tolerations")),
    "gpu_missing_dev_shm": ("llm-inference", lambda o: _c(o).update(volumeMounts=[
        m for m in _c(o)["volumeMounts"] if m["mountPath"] != "/dev/shm"])),
    "missing_recommended_labels": ("deployment", lambda o: _obj(o, "Deployment")["metadata"][
        "labels"].pop("app.kubernetes.io/name")),
    "job_missing_backoff_limit": ("job", lambda o: _obj(o, "Job")["spec"].pop("backoffLimit")),
    "job_missing_ttl": ("job", lambda o: _obj(o, "Job")["spec"].pop("ttlSecondsAfterFinished")),
    "kueue_queue_label_misplaced": ("training-job", lambda o: (
        _obj(o, "Job")["spec"]["template"]["metadata"]["labels"].update(
            {"kueue.x-k8s.io/queue-name": "team-a"}),
        _obj(o, "Job")["metadata"]["labels"].pop("kueue.x-k8s.io/queue-name"))),
    "kueue_job_not_suspended": ("training-job", lambda o: _obj(o, "Job")["spec"].update(
        suspend=False)),
    "kueue_v1beta1_deprecated": ("configmap", lambda o: o.append({
        "apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "LocalQueue",
        "metadata": {"name": "q"}, "spec": {"clusterQueue": "cq"}})),
    "removed_api_version": ("pdb", lambda o: _obj(o, "PodDisruptionBudget").update(
        apiVersion="policy/v1beta1")),
    "deprecated_api_version": ("configmap", lambda o: o.append({
        "apiVersion": "inference.networking.x-k8s.io/v1alpha2", "kind": "InferencePool",
        "metadata": {"name": "pool"}})),
    "pdb_blocks_drain": ("deployment", _pdb_blocking),
    "hpa_target_missing": ("deployment", lambda o: _obj(o, "HorizontalPodAutoscaler")["spec"][
        "scaleTargetRef"].update(name="nope")),
    "hpa_target_missing_request": ("deployment", lambda o: _c(o)["resources"][
        "requests"].pop("cpu")),
    "hpa_with_fixed_replicas": ("deployment", lambda o: _obj(o, "Deployment")["spec"].update(
        replicas=3)),
    "service_selector_no_match": ("deployment", lambda o: _obj(o, "Service")["spec"][
        "selector"].update({"app.kubernetes.io/name": "other"})),
    "service_target_port_unknown": ("deployment", lambda o: _obj(o, "Service")["spec"][
        "ports"][0].update(targetPort="metrics")),
    "job_subdomain_without_service": ("training-job", lambda o: o.remove(_obj(o, "Service"))),
    "training_world_size_mismatch": ("training-job", lambda o: _job_env(o, "WORLD_SIZE", "2")),
}


def _causes(objs, kube_minor=37):
    return {f["cause"] for f in run_rules(objs, kube_minor)}


def test_every_rule_has_a_case():
    assert set(CASES) == set(RULES_BY_ID)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_triggers(rule_id):
    base, mutate = CASES[rule_id]
    _, objs = render_case(base)
    mutate(objs)
    found = [f for f in run_rules(objs, 37) if f["cause"] == rule_id]
    assert found, f"{rule_id} did not fire"
    assert found[0]["severity"] == RULES_BY_ID[rule_id].severity
    assert found[0]["fix"] and found[0]["message"]


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_quiet_on_clean_manifest(rule_id):
    base, _ = CASES[rule_id]
    _, objs = render_case(base)
    assert rule_id not in _causes(copy.deepcopy(objs))


def test_removed_api_is_only_deprecated_for_an_older_target():
    _, objs = render_case("pdb")
    _obj(objs, "PodDisruptionBudget")["apiVersion"] = "policy/v1beta1"
    causes = _causes(objs, kube_minor=24)
    assert "deprecated_api_version" in causes and "removed_api_version" not in causes


def test_rules_md_documents_every_id():
    text = (SKILL / "references" / "rules.md").read_text()
    documented = set(re.findall(r"^### `([a-z0-9_]+)`", text, re.M))
    extra = {"schema_violation", "gateway_experimental_field", "unknown_kind",
             "harden_manual_fix_needed"}
    assert set(RULES_BY_ID) | extra <= documented
    for rule in RULES:
        section = text.split(f"### `{rule.id}`", 1)[1].split("###", 1)[0]
        assert f"Severity: {rule.severity}." in section and f"Fix: {rule.fix}." in section
