"""The round-83 held-out families of check_routes.py: an endpoint picker whose tokenizing
plugin has no UDS tokenizer sidecar, and an Istio gateway whose ext_proc connection to the
endpoint picker is closed by the picker (TLS on one side, plain gRPC on the other).

Expected values: the public write-ups each paste is quoted from (andyzhangx/demo
llm/kaito-llm-d/multi-role-inference-pd-disaggregation.md and
llm/pd-disaggregation/kaito/gateway-epp-connectivity.md @a5bc48e), the upstream wordings
(llm-d-kv-cache pkg/tokenization/pool_uds.go:60@v0.8.1, pool.go:116@v0.4.0; llm-d-inference-
scheduler .../dataproducer/tokenizer/tokenizer.go:88@v0.8.0) and Envoy's reset reasons
(go-control-plane envoy@v1.37.0 data/accesslog/v3/accesslog.pb.go:875-877)."""
from __future__ import annotations

import pytest

from .conftest import paste_problems as _problems

_SOCKET_ERR = ("dial unix /tmp/tokenizer/tokenizer-uds.socket: connect: no such file or "
               "directory")


def test_the_pickers_tokenizer_sidecar_missing(gw_run, tmp_path):
    # the held-out paste's line (andyzhangx/demo multi-role-inference-pd-disaggregation.md)
    text = ("the EPP crashes on startup:\n```\nfailed to create UDS tokenizer: dial unix "
            "/tmp/tokenizer/tokenizer-uds.socket: no such file or directory\n```\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["endpoint_picker_misconfigured"], found
    assert "sidecar" in found[0]["fix"], found


@pytest.mark.parametrize("line", [
    # precise-prefix-cache-scorer's construction error as the picker's zap JSON log carries it
    # (precise_prefix_cache.go:149@v0.8.0 <- kvcache/indexer.go:116 <- pool_uds.go:60@v0.8.1)
    '{"level":"error","msg":"failed to load config","error":"failed to create precise-prefix-'
    'cache-scorer plugin: failed to create `kvcache.Indexer`: failed to create tokenizers pool: '
    'failed to create UDS tokenizer: failed to initialize tokenizer for model m: tokenizer '
    'initialization failed after 3 attempts: gRPC InitializeTokenizer request failed: rpc '
    'error: code = Unavailable desc = connection error: desc = \\"transport: Error while '
    'dialing: ' + _SOCKET_ERR + '\\""}',
    # the tokenizer plugin's own wording (pkg/plugins/preparedata/tokenizer.go:88@v0.7.1)
    "failed to initialize UDS tokenizer for 'tokenizer' plugin - failed to create gRPC "
    "connection: " + _SOCKET_ERR,
])
def test_other_forms_of_the_missing_tokenizer(gw_run, tmp_path, line):
    found = _problems(gw_run, tmp_path, line + "\n")
    assert [f["cause"] for f in found] == ["endpoint_picker_misconfigured"], found


def test_a_running_tokenizer_sidecar_stays_silent(gw_run, tmp_path):
    text = ("The UDS tokenizer sidecar is running and listens on "
            "/tmp/tokenizer/tokenizer-uds.socket; the EPP started fine.\n")
    found = _problems(gw_run, tmp_path, text)
    assert not [f for f in found if f["cause"] == "endpoint_picker_misconfigured"], found


_RESET = ("upstream connect error or disconnect/reset before headers. reset reason: "
          "connection {reason}")
# the held-out paste's lines (gateway-epp-connectivity.md): the per-route ext_proc override
# naming the picker's Service cluster
_ISTIO_JSON = (
    "When using Istio Gateway + InferencePool + EPP (ext_proc), requests from clients through "
    "the Gateway time out with:\n```\n" + _RESET + "\n```\n\nIn the Gateway envoy config "
    'dump:\n```json\n{\n  "name": "envoy.filters.http.ext_proc",\n  "typed_config": {\n'
    '    "grpc_service": {\n      "envoy_grpc": { "cluster_name": "dummy" }\n    },\n'
    '    "failure_mode_allow": true\n  }\n}\n```\nper-route `typed_per_filter_config` '
    'override:\n```json\n{\n  "grpc_service": {\n    "envoy_grpc": {\n      "cluster_name": '
    '"outbound|9002||pool-epp.default.svc.cluster.local"\n    }\n  },\n'
    '  "failure_mode_allow": false\n}\n```\n')
# istioctl proxy-config listener -o yaml prints the same filter in camelCase
_ISTIO_YAML = (
    "Requests to the InferencePool through the gateway fail:\n```\n" + _RESET + "\n```\n"
    "```yaml\n- name: envoy.filters.http.ext_proc\n  typedConfig:\n    '@type': type."
    "googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor\n"
    "    grpcService:\n      envoyGrpc:\n        clusterName: outbound|9002||epp.ns.svc."
    "cluster.local\n```\n")


@pytest.mark.parametrize("text", [_ISTIO_JSON, _ISTIO_YAML], ids=["json", "yaml"])
def test_the_pickers_ext_proc_connection_closed_by_the_picker(gw_run, tmp_path, text):
    found = _problems(gw_run, tmp_path, text.replace("{reason}", "termination"))
    assert [(f["cause"], f["basis"]) for f in found] == [
        ("endpoint_picker_misconfigured", "inferred")], found
    assert "istioctl proxy-config cluster" in found[0]["confirm"], found
    assert "secure-serving" in found[0]["fix"], found


def test_a_refused_connection_keeps_the_old_reading(gw_run, tmp_path):
    # `connection failure` = nothing accepted the connection, not a transport the two sides
    # do not share
    found = _problems(gw_run, tmp_path, _ISTIO_JSON.replace("{reason}", "failure"))
    assert [f["cause"] for f in found] == ["pool_target_port_mismatch"], found


def test_a_termination_without_the_ext_proc_hop_keeps_the_old_reading(gw_run, tmp_path):
    # nothing in the paste shows the picker's stream: the model server is as likely the peer
    text = ("Requests to the InferencePool through the gateway fail:\n```\n" +
            _RESET.replace("{reason}", "termination") + "\n```\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["pool_target_port_mismatch"], found


def test_an_ext_proc_server_that_is_no_picker_stays_unread_as_one(gw_run, tmp_path):
    # an ext_proc filter of its own (no InferencePool, no picker): not the picker's transport
    text = ("Our gateway calls an ext_proc service for header rewriting and returns:\n```\n" +
            _RESET.replace("{reason}", "termination") + "\n```\n")
    found = _problems(gw_run, tmp_path, text)
    assert not [f for f in found if f["cause"] == "endpoint_picker_misconfigured"], found
