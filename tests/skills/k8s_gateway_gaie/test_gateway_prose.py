"""check_routes.py on reports written in prose and markdown (issue threads, PR descriptions).

Each text is a user's own words from a public thread (source above it); the expected cause is
the one the thread's resolution established, and the wordings the rules rely on come from the
controllers' sources (cited in references/messages.md).
"""
from __future__ import annotations

import pytest


def _causes(gw_run, tmp_path, text: str) -> list[str]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code in (0, 1), result.err
    return [f["cause"] for f in result.doc["findings"] if f["severity"] != "info"]


# envoyproxy/gateway#1654: Envoy Gateway's message (internal/gatewayapi/status/gateway.go
# messageAddressNotAssigned) quoted in a sentence; maintainer: k3d gave the Service no LB IP.
K3D = ('after installing the Install the HTTP routing example resources the gateway status is '
       'still showing "No addresses have been assigned to the Gateway"\n')

# cozystack/cozystack#3235 (merged fix: backendRefs port 80 -> 8080).
KEYCLOAK = """With `gateway-enabled: "true"`, every Keycloak hostname answers 503 from envoy. \
The `keycloak-http` Service exposes a single port, 8080:

but all three HTTPRoute backendRefs in `packages/system/keycloak/templates/httproute.yaml` \
reference `port: 80`. Gateway API resolves a backendRef against the Service's declared ports.

Observed live: hand-patching the route's backend port to 8080 restored service.
"""

# vdupain/gitops-k8s#58 (fix: backendRefs port 8080 -> 80).
OPEN_WEBUI = """The HTTPRoute for `open-webui.ai.vincentdupain.com` references backend port \
**8080**, but the `open-webui` Service exposes port **80**.

open-webui.ai.vincentdupain.com → HTTP 503 (Service Unavailable)
"""

# cert-manager/website#2193 (merged: allowedRoutes added to the listener).
ALLOWED_ROUTES = ("The Gateway HTTP listener in the ListenerSet example was missing allowedRoutes, "
                  "which defaults to Same namespace. Without it, cert-manager's HTTP-01 challenge "
                  "HTTPRoute (created in the application namespace) won't attach to the listener "
                  "and the challenge will fail.\n")

# opendatahub-io/kserve#1686: Istio's ResolvedRefs wording for the alpha InferencePool group
# (fix: the GA group inference.networking.k8s.io).
ISTIO_ALPHA = ("- Istio rejects `x-k8s.io` as `InvalidKind` for backendRef on 4.21\n"
               "- failed with `InvalidKind: referencing unsupported backendRef: group "
               "\"inference.networking.x-k8s.io\" kind \"InferencePool\"`\n")

# envoyproxy/gateway#5905 (maintainer: the route names a Service not deployed yet ->
# BackendNotFound, and the rule answers 500).
DIRECT_500 = ("What we've observed is when we add configuration for a service that is not yet "
              "deployed in k8s, envoy-gateway returns 500 on all routes for that service.\n\n"
              "{'response_code': 500, 'response_code_detail':\t'direct_response'}\n")


# traefik/traefik#8974 (log) and AndriyKalashnykov/kind-cluster#122 (quoted in prose): no
# entryPoint on the listener's port (Traefik pkg/provider/kubernetes/gateway/kubernetes.go).
TRAEFIK_LOG = ('time="2022-04-28T05:41:13Z" level=error msg="an error occurred while creating '
               'gateway status: 1 error occurred:\\n\\t* Cannot find entryPoint for Gateway: no '
               'matching entryPoint for port 1000 and protocol \\"TCP\\"\\n\\n" '
               'providerName=kubernetesgateway\n')
TRAEFIK_PROSE = ("the failing spike used `port: 443`, but Traefik's `kubernetesGateway` provider "
                 "matches a listener to an entrypoint by the entrypoint's container port. "
                 "`no matching entryPoint for port 443` meant there is no entrypoint on 443.\n")


