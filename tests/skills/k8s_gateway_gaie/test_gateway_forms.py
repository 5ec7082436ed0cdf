"""check_routes.py reads every form users paste (the kit's loaders), and names the cause.

Status and event texts are the implementations' own (sources in references/messages.md);
describe layouts are what kubectl's generic describer prints for CRDs.
"""
from __future__ import annotations

import json

import pytest

DESCRIBE_ROUTE = """$ kubectl describe httproute my-route
Name:         my-route
Namespace:    default
Labels:       <none>
Annotations:  <none>
API Version:  gateway.networking.k8s.io/v1
Kind:         HTTPRoute
Spec:
  Parent Refs:
    Group:  gateway.networking.k8s.io
    Kind:   Gateway
    Name:   same-namespace
  Rules:
    Backend Refs:
      Group:
      Kind:    Service
      Name:    backend
      Port:    8080
      Weight:  1
Status:
  Parents:
    Conditions:
      Last Transition Time:  2023-06-06T13:55:10Z
      Message:               Service "backend" not found
      Observed Generation:   1
      Reason:                BackendNotFound
      Status:                False
      Type:                  ResolvedRefs
      Last Transition Time:  2023-06-06T13:55:10Z
      Message:               Accepted HTTPRoute
      Observed Generation:   1
      Reason:                Accepted
      Status:                True
      Type:                  Accepted
    Controller Name:         io.cilium/gateway-controller
    Parent Ref:
      Group:  gateway.networking.k8s.io
      Kind:   Gateway
      Name:   same-namespace
Events:  <none>
"""

DESCRIBE_GATEWAY = """Name:         eg
Namespace:    default
API Version:  gateway.networking.k8s.io/v1
Kind:         Gateway
Status:
  Listeners:
    Attached Routes:  0
    Conditions:
      Message:               Secret default/eg-https does not exist.
      Reason:                InvalidCertificateRef
      Status:                False
      Type:                  ResolvedRefs
      Message:               Listener is invalid, see other Conditions for details.
      Reason:                Invalid
      Status:                False
      Type:                  Programmed
    Name:                    https
Events:
  Type     Reason     Age    From                       Message
  ----     ------     ----   ----                       -------
  Warning  BadConfig  42m    cert-manager-gateway-shim  Skipped a listener block: spec.listeners[1].hostname: Required value: the hostname cannot be empty
"""

DESCRIBE_POOL = """Name:         vllm-llama3-8b-instruct
Namespace:    default
API Version:  inference.networking.k8s.io/v1
Kind:         InferencePool
Spec:
  Endpoint Picker Ref:
    Failure Mode:  FailClose
    Kind:          Service
    Name:          vllm-llama3-8b-instruct-epp
    Port:
      Number:  9002
  Selector:
    Match Labels:
      App:  vllm-llama3-8b-instruct
  Target Ports:
    Number:  8000
Status:
  Parents:
    Conditions:
      Last Transition Time:  2025-10-01T10:00:00Z
      Message:
      Observed Generation:   1
      Reason:                NotSupportedByParent
      Status:                False
      Type:                  Accepted
    Parent Ref:
      Group:  gateway.networking.k8s.io
      Kind:   Gateway
      Name:   inference-gateway
Events:  <none>
"""

EVENTS_TABLE = """$ kubectl get events -n llm
LAST SEEN   TYPE      REASON   OBJECT            MESSAGE
2m          Warning   SYNC     httproute/chat    Error GWCER104: HTTPRoute "llm/chat" is misconfigured, err: failed to validate inference pool extension ref: InferencePool extension service llama-epp not found.
"""

ROUTE = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
         "metadata": {"name": "podinfo", "namespace": "podinfo"},
         "spec": {"parentRefs": [{"name": "gateway", "namespace": "gateway"}],
                  "rules": [{"backendRefs": [{"name": "podinfo", "port": 9898}]}]},
         "status": {"parents": [{"parentRef": {"name": "gateway", "namespace": "gateway"},
                                 "controllerName": "io.cilium/gateway-controller",
                                 "conditions": [{
                                     "type": "Accepted", "status": "False",
                                     "reason": "NotAllowedByListeners",
                                     "message": "HTTPRoute is not allowed to attach to this "
                                                "Gateway due to namespace restrictions"}]}]}}

