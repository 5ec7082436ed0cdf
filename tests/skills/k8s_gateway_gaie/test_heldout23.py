"""The round-23 held-out families of check_routes.py: a controller's status write refused on
the Gateway's addresses, an informer of a Gateway API kind that never synced, an endpoint
picker reference on the wrong port, a pool whose model servers are scaled to zero, and a
report that opens with markdown bold (YAML reads `**` as an alias).

Expected values: the public thread each paste is quoted from (named at each test) and
apimachinery v0.37.2 NewInvalid (the refusal's shape)."""
from __future__ import annotations

import time

import pytest

from .conftest import paste_problems as _problems


def test_a_refused_status_write_of_the_gateways_address(gw_run, tmp_path):
    # hashicorp/consul-api-gateway#187: on EKS the load balancer has a hostname; the
    # controller wrote an empty IP address and the API server refused the status update
    text = ('2022-04-29T03:20:58.298Z [ERROR] k8s/logger.go:23: consul-api-gateway-server.'
            'controller-runtime.controller.gateway: Reconciler error: name=selling-fears-gateway '
            'namespace=default\n  | \t* Gateway.gateway.networking.k8s.io "selling-fears-'
            'gateway" is invalid: status.addresses.value: Invalid value: "": status.addresses.'
            'value in body should be at least 1 chars long\n')
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["gateway_no_address"], found
    assert "Hostname" in found[0]["fix"], found


def test_other_refused_status_writes_stay_unread(gw_run, tmp_path):
    # kubernetes-sigs/aws-load-balancer-controller#4600: a route's status.parents refused is
    # the controller's own bug, not a fault of the route (the corpus case says none)
    text = ('HTTPRoute.gateway.networking.k8s.io "web" is invalid: [status.parents[1].conditions: '
            'Required value]\n')
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert not [f for f in (result.doc or {}).get("findings", [])
                if f["cause"] == "gateway_no_address"], result.doc


@pytest.mark.parametrize("line", [
    # kubernetes-sigs/external-dns#4567: external-dns 1.15 watches GRPCRoute v1 (Gateway API
    # v1.1+); the installed CRDs served only v1alpha2
    'level=fatal msg="failed to sync *v1.GRPCRoute: context deadline exceeded"',
    # controller-runtime's wording of the same
    'ERROR setup problem running manager {"error": "failed to wait for gateway caches to sync: '
    'timed out waiting for cache to be synced for Kind *v1.TLSRoute"}',
])
def test_an_informer_of_a_gateway_kind_that_never_synced(gw_run, tmp_path, line):
    found = _problems(gw_run, tmp_path, line + "\n")
    assert [f["cause"] for f in found] == ["crd_not_installed"], found


def test_the_endpoint_pickers_reference_on_the_wrong_port(gw_run, tmp_path):
    # opendatahub-io/kserve#1097: endpointPickerRef.port set to the model server's 8000
    # instead of the EPP's gRPC 9002
    text = ("**Gap 2: v1 InferencePool `endpointPickerRef.port` points to the wrong port**\n\n"
            "With port 8000, Istio configures ext-proc to connect on the wrong port, resulting "
            "in `500 - ext_proc_error_gRPC_error_14{Cluster_not_available}`.\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["endpoint_picker_missing"], found


def test_a_backend_ref_on_the_wrong_port_stays_a_port_mismatch(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, "The HTTPRoute backendRef points to the wrong port "
                      "and the gateway returns 500.\n")
    assert [f["cause"] for f in found] == ["port_mismatch"], found


def test_a_pool_scaled_to_zero_reported_in_markdown(gw_run, tmp_path):
    # llm-d/llm-d-router#1735: every model server scaled to 0, flow control answers 429
    text = ("**What happened**: Pool Saturation returns 1 if there is no active endpoint, "
            "which makes it enqueue requests and drop them as 429 after the queue is full.\n\n"
            "**How to reproduce it**: send requests and you will observe a lot of 429s if all "
            "engine is scaled to 0.\n")
    found = _problems(gw_run, tmp_path, text)
    assert [(f["cause"], f["basis"]) for f in found] == [("pool_selects_no_pods", "inferred")]


def test_a_megabyte_of_nested_lines_is_answered_quickly(gw_proc, tmp_path):
    # a fuzz input (tests/fuzz): 1000 nested `- ` lines, 1 MB. Every line is tried against the
    # status catalogue; each row's regex runs only where its fixed text occurs (catalogue
    # anchors), so the answer comes in seconds rather than minutes
    path = tmp_path / "deep.yaml"
    path.write_text("\n".join(("  " * i) + "- " for i in range(1000)) + "\n" + "  " * 1000
                    + "- 1\n")
    start = time.monotonic()
    result = gw_proc("check_routes", "-A", "-v", "-f", str(path))  # 60 s timeout: fails
    assert result.code in (0, 1, 2), result.err
    assert time.monotonic() - start < 20
