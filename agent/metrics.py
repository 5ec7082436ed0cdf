"""Prometheus metrics of one replica (GET /metrics): requests, latency, tokens and dollars by
model, tool calls by decision, proposals by phase, leader status, watcher findings."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from agent.store import PHASES


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("k8s_agent_requests", "API requests by route and status",
                                ["route", "status"], registry=r)
        self.latency = Histogram("k8s_agent_request_seconds", "API request latency "
                                 "(for /v1/ask: until the stream ends)", ["route"], registry=r,
                                 buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10,
                                          30, 60, 120, 300))
        self.asks_in_flight = Gauge("k8s_agent_asks_in_flight", "asks being answered",
                                    registry=r)
        self.tokens = Counter("k8s_agent_tokens", "model tokens by model and direction",
                              ["model", "direction"], registry=r)
        self.cost = Counter("k8s_agent_cost_usd", "model cost in US dollars by model "
                            "(as the Claude Code CLI reports it)", ["model"], registry=r)
        self.tool_calls = Counter("k8s_agent_tool_calls", "tool calls by tool and decision",
                                  ["tool", "decision"], registry=r)
        self.leader = Gauge("k8s_agent_leader", "1 while this replica leads (runs the "
                            "watcher)", registry=r)
        self.findings = Counter("k8s_agent_findings", "findings published by cause",
                                ["cause"], registry=r)
        self.summary_tokens = Counter("k8s_agent_summary_tokens", "tokens spent on "
                                      "finding summaries", registry=r)
        self._proposal_counts: Collector | None = None

    def track_proposals(self, count_by_phase: Callable[[], Mapping[str, int]]) -> None:
        """count_by_phase() -> {phase: n}, read at scrape time from the cluster's state."""

        class ProposalCollector:
            def collect(self) -> Iterator[GaugeMetricFamily]:
                family = GaugeMetricFamily("k8s_agent_proposals", "proposals by phase",
                                           labels=["phase"])
                try:
                    counts = count_by_phase()
                except Exception:  # noqa: BLE001 - a scrape must not fail for this
                    return
                for phase in PHASES:
                    family.add_metric([phase], counts.get(phase, 0))
                yield family

        if self._proposal_counts is None:
            self._proposal_counts = ProposalCollector()
            self.registry.register(self._proposal_counts)

    def render(self) -> bytes:
        return generate_latest(self.registry)
