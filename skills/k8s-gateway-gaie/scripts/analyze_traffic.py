#!/usr/bin/env python3
"""Read LLM-serving metrics (Prometheus API JSON or text exposition) and recommend changes."""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError
from k8s_skillkit.findings import exit_code, render_text
from k8s_skillkit.loading import read_text

from _gw.metrics import parse
from _gw.traffic import (ENTITY_LABELS, errors, latency, pool_readiness,
                         saturation, weights)

EPILOG = """input (-f, repeatable; - for stdin), detected from the content:
  * Prometheus HTTP API JSON from /api/v1/query (vector) or /api/v1/query_range (matrix).
    Results need __name__, or wrap them: {"vllm:num_requests_waiting": <response>,
    "latency_p99_seconds": <response of histogram_quantile(...)>, "error_ratio": <...>}
  * text exposition: curl http://POD:8000/metrics > pod-a.txt (one file per pod: a scrape
    without a pod label is named after its file); gauges are current values, counters and
    histograms totals since process start
  Range data: gauges are judged on the last quarter of the window, spikes on all of it.

metrics read (references/metrics.md):
  queue  vllm:num_requests_waiting | sglang:num_queue_reqs | trtllm_num_requests_waiting
  busy   vllm:num_requests_running | sglang:num_running_reqs | trtllm_num_requests_running
  kv     vllm:kv_cache_usage_perc | vllm:gpu_cache_usage_perc | sglang:token_usage |
         trtllm_kv_cache_utilization
  lat    latency_p99_seconds | *_bucket of vllm:e2e_request_latency_seconds,
         inference_objective_request_duration_seconds, istio_request_duration_milliseconds,
         envoy_cluster_upstream_rq_time
  errors error_ratio | istio_requests_total | envoy_cluster_upstream_rq_xx |
         inference_objective_request_total + _error_total
A missing metric is reported (metric_missing), never guessed.

examples:
  analyze_traffic.py -f vllm-metrics.txt --pool llama
  analyze_traffic.py -f range.json --json       # query_range output, spikes over time
causes: pool_no_ready_pods queue_saturation kv_cache_saturation overprovisioned
  load_imbalance latency_spike error_rate_high reweight_backends metric_missing
exit: 0 healthy, 1 findings (warning or error), 2 bad usage or malformed metrics."""


def body(args):
    series = []
    for path in args.file:
        text, label = read_text(path)
        series += _label_scrape(parse(text, label), text, label)
    found = pool_readiness(series)
    sat, rec = saturation(series, args)
    found += sat
    found += latency(series, args)
    errs, ratios = errors(series, args)
    found += errs
    wfind, wrec = weights(ratios, series, args)
    found += wfind
    rec.update(wrec)
    names = sorted({s.name for s in series})
    for item in found:  # an inference from metrics names the scrape that would confirm it
        if item["basis"] == "inferred" and not item["confirm"]:
            item["confirm"] = _SCRAPE + CONFIRM_METRICS.get(item["cause"], "")
    payload = {"recommendations": rec, "findings": found,
               "metrics_seen": names if args.verbose else len(names)}
    return payload, _text(found, rec, names, args.verbose), exit_code(found)


# The scrape that shows what each inferred finding was computed from (the metric families of
# references/metrics.md); run it on every pod of the pool, twice a minute apart for counters.
_SCRAPE = "curl -s http://POD:8000/metrics | grep -E "
CONFIRM_METRICS = {
    "queue_saturation": "'num_requests_waiting|num_queue_reqs'",
    "overprovisioned": "'num_requests_(waiting|running)|num_(queue|running)_reqs'",
    "kv_cache_saturation": "'kv_cache_usage_perc|gpu_cache_usage_perc|token_usage'",
    "load_imbalance": "'num_requests_(running|waiting)|num_(running|queue)_reqs'",
    "latency_spike": "'request_latency_seconds|request_duration_(seconds|milliseconds)|"
                     "upstream_rq_time'",
    "error_rate_high": "'requests_total|upstream_rq_xx|error_total'",
    "reweight_backends": "'requests_total|upstream_rq_xx|error_total'",
    "metric_missing": "'vllm:|sglang:|trtllm_|inference_(objective|model|pool)_'",
}


def _label_scrape(series, text, label):
    """A raw /metrics scrape names no pod: the file is the pod, so several files (one per
    pod) stay apart instead of adding up into one."""
    if text.lstrip()[:1] in "{[":
        return series
    named = set(ENTITY_LABELS) - {"model_name"}
    for s in series:
        if not named & set(s.labels):
            s.labels["instance"] = os.path.basename(label)
    return series


def _text(found, rec, names, verbose) -> str:
    lines = []
    if rec.get("current_replicas"):
        lines.append(f"replicas: {rec['current_replicas']} -> {rec['recommended_replicas']}"
                     + (f" ({'; '.join(rec['why'])})" if rec.get("why") else ""))
    if rec.get("recommended_weights"):
        lines.append("weights: " + ", ".join(f"{k}={v}" for k, v in
                                             sorted(rec["recommended_weights"].items())))
    shown = found if verbose else [f for f in found if f["severity"] != "info"]
    if shown:
        lines.append(render_text(shown))
    info = [f for f in found if f["severity"] == "info" and f not in shown]
    for f in info:
        lines.append(f"INFO {f['cause']}: {f['message']}")
    if not [f for f in found if f["severity"] != "info"]:
        lines.append("no saturation, spikes or error hot spots in the metrics given")
    lines.append(f"({len(names)} metric name(s) read" + (f": {', '.join(names)})" if verbose
                                                         else "; --verbose lists them)"))
    return "\n".join(lines)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError as err:
        raise InputError(f"{text!r}: not a number") from err
    if not 0 < value <= 1:
        raise InputError(f"{text!r}: must be in (0, 1]")
    return value


def main(argv=None) -> int:
    parser = make_parser("Detect latency spikes, queue/KV-cache saturation and error hot "
                         "spots in LLM serving metrics; recommend replicas, route weights "
                         "and InferencePool settings with the numbers behind them.",
                         epilog=EPILOG)
    parser.add_argument("-f", "--file", action="append", required=True,
                        help="metrics file (JSON or text exposition), - for stdin")
    parser.add_argument("--pool", help="InferencePool / model server name for the report")
    parser.add_argument("--route", help="HTTPRoute name for weight advice")
    parser.add_argument("--kv-target", type=_fraction, default=0.8,
                        help="KV-cache usage to size for (default 0.8)")
    parser.add_argument("--kv-high", type=_fraction, default=0.9,
                        help="KV-cache usage that counts as saturated (default 0.9)")
    parser.add_argument("--queue-threshold", type=float, default=1.0,
                        help="waiting requests per pod that count as saturated (default 1)")
    parser.add_argument("--spike-factor", type=float, default=2.0,
                        help="latency over factor x baseline is a spike (default 2)")
    parser.add_argument("--spike-floor", type=float, default=0.5,
                        help="...and at least this many seconds over it (default 0.5)")
    parser.add_argument("--error-threshold", type=_fraction, default=0.01,
                        help="error ratio that counts as high (default 0.01)")
    parser.add_argument("--quantile", type=_fraction, default=0.99,
                        help="latency quantile from histograms (default 0.99)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every metric read")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
