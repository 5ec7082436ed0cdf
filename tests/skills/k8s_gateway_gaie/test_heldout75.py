"""Held-out round 75 of check_routes.py: config the data plane refused, from Cilium. Ground truth:

- Envoy refuses a listener whose address another listener (or, with enable_reuse_port false,
  the listener's own previous version) already holds: `error adding listener: '{}' has
  duplicate address '{}' as existing listener` (envoy source/common/listener_manager/
  listener_manager_impl.cc setNewOrDrainingSocketFactory, main@00e0e562, which appends `, to
  check if the listener has duplicated addresses ...`; the 2017 wording without it is quoted
  from istio/istio#1194 as `lds: fetch failure: error adding listener: ...`). In Cilium's
  Gateway API host-network mode a listener port change is refused for good
  (cilium/cilium#48132, fixed by #48712 and #48798).
- The Cilium agent drops a whole CiliumEnvoyConfig whose resources do not parse: `Skipping
  CiliumEnvoyConfig due to malformed xDS resources` (cilium pkg/ciliumenvoyconfig/
  k8s_reflector.go), error `duplicate Listener name %q` (cec_resource_parser.go
  ParseResources, main@02fbb426); the operator emits two `listener-<port>` for HTTPS and TLS
  Passthrough on one port (cilium/cilium#48269, PR #48278), while every condition stays True.
"""
from __future__ import annotations

from .conftest import paste_problems as _problems
from .conftest import problem_causes as _causes

# cilium/cilium#48132 as the reporter pasted it: the error wrapped over two lines in a fence
_HOSTNET_NACK = """\
After changing a listener's port on the Gateway, Envoy rejects the update:

```
error adding listener: 'kube-system/cilium-gateway-default/listener' has duplicate
address '0.0.0.0:80,[::]:80,0.0.0.0:443,[::]:443' as existing listener
```
"""

# the same refusal inside the control plane's NACK, with the newer Envoy's suffix (the
# wording of listener_manager_impl.cc main@00e0e562 wrapped by the NACK of
# cilium/cilium#27273), names invented
_NACK_NEWER = (
    'level=info msg="Failed to handle CEC upsert, Hive will retry" error="failed to upsert '
    'envoy resources: NACK received: Error adding/updating listener(s) infra/cilium-gateway-'
    "web/listener: error adding listener: 'infra/cilium-gateway-web/listener' has duplicate "
    "address '0.0.0.0:8080' as existing listener, to check if the listener has duplicated "
    "addresses with other listeners or 'enable_reuse_port' is set to 'false' for the "
    'listener"\n')

# istio/istio#1194 as a tutorial quotes it (Envoy of 2017, LDS)
_ISTIO_1194 = (
    "[2017-11-17 00:35:15.001][12][warning][upstream] external/envoy/source/server/"
    "lds_subscription.cc:65] lds: fetch failure: error adding listener: 'http_172.17.0.20_8080'"
    " has duplicate address '172.17.0.20:8080' as existing listener\n")

# cilium/cilium#48269 as the reporter pasted it (abridged to the log and the status sentence)
_CEC_DUPLICATE = """\
On a Gateway that already has **two or more distinct TLS-passthrough ports**, adding a
`TLS`/`Passthrough` listener on a port already used by `HTTPS`/`Terminate` listeners:

```
level=warn msg="Skipping CiliumEnvoyConfig due to malformed xDS resources"
  module=agent.controlplane.ciliumenvoyconfig
  k8sNamespace=gateway name=cilium-gateway-onprem-gateway
  error="duplicate Listener name \\"gateway/cilium-gateway-onprem-gateway/listener-443\\""
```

Throughout, Gateway status reports the new listener and all existing listeners as
`Accepted=True`, `Programmed=True`, with **no** `Conflicted` condition, and the Gateway itself as
`Accepted=True, Programmed=True`.
"""

# the same refusal from an agent logging JSON (slog's JSON handler; the k8s_reflector.go call
# with logfields K8sNamespace/Name/Error), another ParseResources error, names invented
_CEC_JSON = (
    '{"time":"2026-01-05T10:00:00Z","level":"WARN","msg":"Skipping CiliumEnvoyConfig due to '
    'malformed xDS resources","k8sNamespace":"infra","name":"cilium-gateway-edge","error":'
    '"failed to validate Listener (invalid Listener.FilterChains[0]: ...)"}\n')


def test_hostnet_port_change_duplicate_address_is_reported_nack(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, _HOSTNET_NACK)
    assert (found[0]["cause"], found[0]["basis"]) == ("xds_config_rejected", "reported")
    assert "has duplicate address" in found[0]["evidence"][0]
    assert "host-network" in found[0]["fix"]


def test_duplicate_address_inside_control_plane_nack_gets_its_own_fix(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, _NACK_NEWER)
    assert found[0]["cause"] == "xds_config_rejected"
    assert "already holds that address" in found[0]["fix"]


def test_duplicate_address_2017_lds_wording_is_a_nack(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _ISTIO_1194)[0] == "xds_config_rejected"


def test_duplicate_address_said_in_prose_is_no_nack(gw_run, tmp_path):
    # near miss: a user's question, not Envoy's refusal
    text = ("Two listeners of my Gateway use port 443 with different hostnames. Is that a "
            "duplicate address for Envoy, or is it fine?\n")
    assert "xds_config_rejected" not in _causes(gw_run, tmp_path, text)


def test_cilium_cec_duplicate_listener_name_is_reported_nack(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, _CEC_DUPLICATE)
    assert (found[0]["cause"], found[0]["basis"]) == ("xds_config_rejected", "reported")
    assert "CiliumEnvoyConfig" in found[0]["fix"]
    # "with no `Conflicted` condition" says the opposite of a listener conflict
    assert "listener_conflict" not in [f["cause"] for f in found]


def test_cilium_cec_malformed_json_log_is_reported_nack(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, _CEC_JSON)
    assert (found[0]["cause"], found[0]["basis"]) == ("xds_config_rejected", "reported")


def test_cilium_cec_node_selector_skip_is_no_nack(gw_run, tmp_path):
    # near miss: the agent skips a hand-written CiliumEnvoyConfig for its nodeSelector
    # (k8s_reflector.go "Skipping CiliumEnvoyConfig due to invalid NodeSelector"), no xDS
    text = ('level=warn msg="Skipping CiliumEnvoyConfig due to invalid NodeSelector" '
            'k8sNamespace=infra name=my-cec error="invalid label value"\n')
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert "xds_config_rejected" not in result.out + result.err


def test_no_conflicted_condition_alone_is_no_listener_conflict(gw_run, tmp_path):
    text = ("Gateway status reports every listener as `Accepted=True`, `Programmed=True`, "
            "with no `Conflicted` condition, yet TLS connections are reset.\n")
    assert "listener_conflict" not in _causes(gw_run, tmp_path, text)
    text = "The listeners are not in conflict: they use different ports.\n"
    assert "listener_conflict" not in _causes(gw_run, tmp_path, text)


def test_listeners_said_to_conflict_still_read(gw_run, tmp_path):
    # the sentence the prose rule was written for keeps its answer
    text = ("The HTTPS and TLS listeners on port 443 conflict, so the new one never gets "
            "traffic.\n")
    assert _causes(gw_run, tmp_path, text)[0] == "listener_conflict"
