"""Traffic analyses over parsed series: saturation, replicas, latency spikes, errors, weights.

Metric names (references/metrics.md): vLLM vllm:num_requests_waiting / _running,
vllm:kv_cache_usage_perc (0-1; older vllm:gpu_cache_usage_perc), vllm:e2e_request_latency_
seconds and vllm:time_to_first_token_seconds histograms; SGLang sglang:num_queue_reqs,
sglang:num_running_reqs, sglang:token_usage; GAIE EPP inference_objective_request_total /
_error_total / _duration_seconds, inference_pool_average_kv_cache_utilization,
inference_pool_average_queue_size (GAIE v1.5 site-src/guides/metrics-and-observability.md);
Istio istio_requests_total, istio_request_duration_milliseconds; Envoy
envoy_cluster_upstream_rq_xx, envoy_cluster_upstream_rq_time (ms).
"""
from __future__ import annotations

import math
import statistics
from collections import defaultdict

from k8s_skillkit.findings import finding

from _gw.metrics import quantile

# The engine defaults of GAIE v1.5.0's metrics extractor
# (pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go), plus older vLLM.
QUEUE = ("vllm:num_requests_waiting", "sglang:num_queue_reqs", "trtllm_num_requests_waiting")
RUNNING = ("vllm:num_requests_running", "sglang:num_running_reqs",
           "trtllm_num_requests_running")
KV = ("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc", "sglang:token_usage",
      "trtllm_kv_cache_utilization")
# histogram base name -> unit scale to seconds
LATENCY = {"vllm:e2e_request_latency_seconds": 1.0,
           "inference_objective_request_duration_seconds": 1.0,
           "inference_model_request_duration_seconds": 1.0,
           "istio_request_duration_milliseconds": 0.001,
           "envoy_cluster_upstream_rq_time": 0.001,
           "vllm:time_to_first_token_seconds": 1.0}
LATENCY_DERIVED = ("latency_p99_seconds", "latency_seconds")
ENTITY_LABELS = ("pod", "kubernetes_pod_name", "instance", "destination_workload",
                 "destination_service_name", "envoy_cluster_name", "backend", "model_name")


# The EPP's request counters: subsystem inference_model in GAIE v0.2-v1.0, inference_objective
# from v1.1 (pkg/epp/metrics/metrics.go at those tags).
EPP_TOTAL = ("inference_objective_request_total", "inference_model_request_total")
EPP_ERRORS = ("inference_objective_request_error_total", "inference_model_request_error_total")
# The EPP's view of its pool (GAIE v0.5+): gauge per pool, label "name".
EPP_READY_PODS = "inference_pool_ready_pods"


def entity(labels: dict) -> str:
    for key in ENTITY_LABELS:
        if labels.get(key):
            return labels[key]
    return "all"


def pick(series, names) -> tuple[str | None, list]:
    for name in names:
        found = [s for s in series if s.name == name]
        if found:
            return name, found
    return None, []


def missing(role: str, names, consequence: str) -> dict:
    return finding("info", "metric_missing", {"kind": "Metric", "name": role},
                   f"no {role} metric: {consequence}",
                   [f"looked for: {', '.join(names)}"],
                   "add one of these series to the snapshot/query results")


def per_entity(series) -> dict[str, float]:
    """Recent value of each entity's series (summed when an entity has several)."""
    out = defaultdict(float)
    for s in series:
        out[entity(s.labels)] += s.recent()
    return dict(out)


class _Fleet:
    """Per-pod gauges of the model servers and the evidence lines describing them."""

    def __init__(self, series, opts):
        self.qname, self.queue = pick(series, QUEUE)
        self.rname, self.running = pick(series, RUNNING)
        self.kname, self.kv = pick(series, KV)
        self.q, self.r, self.k = (per_entity(self.queue), per_entity(self.running),
                                  per_entity(self.kv))
        self.n = len(set(self.q) | set(self.k))
        self.waiting, self.busy = sum(self.q.values()), sum(self.r.values())
        self.kv_mean = statistics.fmean(self.k.values()) if self.k else None
        self.opts = opts

    def evidence(self) -> list[str]:
        n, q, k = self.n, self.q, self.k
        samples = max(len(s.points) for s in self.queue + self.kv)
        out = [f"{n} model server pod(s)" + (
            f"; range data: values are the mean of the last {max(1, samples // 4)} of "
            f"{samples} samples" if samples > 1 else "")]
        if self.queue:
            out.append(f"{self.qname}: total {self.waiting:.1f} ({self.waiting / n:.2f}/pod), "
                       f"max pod {max(q.values()):.1f} ({max(q, key=q.get)})")
        if self.running:
            out.append(f"{self.rname}: total {self.busy:.1f} ({self.busy / n:.2f}/pod)")
        if self.kv_mean is not None:
            out.append(f"{self.kname}: mean {self.kv_mean:.2f}, max {max(k.values()):.2f} "
                       f"({max(k, key=k.get)}); target {self.opts.kv_target:.2f}")
        return out


