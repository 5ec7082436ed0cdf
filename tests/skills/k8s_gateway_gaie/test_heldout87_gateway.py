"""Round-87 held-out families of check_routes.py: a gateway implementation's own account
refused the picker's kinds (log wrapped after `User`), Envoy Gateway's xds-server NACK log,
a Gateway's CRD-default conditions beside an address its controller wrote, an address of the
wrong type refused in a status write, a gateway proxy's readiness probe refused, and a
generated object named over 63 characters.

Expected values: envoyproxy/ai-gateway commit acf6ba31 (#1477); envoyproxy/gateway commit
7d1e93c3 (#967) and internal/xds/cache/snapshotcache.go; gateway-api v0.4.0 apis/v1alpha1/
gateway_types.go:46 and GoogleCloudPlatform/gke-networking-recipes global-l7-xlb README;
istio/istio commit cf84155f (#46815) and hashicorp/consul-api-gateway#187; nginx/nginx-
gateway-fabric commits de0ce915 (#3765) and f188b4c0 (#716), apimachinery validation."""
from __future__ import annotations

from .conftest import paste_findings, problem_causes


# --- a controller's account (named after the implementation) refused the picker's kinds ----

_WRAPPED = ('> Failed to watch {"runner": "provider", "reflector":\n'
            '"pkg/mod/k8s.io/client-go@v0.34.1/tools/cache/reflector.go:290", "type":\n'
            '"inference.networking.k8s.io/v1, Kind=InferencePool", "error":\n'
            '"inferencepools.inference.networking.k8s.io is forbidden: User\n'
            '"system:serviceaccount:NS:SA" cannot watch\n'
            'resource "inferencepools" in API group "inference.networking.k8s.io" at\n'
            'the cluster scope"}\n')


def test_envoy_gateway_account_wrapped_denial_is_the_controllers(gw_run, tmp_path):
    # the held-out lines (envoyproxy/ai-gateway#1477), wrapped after `User`
    text = _WRAPPED.replace("NS", "envoy-gateway-system").replace("SA", "envoy-gateway")
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["controller_forbidden"]