FORMS = {
    "describe-httproute": (DESCRIBE_ROUTE, "backend_not_found"),
    "describe-gateway-with-events": (DESCRIBE_GATEWAY, "listener_certificate_invalid"),
    "describe-inferencepool": (DESCRIBE_POOL, "inference_pool_unsupported"),
    "events-table": (EVENTS_TABLE, "endpoint_picker_missing"),
    "json-list": (json.dumps({"apiVersion": "v1", "kind": "List", "items": [ROUTE]}),
                  "not_allowed_by_listener"),
    "json-single": (json.dumps(ROUTE), "not_allowed_by_listener"),
    "mixed-prose-and-describe": ("My route gets 404s, here is what kubectl says:\n\n```\n"
                                 + DESCRIBE_ROUTE + "```\nAny idea?\n", "backend_not_found"),
}


def check_text(gw_run, tmp_path, text):
    """check_routes --json over a paste: (its first problem finding or None, exit code, all)."""
    path = tmp_path / "paste.txt"
    path.write_text(text)
    res = gw_run("check_routes", "-f", str(path), "--json")
    problems = [f for f in res.doc["findings"] if f["severity"] != "info"]
    return (problems[0] if problems else None), res.code, res.doc["findings"]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_paste_form_names_the_cause(gw_run, tmp_path, form):
    text, cause = FORMS[form]
    first, code, findings = check_text(gw_run, tmp_path, text)
    assert first and first["cause"] == cause, findings
    assert first["basis"] == "reported" and code == 1


def test_a_paste_with_no_object_is_one_line_exit_2(gw_proc):
    res = gw_proc("check_routes", "-f", "-", stdin="hello, here is my week's shopping list\n")
    assert res.code == 2 and len(res.err.strip().splitlines()) == 1 and res.out == ""


def test_a_gateway_failure_in_words_alone_is_cause_unknown_not_refused(gw_proc):
    """Issue 12: a report that only says the gateway fails is answered (cause unknown, with
    the command that decides it), not refused as bad input."""
    res = gw_proc("check_routes", "-f", "-", "--json",
                  stdin="my gateway does not work, please help\n")
    findings = json.loads(res.out)["findings"]
    assert res.code == 0 and [f["cause"] for f in findings] == ["cause_unknown"]
    assert findings[0]["severity"] == "info" and "kubectl get" in findings[0]["confirm"]


# What the gateway answers and what the endpoint picker logs, verbatim from GAIE's EPP
# (pkg/epp at v0.5.1 / v1.0.0) and its troubleshooting guide (site-src/guides/troubleshooting.md
# at v1.3.0), which names each one's cause.
TEXT_PASTES = {
    "fault-filter-abort": ("HTTP/1.1 500 Internal Server Error\ncontent-length: 18\n\n"
                           "fault filter abort\n", "backend_not_found"),
    "no-healthy-upstream": ("HTTP/1.1 503 Service Unavailable\n\nno healthy upstream\n",
                            "pool_pods_not_ready"),
    "upstream-connect-error": ("upstream connect error or disconnect/reset before headers. "
                               "reset reason: remote connection failure, transport failure "
                               "reason: delayed connect error: Connection refused\n",
                               "pool_target_port_mismatch"),
    "epp-pool-not-initialized": ('{"level":"info","ts":"2025-06-01T10:00:00Z","logger":'
                                 '"metrics","msg":"Pool is not initialized, skipping refreshing'
                                 ' metrics"}\n', "endpoint_picker_misconfigured"),
    "epp-rbac": ('E0601 10:00:00.000000 1 reflector.go:166] "Unhandled Error" err="failed to '
                 'list *v1.InferencePool: inferencepools.inference.networking.k8s.io is '
                 'forbidden: User \\"system:serviceaccount:default:epp\\" cannot list resource '
                 '\\"inferencepools\\" in API group \\"inference.networking.k8s.io\\" in the '
                 'namespace \\"default\\""\n', "endpoint_picker_misconfigured"),
    "epp-saturated": ("HTTP/1.1 429 Too Many Requests\n\nsystem saturated, sheddable request "
                      "dropped\n", "pool_saturated"),
}


@pytest.mark.parametrize("name", sorted(TEXT_PASTES))
def test_text_pastes_from_the_gateway_and_the_endpoint_picker(gw_run, tmp_path, name):
    text, cause = TEXT_PASTES[name]
    first, code, _ = check_text(gw_run, tmp_path,
                                "$ curl -i $IP:$PORT/v1/completions -d @req.json\n" + text)
    assert (first["cause"], first["basis"], code) == (cause, "reported", 1)


