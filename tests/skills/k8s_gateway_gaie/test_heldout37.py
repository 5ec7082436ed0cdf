"""Round-37 wordings of check_routes.py: Envoy refusing a listener whose filter chains match the
same traffic (envoy filter_chain_manager_impl.cc "has the same matching rules defined as";
cilium/cilium#45925, fixed by #45371) and Kong's reconciler refusing a parent that is not a
Gateway (`unsupported parent kind /Service`, Kong/kubernetes-ingress-controller#5227)."""
from __future__ import annotations

from .conftest import problem_causes as _causes

CILIUM_NACK = ("19:15:15.276188243  [gRPC config for type.googleapis.com/envoy.config.listener.v3."
               "Listener\n                    rejected: Error adding/updating listener(s)\n"
               "                    kube-system/cilium-gateway-cilium-internal/listener:\n"
               "                    error adding listener '127.0.0.1:10020':\n"
               "                    filter chain '' has the same matching rules defined as ''.\n"
               "                    duplicate matcher is: {\"transport_protocol\":\"tls\",\n"
               "                    \"server_names\":[\"argocd.lab.domain.tld\"]}\n")


def test_duplicate_filter_chains_are_a_listener_conflict(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, CILIUM_NACK)[0] == "listener_conflict"


def test_an_unsupported_parent_kind(gw_run, tmp_path):
    text = ('2023-11-23T09:29:49Z    error   controllers.HTTPRoute   Reconciler error        '
            '{"reconcileID": "b522b343", "error": "unsupported parent kind /Service"}\n')
    assert _causes(gw_run, tmp_path, text) == ["route_not_accepted"]