def test_nginx_gateway_account_on_one_line_is_the_controllers(gw_run, tmp_path):
    text = ('E0101 00:00:00.000000       1 reflector.go:158] "Unhandled Error" err="failed to '
            'list *v1.InferencePool: inferencepools.inference.networking.k8s.io is forbidden: '
            'User \\"system:serviceaccount:nginx-gateway:nginx-gateway\\" cannot list resource '
            '\\"inferencepools\\" in API group \\"inference.networking.k8s.io\\" at the cluster '
            'scope"\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["controller_forbidden"]


def test_picker_account_wrapped_denial_stays_the_pickers(gw_run, tmp_path):
    text = _WRAPPED.replace("NS", "llm").replace("SA", "vllm-qwen-epp")
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["endpoint_picker_misconfigured"]


# --- Envoy Gateway's xds-server log of a NACK ----------------------------------------------

_EG_LOG = ("cache/logrwrapper.go:29\thandling v3 xDS resource request, response_nonce 1, nodeID "
           "envoy-default-gw-1-abc, node_version v1.25.0, resource_names_subscribe [], "
           "resource_names_unsubscribe [], type_url type.googleapis.com/envoy.config.route.v3."
           "RouteConfiguration, errorCode {code}, errorMessage {msg}\n")
_PATH_SPECIFIER = ('Proto constraint validation failed (RouteConfigurationValidationError.'
                   'VirtualHosts[0]: embedded message failed validation | caused by '
                   'RouteValidationError.Match: embedded message failed validation | caused by '
                   'field: "path_specifier", reason: is required): name: "default-gw-http')


def test_eg_xds_server_nack_log_is_a_rejected_config(gw_run, tmp_path):
    # the held-out line's form (envoyproxy/gateway#967): zap console, tab-separated
    text = _EG_LOG.format(code=13, msg=_PATH_SPECIFIER)
    assert problem_causes(gw_run, tmp_path, text) == ["xds_config_rejected"]


def test_eg_nack_error_line_of_later_releases(gw_run, tmp_path):
    text = ("2026-03-01T00:00:00.000Z\terror\txds\tcache/snapshotcache.go:275\tEnvoy rejected "
            "the last update for type type.googleapis.com/envoy.config.listener.v3.Listener on "
            "node envoy-default-gw-1-abc with code 13 and message Error adding/updating "
            "listener(s) default/gw/https: bad cipher; the proxy is still serving its last "
            "known good config\n")
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["xds_config_rejected"]


def test_eg_ack_log_is_no_nack(gw_run, tmp_path):
    path = tmp_path / "ack.txt"
    path.write_text(_EG_LOG.format(code=0, msg=""))
    result = gw_run("check_routes", "-f", str(path), "--json")
    causes = [f["cause"] for f in (result.doc or {}).get("findings", [])] \
        if result.code != 2 else []
    assert "xds_config_rejected" not in causes


# --- CRD-default conditions beside an address a controller wrote ---------------------------

_DESCRIBE = """Name:         gw
Namespace:    default
API Version:  networking.x-k8s.io/v1alpha1
Kind:         Gateway
Spec:
  Gateway Class Name:  gke-l7-gxlb
  Listeners:
    Port:      443
    Protocol:  HTTPS
Status:
{addresses}  Conditions:
    Last Transition Time:  1970-01-01T00:00:00Z
    Message:               Waiting for controller
    Reason:                NotReconciled
    Status:                False
    Type:                  Scheduled
Events:
  Type    Reason  Age   From                   Message
  ----    ------  ----  ----                   -------
  Normal  SYNC    43s   sc-gateway-controller  SYNC on default/gw was a success
"""
_ADDRESSES = "  Addresses:\n    Type:   IPAddress\n    Value:  203.0.113.7\n"


def test_v1alpha1_default_condition_beside_an_address_is_no_fault(gw_run, tmp_path):
    # the held-out describe (gke-networking-recipes global-l7-xlb, trimmed)
    found = paste_findings(gw_run, tmp_path, _DESCRIBE.format(addresses=_ADDRESSES))
    assert [f["cause"] for f in found if f["severity"] != "info"] == []
    assert "stale_status" in [f["cause"] for f in found if f["severity"] == "info"]


def test_v1_default_conditions_beside_an_address_in_yaml(gw_run, tmp_path):
    cond = ('  - {{type: {t}, status: Unknown, reason: Pending, message: Waiting for '
            'controller, lastTransitionTime: "1970-01-01T00:00:00Z"}}\n')
    text = ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: gw, "
            "namespace: default}\nspec:\n  gatewayClassName: c\n  listeners:\n  - {name: "
            "http, port: 80, protocol: HTTP}\nstatus:\n  addresses:\n  - {type: IPAddress, "
            "value: 203.0.113.7}\n  conditions:\n" + cond.format(t="Accepted")
            + cond.format(t="Programmed"))
    found = paste_findings(gw_run, tmp_path, text)
    assert [f["cause"] for f in found if f["severity"] != "info"] == []


def test_default_condition_without_an_address_stays_no_controller(gw_run, tmp_path):
    text = _DESCRIBE.format(addresses="")
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["no_controller"]


# --- a status address of the wrong type refused --------------------------------------------

_ISTIO = ('2023-09-01T14:34:05.859797Z\terror\tstatus\tEncountered unexpected error updating '
          'status for gw, will try again later: Gateway.gateway.networking.k8s.io "gw" is '
          'invalid: [<nil>: Invalid value: "": "status.addresses[0]" must validate one and '
          'only one schema (oneOf). Found none valid, <nil>: Invalid value: "": "status.'
          'addresses[0].value" must validate at least one schema (anyOf), status.addresses[0].'
          'value: Invalid value: "abc.us-west-1.elb.amazonaws.com": status.addresses[0].value '
          'in body must be of type ipv4: "abc.us-west-1.elb.amazonaws.com", <nil>: Invalid '
          'value: "null": some validation rules were not checked because the object was '
          'invalid; correct the existing errors to complete validation]\n')


def test_hostname_written_as_ipv4_is_a_refused_status_write(gw_run, tmp_path):
    # the held-out line's error (istio/istio#46815, istiod 1.19.0)
    assert problem_causes(gw_run, tmp_path, _ISTIO) == ["status_update_rejected"]