def saturation(series, opts) -> tuple[list[dict], dict]:
    """Queue / KV-cache saturation and the replica count that relieves it."""
    fleet = _Fleet(series, opts)
    findings = []
    if not fleet.queue:
        findings.append(missing("queue depth", QUEUE, "queue saturation and the "
                                "queue-based replica count are not computed"))
    if not fleet.kv:
        findings.append(missing("KV-cache usage", KV, "KV-cache saturation and the "
                                "KV-based replica count are not computed"))
    if not fleet.n:
        return findings, {}
    skew = imbalance(fleet.q, opts)
    want, why = _replicas(fleet, skew, findings)
    fix = (f"scale the model server Deployment to {want} replicas "
           f"(kubectl scale deployment/<model-server> --replicas={want}); " + "; ".join(why))
    for f in findings:
        if f["cause"] in ("queue_saturation", "kv_cache_saturation", "overprovisioned"):
            f["fix"] = fix
    rec = {"current_replicas": fleet.n, "recommended_replicas": want, "why": why}
    return findings + skew, rec


def _replicas(fleet, skew, findings) -> tuple[int, list[str]]:
    n, opts, evidence = fleet.n, fleet.opts, fleet.evidence()
    want, why = n, []
    queued = fleet.queue and fleet.waiting / n > opts.queue_threshold
    if queued and skew:
        why.append("queue sits on few pods while others idle: fix balancing before scaling")
    elif queued:
        want = _by_queue(n, fleet.waiting, fleet.busy, fleet.running, why, findings, opts)
        findings.append(finding("error", "queue_saturation", _pool(opts),
                                f"requests are queueing: {fleet.waiting / n:.2f} waiting per "
                                f"pod (threshold {opts.queue_threshold})", evidence, "",
                                basis="reported"))
    if fleet.kv_mean is None:
        return want, why
    kv = fleet.kv_mean
    by_kv = math.ceil(n * kv / opts.kv_target - 1e-9)
    why.append(f"by KV cache: ceil({n} x {kv:.2f} / {opts.kv_target:.2f}) = {by_kv}")
    if kv >= opts.kv_high:
        want = max(want, by_kv)
        findings.append(finding("error", "kv_cache_saturation", _pool(opts),
                                f"KV cache {kv:.0%} full on average (high mark "
                                f"{opts.kv_high:.0%}): requests get preempted/queued",
                                evidence, "", basis="reported"))
    elif want == n and kv < opts.kv_target / 2 and fleet.waiting == 0 and n > 1:
        want = max(1, by_kv)
        findings.append(finding("info", "overprovisioned", _pool(opts),
                                f"KV cache {kv:.0%} and no queue: {n} replicas carry a load "
                                f"{want} could", evidence, ""))
    return want, why


def _pool(opts) -> dict:
    return {"kind": "InferencePool", "name": opts.pool or "pool"}


def _by_queue(n, waiting, busy, running, why, findings, opts) -> int:
    """Replicas so that today's running + waiting fit at today's per-replica concurrency."""
    if running and busy > 0:
        by_q = math.ceil(n * (busy + waiting) / busy)
        why.append(f"by queue: ceil({n} x ({busy:.1f} running + {waiting:.1f} waiting) / "
                   f"{busy:.1f} running) = {by_q}")
        return by_q
    by_q = n + math.ceil(waiting / max(opts.queue_threshold, 1))
    why.append(f"by queue (no running metric): {n} + ceil({waiting:.1f} waiting) = {by_q}")
    findings.append(missing("running requests", RUNNING, "per-replica concurrency is "
                            "unknown, the queue-based count is a lower bound"))
    return by_q


def imbalance(q: dict, opts) -> list[dict]:
    if len(q) < 2:
        return []
    mean = statistics.fmean(q.values())
    worst = max(q, key=q.get)
    if q[worst] <= 2 * mean + 1 or min(q.values()) > opts.queue_threshold:
        return []
    idle = [p for p, v in q.items() if v <= opts.queue_threshold]
    return [finding("warning", "load_imbalance", {"kind": "InferencePool",
                                                   "name": opts.pool or "pool"},
                    f"{worst} queues {q[worst]:.1f} requests while {len(idle)} pod(s) have "
                    "room: the balancer is not load-aware",
                    ["queue per pod: " + ", ".join(f"{p}={v:.1f}" for p, v in sorted(q.items())),
                     f"mean {mean:.2f}"],
                    "route through an InferencePool with endpointPickerRef (queue-scorer and "
                    "kv-cache-utilization-scorer balance on these metrics); if one exists, "
                    "check the EPP is up: with failureMode FailOpen the gateway silently falls "
                    "back to its own balancing")]


