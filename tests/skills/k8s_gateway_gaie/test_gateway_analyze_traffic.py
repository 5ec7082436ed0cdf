"""analyze_traffic.py on generated snapshots with known spikes, saturation and errors."""
from __future__ import annotations

import json

import pytest

from k8s_gateway_gaie import metric_snapshots as snap


def _analyze(gw_run, tmp_path, text: str, *args: str, name="m.txt"):
    path = tmp_path / name
    path.write_text(text)
    return gw_run("analyze_traffic", "-f", str(path), "--json", *args)


def _causes(doc, severity=None):
    return {f["cause"] for f in doc["findings"] if severity is None or f["severity"] == severity}


def test_saturated_text_snapshot_recommends_six_replicas(gw_run, tmp_path):
    res = _analyze(gw_run, tmp_path, snap.saturated(), "--pool", "llama")
    rec = res.doc["recommendations"]
    assert (rec["current_replicas"], rec["recommended_replicas"]) == (4, 6)
    assert "ceil(4 x (32.0 running + 12.0 waiting) / 32.0 running) = 6" in rec["why"][0]
    assert {"queue_saturation", "kv_cache_saturation"} <= _causes(res.doc, "error")
    fix = next(f["fix"] for f in res.doc["findings"] if f["cause"] == "queue_saturation")
    assert "--replicas=6" in fix
    assert res.code == 1


def test_same_numbers_from_prometheus_json(gw_run, tmp_path):
    result = []
    for name, value in (("vllm:num_requests_waiting", 3), ("vllm:num_requests_running", 8),
                        ("vllm:kv_cache_usage_perc", 0.94)):
        result += [{"metric": {"__name__": name, "pod": f"llama-{i}"},
                    "value": [1_700_000_000, str(value)]} for i in range(4)]
    doc = {"status": "success", "data": {"resultType": "vector", "result": result}}
    res = _analyze(gw_run, tmp_path, json.dumps(doc), name="m.json")
    assert res.doc["recommendations"]["recommended_replicas"] == 6


def test_healthy_snapshot_exits_0_and_keeps_replicas(gw_run, tmp_path):
    res = _analyze(gw_run, tmp_path, snap.healthy())
    assert res.code == 0
    assert res.doc["recommendations"]["recommended_replicas"] == 3
    assert _causes(res.doc) <= {"metric_missing"}


def test_imbalance_asks_for_the_picker_not_more_replicas(gw_run, tmp_path):
    res = _analyze(gw_run, tmp_path, snap.imbalanced())
    assert "load_imbalance" in _causes(res.doc)
    assert "queue_saturation" not in _causes(res.doc)
    assert res.doc["recommendations"]["recommended_replicas"] == 4
    fix = next(f["fix"] for f in res.doc["findings"] if f["cause"] == "load_imbalance")
    assert "endpointPickerRef" in fix and "FailOpen" in fix


def test_latency_spike_in_a_range_query(gw_run, tmp_path):
    res = _analyze(gw_run, tmp_path, snap.latency_spike_range(), name="r.json")
    spike = [f for f in res.doc["findings"] if f["cause"] == "latency_spike"]
    assert len(spike) == 1 and "7.00s" in spike[0]["message"] and "3 of 15" in spike[0]["message"]
    assert "t=1700000600" in spike[0]["evidence"][0]
    assert res.code == 1


def test_slow_pod_in_histogram_snapshot(gw_run, tmp_path):
    pods = {f"llama-{i}": {"waiting": 0, "running": 4, "kv": 0.5, "latencies": [1.0] * 50}
            for i in range(3)}
    pods["llama-3"] = {"waiting": 0, "running": 4, "kv": 0.5, "latencies": [8.0] * 50}
    res = _analyze(gw_run, tmp_path, snap.vllm_text(pods))
    slow = [f for f in res.doc["findings"] if f["cause"] == "latency_spike"]
    assert [f["object"]["name"] for f in slow] == ["llama-3"]


def test_error_hot_spot_gets_weights_with_the_numbers(gw_run, tmp_path):
    res = _analyze(gw_run, tmp_path, snap.errors_by_backend(), "--route", "chat",
                   name="e.json")
    assert res.doc["recommendations"]["recommended_weights"] == {"llama-v1": 99, "llama-v2": 1}
    err = [f for f in res.doc["findings"] if f["cause"] == "error_rate_high"]
    assert [f["object"]["name"] for f in err] == ["llama-v2"] and "12.0%" in err[0]["message"]
    rew = next(f for f in res.doc["findings"] if f["cause"] == "reweight_backends")
    assert "llama-v2: share 0.09 x error factor 0.08" in " ".join(rew["evidence"])


def test_missing_metrics_are_named_not_guessed(gw_run, tmp_path):
    res = _analyze(gw_run, tmp_path, snap.errors_by_backend(), name="e.json")
    missing = {f["object"]["name"]: f for f in res.doc["findings"]
               if f["cause"] == "metric_missing"}
    assert set(missing) == {"queue depth", "KV-cache usage", "latency"}
    assert "vllm:num_requests_waiting" in missing["queue depth"]["evidence"][0]
    assert "current_replicas" not in res.doc["recommendations"]