# envoyproxy/gateway#3242 (docs fixed: the request needs the route's hostname as Host)
CURL_BY_IP = """$ curl -v "http://${GATEWAY_HOST}/"
> GET / HTTP/1.1
> Host: 20.115.176.94
> User-Agent: curl/8.1.2-DEV
< HTTP/1.1 404 Not Found
< content-length: 0
"""
# Envoy's access log for it (response code details route_not_found, flag NR)
ROUTE_NOT_FOUND = ('{":authority":"example.com","response_code":404,"response_code_details":'
                   '"route_not_found","response_flags":"NR","route_name":null}\n')


@pytest.mark.parametrize("text,cause", [
    (CURL_BY_IP, "request_not_routed"),
    (ROUTE_NOT_FOUND, "request_not_routed"),
    (TRAEFIK_LOG, "listener_invalid"),
    (TRAEFIK_PROSE, "listener_invalid"),
    (K3D, "gateway_no_address"),
    (KEYCLOAK, "port_mismatch"),
    (OPEN_WEBUI, "port_mismatch"),
    (ALLOWED_ROUTES, "not_allowed_by_listener"),
    (ISTIO_ALPHA, "inference_pool_unsupported"),
    (DIRECT_500, "backend_not_found"),
], ids=["curl-by-ip-404", "envoy-route-not-found", "traefik-log", "traefik-quoted", "quoted-status-message", "ports-across-paragraphs", "ports-in-one-sentence",
        "allowedroutes-default-same", "reason-and-wording-line", "direct-500-service-absent"])
def test_prose_reports_name_the_cause(gw_run, tmp_path, text, cause):
    assert _causes(gw_run, tmp_path, text)[0] == cause


