"""Generate metric snapshots with known spikes and saturation (text exposition and API JSON)."""
from __future__ import annotations

import json

BUCKETS = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def _hist_lines(name: str, pod: str, latencies: list[float]) -> list[str]:
    lines = []
    for le in BUCKETS:
        count = sum(1 for x in latencies if x <= le)
        lines.append(f'{name}_bucket{{pod="{pod}",le="{le}"}} {count}')
    lines.append(f'{name}_bucket{{pod="{pod}",le="+Inf"}} {len(latencies)}')
    lines.append(f'{name}_sum{{pod="{pod}"}} {sum(latencies)}')
    lines.append(f'{name}_count{{pod="{pod}"}} {len(latencies)}')
    return lines


def vllm_text(pods: dict[str, dict]) -> str:
    """pods: name -> {waiting, running, kv, latencies}: vLLM /metrics scrapes, pod-labelled."""
    lines = ["# HELP vllm:num_requests_waiting Number of requests waiting to be processed.",
             "# TYPE vllm:num_requests_waiting gauge"]
    for pod, p in pods.items():
        lines.append(f'vllm:num_requests_waiting{{model_name="llama",pod="{pod}"}} {p["waiting"]}')
    lines.append("# TYPE vllm:num_requests_running gauge")
    for pod, p in pods.items():
        lines.append(f'vllm:num_requests_running{{model_name="llama",pod="{pod}"}} {p["running"]}')
    lines.append("# TYPE vllm:kv_cache_usage_perc gauge")
    for pod, p in pods.items():
        lines.append(f'vllm:kv_cache_usage_perc{{model_name="llama",pod="{pod}"}} {p["kv"]}')
    lines.append("# TYPE vllm:e2e_request_latency_seconds histogram")
    for pod, p in pods.items():
        lines += _hist_lines("vllm:e2e_request_latency_seconds", pod, p.get("latencies", [1.0]))
    return "\n".join(lines) + "\n"


def saturated() -> str:
    """4 pods, KV ~0.94, 3 waiting per pod, 8 running per pod -> 6 replicas by queue."""
    return vllm_text({f"llama-{i}": {"waiting": 3, "running": 8, "kv": 0.94,
                                      "latencies": [4.0] * 20} for i in range(4)})


def healthy() -> str:
    return vllm_text({f"llama-{i}": {"waiting": 0, "running": 4, "kv": 0.55,
                                      "latencies": [1.5] * 20} for i in range(3)})


def imbalanced() -> str:
    pods = {f"llama-{i}": {"waiting": 0, "running": 3, "kv": 0.4, "latencies": [1.2] * 10}
            for i in range(3)}
    pods["llama-3"] = {"waiting": 9, "running": 8, "kv": 0.6, "latencies": [1.2] * 10}
    return vllm_text(pods)


def _matrix(name_labels: list[tuple[dict, list[float]]], start=1_700_000_000, step=60) -> dict:
    result = []
    for labels, values in name_labels:
        result.append({"metric": labels,
                       "values": [[start + i * step, str(v)] for i, v in enumerate(values)]})
    return {"status": "success", "data": {"resultType": "matrix", "result": result}}


def latency_spike_range() -> str:
    """p99 latency 1.2 s for 10 minutes, then 6.5 s for 3 minutes on one pool; gauges flat."""
    p99 = [1.2] * 10 + [6.5, 7.0, 6.8] + [1.3] * 2
    doc = {
        "latency_p99_seconds": _matrix([({"backend": "llama"}, p99)]),
        "vllm:num_requests_waiting": _matrix(
            [({"pod": f"llama-{i}"}, [0] * 15) for i in range(2)]),
        "vllm:num_requests_running": _matrix(
            [({"pod": f"llama-{i}"}, [4] * 15) for i in range(2)]),
        "vllm:kv_cache_usage_perc": _matrix(
            [({"pod": f"llama-{i}"}, [0.5] * 15) for i in range(2)]),
    }
    return json.dumps(doc, indent=1)


def errors_by_backend() -> str:
    """Istio counters (vector, with __name__): llama-v2 fails 12 % of requests."""
    result = []
    for svc, ok, bad in (("llama-v1", 9900, 100), ("llama-v2", 880, 120)):
        for code, value in (("200", ok), ("503", bad)):
            result.append({"metric": {"__name__": "istio_requests_total",
                                      "destination_service_name": svc, "response_code": code},
                           "value": [1_700_000_000, str(value)]})
    return json.dumps({"status": "success", "data": {"resultType": "vector", "result": result}})


def saturation_spike_range() -> str:
    """16 one-minute samples, 2 pods: the last 4 minutes queue 6 per pod, KV 0.95, p99 6 s."""
    calm, hot = 12, 4
    doc = {
        "latency_p99_seconds": _matrix([({"backend": "llama"}, [1.0] * calm + [6.0] * hot)]),
        "vllm:num_requests_waiting": _matrix(
            [({"pod": f"llama-{i}"}, [0] * calm + [6] * hot) for i in range(2)]),
        "vllm:num_requests_running": _matrix(
            [({"pod": f"llama-{i}"}, [5] * calm + [8] * hot) for i in range(2)]),
        "vllm:kv_cache_usage_perc": _matrix(
            [({"pod": f"llama-{i}"}, [0.6] * calm + [0.95] * hot) for i in range(2)]),
    }
    return json.dumps(doc)
