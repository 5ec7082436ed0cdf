"""check_dra_gang.py: all claims of a gang at once, and what Kueue will do with it."""
from __future__ import annotations

NVIDIA = "cluster-nvidia.yaml"


def _job(tmp_path, count, workers, queue="dra", extra=""):
    text = (f"apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\n"
            f"metadata: {{name: t, namespace: team-a}}\nspec:\n  spec:\n    devices:\n"
            f"      requests:\n      - name: gpus\n        exactly: {{deviceClassName: "
            f"gpu.nvidia.com, count: {count}{extra}}}\n---\n"
            f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  namespace: team-a\n"
            f"  labels: {{kueue.x-k8s.io/queue-name: {queue}}}\nspec:\n  parallelism: {workers}\n"
            f"  template:\n    spec:\n      restartPolicy: Never\n      resourceClaims: "
            f"[{{name: gpus, resourceClaimTemplateName: t}}]\n      containers: [{{name: m, "
            f"image: x, resources: {{claims: [{{name: gpus}}]}}}}]\n")
    path = tmp_path / "job.yaml"
    path.write_text(text)
    return str(path)


def test_partly_satisfiable_gang_says_how_many_in_human_terms(script, dump, resource):
    r = script("check_dra_gang.py", "-f", resource("gang/four-by-five.yaml"), "--cluster",
               dump(NVIDIA, "gang/queues.yaml"), "--kueue-config",
               resource("check/kueue-config.yaml"), "--json")
    assert r.code == 1
    gang = next(f for f in r.doc["findings"] if f["cause"] == "gang_partially_satisfiable")
    assert gang["message"].startswith("2 of 4 pods can get their devices at once (2 of 4 main "
                                       "pods can get 5 gpu.nvidia.com each)")
    assert "node pool gpu-h200-dra (2 node(s)): 16 free device(s) of gpu.nvidia.com" in \
        gang["evidence"]
    # the ClusterQueue has 24 >= 20: Kueue would admit what cannot run
    assert "kueue_quota_exceeds_devices" in r.causes


def test_quota_below_need_means_kueue_will_not_admit(script, dump, resource):
    text = open(resource("gang/queues.yaml")).read().replace('nominalQuota: "24"',
                                                              'nominalQuota: "16"')
    r = script("check_dra_gang.py", "-f", resource("gang/four-by-five.yaml"), "--cluster",
               dump(NVIDIA, extra=text), "--kueue-config", resource("check/kueue-config.yaml"),
               "--json")
    assert "kueue_will_not_admit" in r.causes and "kueue_quota_exceeds_devices" not in r.causes


def test_gang_that_fits_is_clean(script, dump, resource, tmp_path):
    r = script("check_dra_gang.py", "-f", _job(tmp_path, 2, 8), "--cluster",
               dump(NVIDIA, "gang/queues.yaml"), "--kueue-config",
               resource("check/kueue-config.yaml"))
    assert r.code == 0, r.out
    assert "Job/j: 8 of 8 pod(s) can get their devices at once" in r.out


def test_held_devices_count_against_the_gang(script, dump, resource, tmp_path):
    r = script("check_dra_gang.py", "-f", _job(tmp_path, 1, 3, queue=""), "--cluster",
               dump(NVIDIA, "explain/busy.yaml"), "--json")
    assert r.doc["gangs"][0]["placeable"] == 2 and "gang_partially_satisfiable" in r.causes


def test_kueue_unsupported_claim_forms(script, dump, resource, tmp_path):
    r = script("check_dra_gang.py", "-f", _job(tmp_path, 1, 1, extra=", adminAccess: true"),
               "--cluster", dump(NVIDIA, "gang/queues.yaml"), "--kueue-config",
               resource("check/kueue-config.yaml"), "--json")
    assert "kueue_unsupported_claim" in r.causes


def test_unmapped_class_for_kueue(script, dump, resource, tmp_path):
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("apiVersion: config.kueue.x-k8s.io/v1beta2\nkind: Configuration\n")
    r = script("check_dra_gang.py", "-f", _job(tmp_path, 1, 1), "--cluster",
               dump(NVIDIA, "gang/queues.yaml"), "--kueue-config", str(cfg), "--json")
    assert "kueue_class_unmapped" in r.causes


def test_shared_claim_in_a_gang_is_flagged(script, dump, resource, tmp_path):
    job = tmp_path / "shared.yaml"
    job.write_text("apiVersion: batch/v1\nkind: Job\nmetadata: {name: s, namespace: team-a}\n"
                   "spec:\n  parallelism: 2\n  template:\n    spec:\n      resourceClaims: "
                   "[{name: g, resourceClaimName: one}]\n      containers: [{name: m, image: x}]\n")
    r = script("check_dra_gang.py", "-f", str(job), "--cluster", dump(NVIDIA), "--json")
    assert "gang_shared_claim" in r.causes


def test_missing_template_and_no_workload(script, dump, resource, tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text(open(resource("gang/four-by-five.yaml")).read().split("---")[1])
    r = script("check_dra_gang.py", "-f", str(job), "--cluster", dump(NVIDIA), "--json")
    assert "claim_template_missing" in r.causes
    r = script("check_dra_gang.py", "-f", resource("check/kueue-config.yaml"), "--cluster",
               dump(NVIDIA))
    assert r.code == 2 and "no workload" in r.err


def test_counter_sourced_mapping_is_not_counted_in_devices(script, dump, resource, tmp_path):
    # kueue v0.19.2 pkg/dra/claims.go l.221-223: a DeviceClass whose deviceClassMappings entry
    # has sources[].counter is not charged a device count; pkg/dra/counters.go l.220-223: when
    # the matching devices consume no such counter (whole GPUs), Kueue's own error.
    cfg = tmp_path / "kueue.yaml"
    cfg.write_text(open(resource("check/kueue-config.yaml")).read()
                   + "    sources:\n    - counter: {name: memory, driver: gpu.nvidia.com, "
                     "deviceSelector: {cel: {expression: 'true'}}}\n")
    text = open(resource("gang/queues.yaml")).read().replace('nominalQuota: "24"',
                                                              'nominalQuota: "16"')
    r = script("check_dra_gang.py", "-f", resource("gang/four-by-five.yaml"), "--cluster",
               dump(NVIDIA, extra=text), "--kueue-config", str(cfg), "--json")
    assert "kueue_counter_unmatched" in r.causes
    assert 'Kueue: matched devices have no consumesCounters entry for counter "memory"' in \
        next(f for f in r.doc["findings"] if f["cause"] == "kueue_counter_unmatched")["evidence"]
    assert "kueue_will_not_admit" not in r.causes
    assert "kueue_quota_exceeds_devices" not in r.causes