def test_prose_findings_are_inferred_and_name_a_confirm_command(gw_run, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text(OPEN_WEBUI)
    first = gw_run("check_routes", "-f", str(path), "--json").doc["findings"][0]
    assert first["basis"] == "inferred" and first["confirm"].startswith("kubectl get service")


def test_a_sentence_stating_the_fix_is_not_the_broken_port(gw_run, tmp_path):
    # only the fix sentence names a route port: nothing to compare
    text = "The `web` Service exposes port 8080.\nI changed the route's backend port to 8080.\n"
    assert "port_mismatch" not in _causes_or_refused(gw_run, tmp_path, text)


def test_a_short_quoted_word_or_an_unquoted_phrase_is_no_status(gw_proc, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text('I want a "TLS secret" here and there is no address on my laptop\n')
    result = gw_proc("check_routes", "-f", str(path))
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1


def _causes_or_refused(gw_run, tmp_path, text: str) -> list[str]:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    return [] if result.code == 2 else [f["cause"] for f in result.doc["findings"]]


# --- `no healthy upstream`: which backend problem -------------------------------------------
# artifact-keeper/artifact-keeper-iac#125 (GKE: the default BackendService health check GET /
# answers 404, NEG endpoints UNHEALTHY; fix HealthCheckPolicy) and grafana/helm-charts#3581
# (Application Gateway for Containers, Grafana answers 302 on /; fix HealthCheckPolicy).
GKE_HEALTH = """- `curl https://ak.example.com/api/v1/repositories` → `503 no healthy upstream`
- `kubectl describe httproute …` looks fine; `kubectl get pods` all show `Ready 1/1`
- The only signal is the gateway's BackendService → NEG `healths` list (empty / `UNHEALTHY`, \
reason `FAILED_HTTP_STATUS_CODE`).
"""
AGC_HEALTH = ("But when routing to the url, I encounter an \"no healthy upstream\" error.\n"
              "when spinning up a debugging container in my alb-controller and trying to connect "
              "to grafana and do a health check, everything seems fine.\n")


# FairwindsOps/goldilocks#825 (GKE: the dashboard answers 301 on /, the default health check
# path; gcloud shows every endpoint UNHEALTHY).
GOLDILOCKS = """the GKE load balancer marks the backend as unhealthy and returns 503 Service Unavailable.
  1. GKE Gateway controller creates a health check on the backend service with default requestPath: /
  4. All traffic gets 503 - no healthy upstream
  # Backend health — all pods UNHEALTHY
  $ gcloud compute backend-services get-health <backend-service-name> --region=europe-west3
  healthState: UNHEALTHY
"""


@pytest.mark.parametrize("text,cause", [
    (GKE_HEALTH, "backend_health_check_failing"),
    (AGC_HEALTH, "backend_health_check_failing"),
    (GOLDILOCKS, "backend_health_check_failing"),
    # Envoy's UH (no healthy upstream hosts): for a plain Service, no ready endpoint
    ("curl http://app.example.com/\nno healthy upstream\n", "backend_no_endpoints"),
    # with an InferencePool, the GAIE troubleshooting guide's reading: no Ready model server
    ("curl http://gw/v1/completions -d '{\"model\": \"m\"}'\nno healthy upstream\n",
     "pool_pods_not_ready"),
], ids=["gke-neg-unhealthy", "agc-pods-fine", "gke-lb-unhealthy", "plain-service",
        "inference-pool"])
def test_no_healthy_upstream_is_read_in_its_context(gw_run, tmp_path, text, cause):
    assert _causes(gw_run, tmp_path, text)[0] == cause


# --- a stale AddressNotAssigned -------------------------------------------------------------
# envoyproxy/gateway#8953 (fixed by #8962): the Services have their IPs, Envoy Gateway keeps
# Programmed=False AddressNotAssigned. The same class: #5715 (table with an ADDRESS), #9567.
STALE_JSONPATH = """### Programmed=False condition

```json
{
  "message": "No addresses have been assigned to the Gateway",
  "reason": "AddressNotAssigned",
  "status": "False",
  "type": "Programmed"
}
```

```bash
kubectl get svc envoy-gw-a-5c9 -n my-ns-1 -o jsonpath='{.status.loadBalancer}'
# {"ingress":[{"ip":"10.0.0.3","ipMode":"VIP"}]}
```
"""
STALE_TABLE = """The Message from Gateway is when it set to False is this..

"No addresses have been assigned to the Gateway"

$ k get gateway -n gw
NAME                  CLASS         ADDRESS          PROGRAMMED   AGE
gw-public         eg-public     35.XX.XXX.XX  False         8d
"""
STALE_PROSE = ("the affected Gateways go `Programmed=False` / `AddressNotAssigned` and stay stuck "
               "even though the backing Services regain valid IPs and the data plane keeps "
               "routing.\n")


@pytest.mark.parametrize("text", [STALE_JSONPATH, STALE_TABLE, STALE_PROSE],
                         ids=["service-jsonpath", "gateway-lists-address", "user-says-so"])
def test_address_not_assigned_beside_a_shown_address_is_stale(gw_run, tmp_path, text):
    causes = _causes(gw_run, tmp_path, text)
    assert causes[0] == "stale_status" and "gateway_no_address" not in causes


@pytest.mark.parametrize("text", [
    "the Gateway says `Programmed=False` / `AddressNotAssigned` and the Service has no IP yet\n",
    "`Programmed=False` / `AddressNotAssigned`: the LoadBalancer Service is still pending\n",
    "`Programmed=False` / `AddressNotAssigned`, the envoy Service has cluster IP 10.96.4.2\n",
], ids=["service-has-no-ip", "service-pending", "only-a-cluster-ip"])
def test_address_not_assigned_without_an_address_anywhere_stays_no_address(gw_run, tmp_path,
                                                                          text):
    assert _causes(gw_run, tmp_path, text)[0] == "gateway_no_address"


# --- kubectl get gateway tables and a describe cut short ------------------------------------
# nginx/nginx-gateway-fabric#1511: NGF v1.x serves one Gateway per class; the other gets
# Accepted/Programmed False GatewayConflict "The resource is ignored due to a conflicting
# Gateway resource" (internal/mode/static/state/conditions/conditions.go v1.1.0). The paste is
# cut after the Message.
NGF_CONFLICT = """kubectl get gateway -A
NAMESPACE     NAME                CLASS              ADDRESS   PROGRAMMED   AGE
default       different-gateway   production-nginx             False        37s
dev-gateway   dev-gateway         production-nginx             True         88s

kubectl describe gateway/different-gateway
Name:         different-gateway
Namespace:    default
API Version:  gateway.networking.k8s.io/v1
Kind:         Gateway
Spec:
  Gateway Class Name:  production-nginx
Status:
  Conditions:
    Last Transition Time:  2024-01-27T17:26:13Z
    Message:               The resource is ignored due to a conflicting Gateway resource
    Observed Generation:   1
    Reason:                Gate
"""


def test_the_controllers_reason_beats_the_empty_address_cell(gw_run, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text(NGF_CONFLICT)
    findings = gw_run("check_routes", "-f", str(path), "--json").doc["findings"]
    first = findings[0]
    assert (first["cause"], first["object"]["name"]) == ("gateway_not_ready", "different-gateway")
    # the programmed Gateway without an address is a warning, not an error
    dev = [f for f in findings if f["object"]["name"] == "dev-gateway"]
    assert [f["severity"] for f in dev] == ["warning"]


def test_a_404_for_a_named_host_is_not_called_an_ip_host_problem(gw_run, tmp_path):
    text = CURL_BY_IP.replace("> Host: 20.115.176.94", "> Host: www.example.com")
    assert "request_not_routed" not in _causes_or_refused(gw_run, tmp_path, text)


# Istio 1.27+ pilot/pkg/config/kube/gateway/conversion.go (ResolvedRefs InvalidKind), as a
# terminal or an issue editor hard-wraps it: the paragraph is read whole.
WRAPPED_ISTIO = ("the route stays unresolved, status message: InferencePool is not enabled. To\n"
                 "enable, set ENABLE_GATEWAY_API_INFERENCE_EXTENSION to true in\n"
                 "istiod\n")


def test_a_hard_wrapped_wording_is_read_as_one_paragraph(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, WRAPPED_ISTIO)[:1] == ["inference_pool_unsupported"]


def test_blank_lines_keep_paragraphs_apart(gw_run, tmp_path):
    import check_routes  # the scripts directory is on sys.path (conftest gw_run)
    joined = check_routes.with_paragraphs(["a", "b", "", "c"])
    assert joined == ["a", "b", "", "c", "a b"]


# cert-manager/website#2193, as a user pastes a whole report inside one code fence (its
# sentences are prose still; a YAML line inside the fence stays output).
FENCED_REPORT = """```
The Gateway HTTP listener in the ListenerSet example was missing allowedRoutes, which defaults to Same namespace. Without it, cert-manager's HTTP-01 challenge HTTPRoute (created in the application namespace) won't attach to the listener and the challenge will fail.
```
"""


def test_a_report_pasted_inside_one_fence_is_still_read_as_prose(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, FENCED_REPORT)[0] == "not_allowed_by_listener"


def test_output_lines_inside_a_fence_are_not_sentences(gw_run, tmp_path):
    # the same words as a YAML value inside a fence: an output line, not the user's sentence
    text = ("The route does not work.\n```yaml\nnotes: the listener allowedRoutes defaults to "
            "Same namespace and the route won't attach to the listener at all\n```\n")
    assert "not_allowed_by_listener" not in _causes_or_refused(gw_run, tmp_path, text)


# envoyproxy/gateway#3242's curl -v exchange (Host header is the Gateway's IP, answer 404),
# quoted in a reply: GitHub puts `> ` before each line, so a request line reads `> > Host:`.
CURL_404 = """> GET / HTTP/1.1
> Host: 20.115.176.94
> User-Agent: curl/8.1.2-DEV
< HTTP/1.1 404 Not Found
< content-length: 0
"""


def test_a_quoted_curl_exchange_is_read_like_the_original(gw_run, tmp_path):
    quoted = "".join(f"> {line}\n" for line in CURL_404.splitlines())
    assert _causes_or_refused(gw_run, tmp_path, CURL_404)[:1] == ["request_not_routed"]
    assert _causes_or_refused(gw_run, tmp_path, quoted)[:1] == ["request_not_routed"]


# States said plainly, each read as the condition its controller writes for it (gateway-api
# v1.4 apis/v1/shared_types.go and gateway_types.go: a parentRef to no Gateway gets no
# attachment; NoMatchingListenerHostname; RefNotPermitted without a ReferenceGrant;
# HostnameConflict / ProtocolConflict; an InferencePool selecting no pod; an endpoint picker
# that does not run).
@pytest.mark.parametrize("text,cause", [
    ("The HTTPRoute is not accepted because its parentRef points to a Gateway that does not "
     "exist.", "parent_not_found"),
    ("The HTTPRoute's hostname doesn't match the listener hostname, so the route is not "
     "attached.", "hostname_mismatch"),
    ("The HTTPRoute's backend Service has no endpoints because the pod selector doesn't match "
     "any pod, so Envoy returns 503.", "backend_no_endpoints"),
    ("The route references a Service in another namespace but there is no ReferenceGrant "
     "allowing it.", "ref_not_permitted"),
    ("Two listeners on the Gateway use the same port and hostname, so they conflict.",
     "listener_conflict"),
    ("The InferencePool selector does not match any model server pods, so requests fail with "
     "503.", "pool_selects_no_pods"),
    ("The endpoint picker (EPP) deployment is not running, so the InferencePool can't route "
     "requests.", "endpoint_picker_missing"),
])
def test_a_state_said_plainly(gw_run, tmp_path, text, cause):
    assert _causes(gw_run, tmp_path, text + "\n")[:1] == [cause]


@pytest.mark.parametrize("text", [
    "We created a ReferenceGrant in the backend namespace and the HTTPRoute now works.",
    "The HTTPRoute's hostname matches the listener hostname and the Gateway is Programmed.",
])
def test_a_state_not_said(gw_run, tmp_path, text):
    causes = _causes(gw_run, tmp_path, text + "\n")
    assert not {"ref_not_permitted", "hostname_mismatch"} & set(causes), causes


# `kubectl get httproute` / `kubectl get gateway` print only the CRDs' printer columns
# (gateway-api v1.4 config/crd: HOSTNAMES, AGE; CLASS, ADDRESS, PROGRAMMED, AGE): a paste of
# rows alone gives nothing to check, so it cannot "look right".
ROWS_ONLY = """$ kubectl get httproute -A
NAMESPACE   NAME       HOSTNAMES             AGE
default     llm-route  ["llm.example.com"]   5m
$ kubectl get gateway -A
NAMESPACE   NAME           CLASS   ADDRESS        PROGRAMMED   AGE
default     inference-gw   istio   10.96.12.34    True         5m
"""


def test_rows_only_are_not_evaluated_not_fine(gw_run, tmp_path):
    path = tmp_path / "paste.txt"
    path.write_text(ROWS_ONLY)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code == 0, result.err
    assert [(f["severity"], f["cause"]) for f in result.doc["findings"]] == \
        [("info", "not_evaluated")]


def test_an_endpoint_picker_without_endpoints_is_the_picker_not_the_pool(gw_run, tmp_path):
    # the words of agentgateway/agentgateway#3473: the EPP scaled to zero, the model
    # servers Ready; "no available endpoints" is the picker's Service, not the pool's pods
    text = ("When the EPP is unavailable but the model server remains healthy, requests "
            "return HTTP 500.\n\n4. Confirm that the EPP Service has no available endpoints "
            "while the model server remains Ready.\n")
    causes = _causes(gw_run, tmp_path, text)
    assert "pool_selects_no_pods" not in causes and causes[0] == "endpoint_picker_missing", causes