# kubectl's own errors for a type the server does not serve (wordings: k8s_skillkit.crd), and
# the CRD bundle each one means (GAIE config/crd/bases per tag: InferenceModel until v0.5.1,
# the alpha InferencePool until v1.4.0, InferenceObjective v1.0.0-v1.5.0).
CRD_ERRORS = {
    "gateway-api": ('$ kubectl get httproute -A\nerror: the server doesn\'t have a resource '
                    'type "httproute"\n', "standard-install.yaml"),
    "v1-pool": ('$ kubectl apply -f pool.yaml\nerror: resource mapping not found for name: '
                '"vllm-llama3-8b-instruct" namespace: "" from "pool.yaml": no matches for kind '
                '"InferencePool" in version "inference.networking.k8s.io/v1"\nensure CRDs are '
                'installed first\n', "GAIE v1.0.0 or later"),
    "alpha-pool": ('error: unable to recognize "pool.yaml": no matches for kind "InferencePool" '
                   'in version "inference.networking.x-k8s.io/v1alpha2"\n', "GAIE v1.5.0 removed"),
    "inference-model": ('error: resource mapping not found for name: "food-review" namespace: '
                        '"" from "model.yaml": no matches for kind "InferenceModel" in version '
                        '"inference.networking.x-k8s.io/v1alpha2"\n', "InferenceObjective"),
}


@pytest.mark.parametrize("name", sorted(CRD_ERRORS))
def test_kubectl_says_the_crd_is_not_installed(gw_run, tmp_path, name):
    text, fix = CRD_ERRORS[name]
    first, code, _ = check_text(gw_run, tmp_path, text)
    assert (first["cause"], first["basis"], code) == ("crd_not_installed", "reported", 1)
    assert fix in first["fix"]


def test_a_crd_error_for_another_area_is_not_this_skills_answer(gw_proc):
    res = gw_proc("check_routes", "-f", "-",
                  stdin='error: the server doesn\'t have a resource type "clusterqueues"\n')
    assert res.code == 2


# A `status:` block pasted without its object and trimmed to the failing condition (no
# controllerName): the condition's reason tells whose status it is. BackendNotFound is a
# RouteConditionReason (gateway-api apis/v1/shared_types.go v1.6.3); InvalidExtensionRef an
# InferencePoolReason (gateway-api-inference-extension api/v1/inferencepool_types.go).
KINDLESS_STATUS = {
    "route-reason": ("status:\n  parents:\n  - conditions:\n    - lastTransitionTime: "
                     '"2025-07-01T15:29:06Z"\n      message: not found\n      '
                     "observedGeneration: 1\n      reason: BackendNotFound\n      "
                     'status: "False"\n      type: ResolvedRefs\n',
                     "HTTPRoute", "backend_not_found"),
    "pool-reason": ("status:\n  parents:\n  - conditions:\n    - lastTransitionTime: "
                    '"2025-07-01T15:29:06Z"\n      message: EPP Service epp not found\n      '
                    "observedGeneration: 1\n      reason: InvalidExtensionRef\n      "
                    'status: "False"\n      type: ResolvedRefs\n    parentRef:\n      '
                    "group: gateway.networking.k8s.io\n      kind: Gateway\n      name: gw\n",
                    "InferencePool", "endpoint_picker_missing"),
}


@pytest.mark.parametrize("name", sorted(KINDLESS_STATUS))
def test_a_kindless_status_block_is_read_as_the_kind_its_reasons_belong_to(gw_run, tmp_path,
                                                                          name):
    text, kind, cause = KINDLESS_STATUS[name]
    first, code, findings = check_text(gw_run, tmp_path, text)
    assert first and (first["cause"], first["basis"], code) == (cause, "reported", 1), findings
    assert first["object"]["kind"] == kind


def test_a_condition_summary_in_prose_is_read_not_refused(gw_run, tmp_path):
    # the paste of vdupain/gitops-k8s#53 as its author wrote it: prose, a fenced summary line
    text = ("The HTTPRoute for podinfo lives in the `podinfo` namespace while the Gateway is "
            "in `gateway`, so the route is rejected.\n\n### Symptom\n```\nHTTPRoute podinfo: "
            "Accepted: False (NotAllowedByListeners):\n  HTTPRoute is not allowed to attach to "
            "this Gateway due to namespace restrictions\n```\n")
    first, code, findings = check_text(gw_run, tmp_path, text)
    assert first and (first["cause"], first["basis"], code) == (
        "not_allowed_by_listener", "reported", 1), findings