@pytest.mark.parametrize("content,needle", [
    ("vllm:num_requests_waiting 3\nnot a metric {\n", "line 2: not Prometheus text"),
    ('{"status": "error", "errorType": "bad_data", "error": "parse error", "data": {}}',
     "query failed: bad_data parse error"),
    ('{"data": {"resultType": "scalar", "result": [1, "2"]}}', "vector or matrix"),
    ('{"status": "success", "data": {"resultType": "vector", "result": '
     '[{"metric": {}, "value": [1, "3"]}]}}', "no __name__"),
    ('{"status": "success", "data": {"resultType": "vector", "result": '
     '[{"metric": {"__name__": "x"}, "value": [1, "abc"]}]}}', "not a number"),
    ("{not json", "not valid JSON"),
    ("# only comments\n", "no samples"),
    ("", "empty metrics input"),
])
def test_malformed_metrics_one_line_exit_2(gw_proc, content, needle):
    res = gw_proc("analyze_traffic", "-f", "-", stdin=content)
    assert res.code == 2, (res.out, res.err)
    assert needle in res.err and len(res.err.strip().splitlines()) == 1 and res.out == ""


def test_generated_fixture_files_match_the_generator(gw_resource):
    from pathlib import Path
    assert Path(gw_resource("metrics", "saturated.txt")).read_text() == snap.saturated()


def test_spike_with_saturation_scales_on_the_recent_window(gw_run, tmp_path):
    res = _analyze(gw_run, tmp_path, snap.saturation_spike_range(), name="r.json")
    rec = res.doc["recommendations"]
    assert (rec["current_replicas"], rec["recommended_replicas"]) == (2, 4)
    assert "ceil(2 x (16.0 running + 12.0 waiting) / 16.0 running) = 4" in rec["why"][0]
    spike = next(f for f in res.doc["findings"] if f["cause"] == "latency_spike")
    assert "queue at peak: 12.0 waiting over 2 pod(s)" in spike["evidence"]
    assert spike["fix"].startswith("queue-driven")
    assert {"queue_saturation", "kv_cache_saturation"} <= _causes(res.doc)


def test_one_scrape_file_per_pod_counts_pods(gw_run, tmp_path):
    paths = []
    for i, waiting in enumerate((4, 4, 4)):
        text = (f"vllm:num_requests_waiting{{model_name=\"llama\"}} {waiting}\n"
                f"vllm:num_requests_running{{model_name=\"llama\"}} 8\n"
                f"vllm:kv_cache_usage_perc{{model_name=\"llama\"}} 0.7\n")
        path = tmp_path / f"pod-{i}.txt"
        path.write_text(text)
        paths += ["-f", str(path)]
    res = gw_run("analyze_traffic", *paths, "--json")
    rec = res.doc["recommendations"]
    assert (rec["current_replicas"], rec["recommended_replicas"]) == (3, 5)


def test_idle_fleet_is_reported_overprovisioned_with_the_count(gw_run, tmp_path):
    text = snap.vllm_text({f"llama-{i}": {"waiting": 0, "running": 1, "kv": 0.2,
                                          "latencies": [1.0] * 5} for i in range(4)})
    res = _analyze(gw_run, tmp_path, text)
    assert res.code == 0  # info only
    assert res.doc["recommendations"]["recommended_replicas"] == 1
    over = next(f for f in res.doc["findings"] if f["cause"] == "overprovisioned")
    assert "ceil(4 x 0.20 / 0.80) = 1" in over["fix"]


# The EPP's own series, named as GAIE's pkg/epp/metrics/metrics.go registers them:
# subsystem inference_pool (ready_pods since v0.5.0), inference_model (v0.2.0-v1.0.0) and
# inference_objective (v1.1.0+) for request counters.
EPP_NO_READY = """# HELP inference_pool_ready_pods [ALPHA] The number of ready pods in the inference server pool.
# TYPE inference_pool_ready_pods gauge
inference_pool_ready_pods{name="vllm-llama3-8b-instruct"} 0
"""


def test_epp_reporting_no_ready_pods_is_the_first_finding(gw_run, tmp_path):
    res = _analyze(gw_run, tmp_path, EPP_NO_READY)
    first = res.doc["findings"][0]
    assert (first["cause"], first["basis"]) == ("pool_no_ready_pods", "reported")
    assert first["object"]["name"] == "vllm-llama3-8b-instruct" and res.code == 1


@pytest.mark.parametrize("subsystem", ["inference_model", "inference_objective"])
def test_epp_request_counters_of_every_gaie_version(gw_run, tmp_path, subsystem):
    text = (f'{subsystem}_request_total{{model_name="llama",target_model_name="llama"}} 200\n'
            f'{subsystem}_request_error_total{{model_name="llama",target_model_name="llama",'
            f'error_code="Internal"}} 20\n')
    res = _analyze(gw_run, tmp_path, text)
    [hit] = [f for f in res.doc["findings"] if f["cause"] == "error_rate_high"]
    assert hit["severity"] == "error" and "10.0% of 200" in hit["message"]