def test_refused_value_in_a_json_log_ranks_before_waiting_for_controller(gw_run, tmp_path):
    text = ('{"level":"error","msg":"failed to update gateway status","error":"Gateway.gateway.'
            'networking.k8s.io \\"gw\\" is invalid: status.addresses[0].value: Invalid value: '
            '\\"None\\": status.addresses[0].value in body must be of type ipv4: \\"None\\""}\n'
            "  Conditions:\n    Message: Waiting for controller\n    Reason:  Pending\n"
            "    Status:  Unknown\n    Type:    Programmed\n")
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["status_update_rejected"]


def test_empty_address_refused_stays_no_address(gw_run, tmp_path):
    text = ('Gateway.gateway.networking.k8s.io "gw" is invalid: status.addresses.value: '
            'Invalid value: "": status.addresses.value in body should be at least 1 chars '
            'long\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["gateway_no_address"]


# --- a gateway proxy's readiness probe refused ---------------------------------------------

def test_ngf_readyz_probe_refused_is_gateway_not_ready(gw_run, tmp_path):
    # the held-out event line (nginx/nginx-gateway-fabric#3765, IPv6-only cluster)
    text = ('Warning  Unhealthy  88s (x160 over 26m)  kubelet            Readiness probe '
            'failed: Get "http://[fd00:10:244::5]:8081/readyz": dial tcp [fd00:10:244::5]:8081'
            ': connect: connection refused\n')
    assert problem_causes(gw_run, tmp_path, text) == ["gateway_not_ready"]


def test_envoy_gateway_proxy_probe_timing_out(gw_run, tmp_path):
    text = ('  Warning  Unhealthy  12s (x30 over 5m)  kubelet  Readiness probe failed: Get '
            '"http://10.244.1.7:19003/ready": context deadline exceeded (Client.Timeout '
            'exceeded while awaiting headers)\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["gateway_not_ready"]


def test_an_apps_probe_is_not_a_gateway_proxy(gw_run, tmp_path):
    path = tmp_path / "app.txt"
    path.write_text('Warning  Unhealthy  88s (x160 over 26m)  kubelet  Readiness probe failed: '
                    'Get "http://10.244.1.7:8080/healthz": dial tcp 10.244.1.7:8080: connect: '
                    'connection refused\n')
    result = gw_run("check_routes", "-f", str(path), "--json")
    causes = [f["cause"] for f in (result.doc or {}).get("findings", [])] \
        if result.code != 2 else []
    assert "gateway_not_ready" not in causes


# --- a generated object named over 63 characters --------------------------------------------

_LONG = "nginx-gateway-conformance-infra-same-namespace-with-http-listener-on-8080"


def test_provisioner_deployment_name_over_63_is_the_gateway_name(gw_run, tmp_path):
    # the held-out lines' form (nginx/nginx-gateway-fabric#716), curly quotes as posted
    text = ('{“level”:“info”,“msg”:“added an event to the next batch”}\n'
            f'panic: failed to create deployment: Deployment.apps “{_LONG}" is invalid: '
            f'[spec.selector.matchLabels: Invalid value: “{_LONG}”: must be no more than 63 '
            'characters, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]'
            f'string{{“app”:“{_LONG}”}}}}: invalid label selector]\n')
    assert problem_causes(gw_run, tmp_path, text) == ["gateway_name_too_long"]


def test_generated_service_name_over_63(gw_run, tmp_path):
    text = (f'Service "{_LONG}-istio" is invalid: metadata.name: Invalid value: '
            f'"{_LONG}-istio": must be no more than 63 characters\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["gateway_name_too_long"]



def test_generated_name_over_63_bytes_wording(gw_run, tmp_path):
    # apimachinery v0.35+ says "bytes" (pkg/api/validate/content/errors.go), earlier "characters"
    text = (f'Deployment.apps "{_LONG}" is invalid: metadata.labels: Invalid value: '
            f'"{_LONG}": must be no more than 63 bytes\n')
    assert problem_causes(gw_run, tmp_path, text)[:1] == ["gateway_name_too_long"]

def test_a_route_field_over_63_is_not_the_gateway_name(gw_run, tmp_path):
    text = ('The HTTPRoute "r" is invalid: spec.rules[0].name: Invalid value: "' + "a" * 70
            + '": must be no more than 63 characters\n')
    assert "gateway_name_too_long" not in problem_causes(gw_run, tmp_path, text)