def latency_series(series, opts) -> tuple[str | None, dict[str, list]]:
    """{entity: [(ts, seconds)]}: derived p99 series first, else histogram quantiles."""
    name, derived = pick(series, LATENCY_DERIVED)
    if derived:
        out = defaultdict(list)
        for s in derived:
            out[entity(s.labels)] += s.points
        return name, {k: sorted(v, key=lambda p: p[0] or 0) for k, v in out.items()}
    for base, scale in LATENCY.items():
        buckets = [s for s in series if s.name == base + "_bucket" and "le" in s.labels]
        if buckets:
            return f"{base} p{int(opts.quantile * 100)}", _quantiles(buckets, scale, opts.quantile)
    return None, {}


def _quantiles(buckets, scale, q) -> dict[str, list]:
    grid = defaultdict(lambda: defaultdict(float))  # (entity, ts) -> le -> count
    for s in buckets:
        le = float("inf") if s.labels["le"] in ("+Inf", "Inf") else float(s.labels["le"])
        for ts, value in s.points:
            grid[(entity(s.labels), ts)][le] += value
    out = defaultdict(list)
    for (ent, ts), counts in grid.items():
        value = quantile(q, list(counts.items()))
        if value is not None:
            out[ent].append((ts, value * scale))
    return {k: sorted(v, key=lambda p: p[0] or 0) for k, v in out.items()}


def latency(series, opts) -> list[dict]:
    name, by = latency_series(series, opts)
    if not by:
        return [missing("latency", list(LATENCY_DERIVED) + [b + "_bucket" for b in LATENCY],
                        "latency spikes are not detected")]
    out = []
    _, queue = pick(series, QUEUE)
    waiting = defaultdict(float)
    for q in queue:
        for ts, v in q.points:
            waiting[ts] += v
    pods = len({entity(q.labels) for q in queue})
    for ent, points in sorted(by.items()):
        if len(points) >= 6:
            out += _spike(name, ent, points, opts, waiting, pods)
    if len(by) >= 2:
        out += _slow_backend(name, {e: statistics.fmean(v for _, v in p) for e, p in by.items()},
                             opts)
    return out


def _spike(name, ent, points, opts, waiting, pods) -> list[dict]:
    values = [v for _, v in points]
    base = statistics.median(values[: max(3, len(values) // 2)])
    limit = max(base * opts.spike_factor, base + opts.spike_floor)
    hot = [(ts, v) for ts, v in points if v > limit]
    if not hot:
        return []
    peak = max(hot, key=lambda p: p[1])
    evidence = [f"first over {limit:.2f}s at t={hot[0][0]:.0f}, peak at t={peak[0]:.0f}",
                f"baseline = median of the first half ({base:.2f}s)"]
    fix = ("no queue metric at these timestamps: compare queue depth / KV cache over the "
           "same window before scaling")
    if peak[0] in waiting and pods:
        at_peak = waiting[peak[0]]
        evidence.append(f"queue at peak: {at_peak:.1f} waiting over {pods} pod(s)")
        if at_peak / pods > opts.queue_threshold:
            fix = ("queue-driven: requests wait for a free slot, add replicas (ceil(pods x "
                   "(running + waiting) / running)) or shed load")
        else:
            fix = ("not queue-driven (no waiting requests at the peak): look for one slow "
                   "backend (shift weight), long prompts/outputs, or the endpoint picker")
    return [finding("warning", "latency_spike", {"kind": "Metric", "name": ent},
                    f"{name} spiked to {peak[1]:.2f}s ({peak[1] / base:.1f}x the {base:.2f}s "
                    f"baseline) in {len(hot)} of {len(values)} samples", evidence, fix)]


def _slow_backend(name, means: dict, opts) -> list[dict]:
    best = min(means.values())
    slow = {e: v for e, v in means.items() if best > 0 and v > opts.spike_factor * best}
    if not slow:
        return []
    return [finding("warning", "latency_spike", {"kind": "Metric", "name": e},
                    f"{e}: {name} {v:.2f}s is {v / best:.1f}x the fastest backend ({best:.2f}s)",
                    [", ".join(f"{k}={x:.2f}s" for k, x in sorted(means.items()))],
                    "shift weight away from it (see weights) or drain it")
            for e, v in sorted(slow.items())]


def errors(series, opts) -> tuple[list[dict], dict]:
    ratios = error_ratios(series)
    if ratios is None:
        return [missing("error rate", ["error_ratio", "istio_requests_total",
                                       "envoy_cluster_upstream_rq_xx", *EPP_ERRORS],
                        "error rates and error-based weights are not computed")], {}
    out = []
    for ent, (ratio, total) in sorted(ratios.items()):
        if ratio > opts.error_threshold:
            out.append(finding("error" if ratio >= 5 * opts.error_threshold else "warning",
                               "error_rate_high", {"kind": "Metric", "name": ent},
                               f"{ent}: {ratio:.1%} of {total:.0f} requests failed "
                               f"(threshold {opts.error_threshold:.1%})",
                               ["error ratio per backend: " + ", ".join(
                                   f"{k}={v[0]:.1%}" for k, v in sorted(ratios.items()))],
                               "shift weight away (see weights); read the backend's logs",
                               basis="reported"))
    return out, ratios


def error_ratios(series) -> dict | None:
    _, derived = pick(series, ("error_ratio",))
    if derived:
        return {entity(s.labels): (s.mean(), 0.0) for s in derived}
    totals, bad = defaultdict(float), defaultdict(float)
    found = False
    for s in series:
        delta = s.points[-1][1] - s.points[0][1] if len(s.points) > 1 else s.last
        ent = entity(s.labels)
        if s.name == "istio_requests_total":
            found = True
            totals[ent] += delta
            bad[ent] += delta if str(s.labels.get("response_code", "")).startswith("5") else 0
        elif s.name == "envoy_cluster_upstream_rq_xx":
            found = True
            totals[ent] += delta
            bad[ent] += delta if s.labels.get("envoy_response_code_class") == "5" else 0
        elif s.name in EPP_TOTAL:
            found = True
            totals[ent] += delta
        elif s.name in EPP_ERRORS:
            bad[ent] += delta
    if not found:
        return None
    return {e: (bad[e] / t if t else 0.0, t) for e, t in totals.items()}


def weights(ratios: dict, series, opts) -> tuple[list[dict], dict]:
    """Keep each backend's traffic share, scaled down by how far it exceeds the error
    threshold and by how much slower than the fastest it is; normalised to 100."""
    if len(ratios) < 2:
        return [], {}
    _, lat = latency_series(series, opts)
    lat_mean = {e: statistics.fmean(v for _, v in p) for e, p in lat.items() if p}
    best = min(lat_mean.values()) if lat_mean else 0
    traffic = sum(t for _, t in ratios.values())
    score, basis = {}, []
    for ent, (ratio, total) in sorted(ratios.items()):
        share = total / traffic if traffic else 1 / len(ratios)
        err_f = min(1.0, opts.error_threshold / ratio) if ratio > 0 else 1.0
        lat_f = min(1.0, best / lat_mean[ent]) if best and ent in lat_mean else 1.0
        score[ent] = share * err_f * lat_f
        basis.append(f"{ent}: share {share:.2f} x error factor {err_f:.2f} x latency factor "
                     f"{lat_f:.2f}")
    if all(v >= 0.999 * (t / traffic if traffic else 1 / len(ratios))
           for v, (_, t) in zip((score[e] for e in sorted(ratios)),
                                (ratios[e] for e in sorted(ratios)))):
        return [], {"recommended_weights": None}
    total = sum(score.values()) or 1
    new = {e: max(1, round(100 * s / total)) for e, s in score.items()}
    return [finding("warning", "reweight_backends", {"kind": "HTTPRoute",
                                                     "name": opts.route or "route"},
                    "backends differ in health: move traffic to the healthy ones",
                    basis, "set backendRefs[].weight: " + ", ".join(
                        f"{e}={w}" for e, w in sorted(new.items())) +
                    " (keep >= 1 on the bad backend as a canary, or 0 to drain it)")], \
        {"recommended_weights": new}


def pool_readiness(series) -> list[dict]:
    """The endpoint picker reports how many pods of its pool are ready; zero means every
    request to the pool fails (FailClose) or bypasses the picker (FailOpen)."""
    out = []
    for s in series:
        if s.name != EPP_READY_PODS or s.last > 0:
            continue
        pool = s.labels.get("name") or entity(s.labels)
        out.append(finding("error", "pool_no_ready_pods", {"kind": "InferencePool",
                                                           "name": pool},
                           f"the endpoint picker reports 0 ready pods in pool {pool}",
                           [f"{EPP_READY_PODS}{{name={pool!r}}} = {s.last:g}"],
                           "check the model server pods the pool selects (readiness, labels, "
                           "targetPorts): check_routes.py -n NAMESPACE",
                           basis="reported"))
    return out
