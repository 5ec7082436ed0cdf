"""Evidence order in check_routes.py: the controller's words first, inference never against them.

Status texts are the implementations' own (sources in references/messages.md); the objects
are the smallest that carry them.
"""
from __future__ import annotations

import yaml

GKE_EPP = ('error cause: reference-not-found: Error GWCER104: HTTPRoute "llm/chat" is '
           "misconfigured, err: failed to validate inference pool extension ref: InferencePool "
           "extension service non-existent-epp-svc not found.")


def route(backend: dict, conditions: list[dict], name="chat", ns="llm", **meta) -> dict:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": name, "namespace": ns, "generation": 1, **meta},
            "spec": {"parentRefs": [{"name": "gw"}],
                     "rules": [{"backendRefs": [backend], "timeouts": {"request": "300s"}}]},
            "status": {"parents": [{"parentRef": {"name": "gw"}, "conditions": conditions,
                                    "controllerName": "example.com/controller"}]}}


def pool(group="inference.networking.k8s.io", name="llama", ns="llm", **meta) -> dict:
    spec = ({"selector": {"matchLabels": {"app": "llama"}}, "targetPorts": [{"number": 8000}],
             "endpointPickerRef": {"name": "llama-epp", "port": {"number": 9002}}}
            if group == "inference.networking.k8s.io" else
            {"selector": {"app": "llama"}, "targetPortNumber": 8000,
             "extensionRef": {"name": "llama-epp"}})
    version = "v1" if group == "inference.networking.k8s.io" else "v1alpha2"
    return {"apiVersion": f"{group}/{version}", "kind": "InferencePool",
            "metadata": {"name": name, "namespace": ns, **meta}, "spec": spec}


def pool_ref(group="inference.networking.k8s.io", name="llama") -> dict:
    return {"group": group, "kind": "InferencePool", "name": name}


def resolved(reason, message, status="False", when="2025-07-09T18:01:13Z") -> list[dict]:
    return [{"type": "Accepted", "status": "True", "reason": "Accepted", "observedGeneration": 1},
            {"type": "ResolvedRefs", "status": status, "reason": reason, "message": message,
             "observedGeneration": 1, "lastTransitionTime": when}]


def run(gw_run, tmp_path, objects, listed=True) -> list[dict]:
    path = tmp_path / "dump.yaml"
    if listed:
        path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objects}))
    else:
        path.write_text(yaml.safe_dump_all(objects))
    res = gw_run("check_routes", "-f", str(path), "--json")
    return [f for f in res.doc["findings"] if f["severity"] != "info"]


def test_issue_12_example_gke_epp_service_missing_with_alpha_pool(gw_run, tmp_path):
    """The example issue 12 quotes: the answer is the missing EPP Service, not the group."""
    objs = [route(pool_ref("inference.networking.x-k8s.io"), resolved("BackendNotFound", GKE_EPP)),
            pool("inference.networking.x-k8s.io")]
    found = run(gw_run, tmp_path, objs, listed=False)
    assert found[0]["cause"] == "endpoint_picker_missing"
    assert found[0]["basis"] == "reported" and "non-existent-epp-svc" in found[0]["fix"]
    assert "outdated_inference_api" not in {f["cause"] for f in found}


def test_pool_of_the_other_api_group_explains_not_found(gw_run, tmp_path):
    objs = [route(pool_ref("inference.networking.x-k8s.io"),
                  resolved("BackendNotFound", 'InferencePool "llama" not found')), pool()]
    assert run(gw_run, tmp_path, objs)[0]["cause"] == "inference_api_version_mismatch"


def test_pool_in_the_same_group_that_the_controller_cannot_see(gw_run, tmp_path):
    objs = [route(pool_ref(), resolved("BackendNotFound", 'InferencePool "llama" not found')),
            pool()]
    assert run(gw_run, tmp_path, objs)[0]["cause"] == "inference_pool_unsupported"


def test_pool_created_after_the_condition_is_a_stale_status(gw_run, tmp_path):
    objs = [route(pool_ref(), resolved("BackendNotFound", 'InferencePool "llama" not found',
                                       when="2025-07-25T13:31:29Z")),
            pool(creationTimestamp="2025-07-25T13:31:41Z")]
    assert run(gw_run, tmp_path, objs)[0]["cause"] == "stale_status"


def test_pool_absent_from_the_dump_keeps_the_controllers_verdict(gw_run, tmp_path):
    objs = [route(pool_ref(), resolved("BackendNotFound", 'InferencePool "llama" not found'))]
    found = run(gw_run, tmp_path, objs, listed=False)
    assert [f["cause"] for f in found] == ["backend_not_found"]


def test_service_with_other_ports_explains_not_found(gw_run, tmp_path):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "foo", "namespace": "llm"},
           "spec": {"ports": [{"port": 8080}]}}
    objs = [route({"name": "foo", "port": 800}, resolved("BackendNotFound",
                                                        'Service "foo" not found')), svc]
    assert run(gw_run, tmp_path, objs)[0]["cause"] == "port_mismatch"


def test_resolved_refs_true_silences_backend_inference(gw_run, tmp_path):
    """The controller resolved every ref: an inferred 'Service absent' would contradict it."""
    objs = [route({"name": "elsewhere", "port": 80}, resolved("ResolvedRefs", "", status="True"))]
    causes = {f["cause"] for f in run(gw_run, tmp_path, objs)}
    assert "backend_not_found" not in causes


def test_reported_findings_rank_before_inferred_ones(gw_run, tmp_path):
    gw = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
          "metadata": {"name": "gw", "namespace": "llm"},
          "spec": {"gatewayClassName": "nope", "listeners": [
              {"name": "http", "port": 80, "protocol": "HTTP"}]}}
    cls = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
           "metadata": {"name": "eg"}, "spec": {"controllerName": "x/y"}}
    objs = [gw, cls, route({"name": "svc", "port": 80},
                           resolved("RefNotPermitted", "Backend ref to Service a/svc not "
                                    "permitted by any ReferenceGrant."))]
    found = run(gw_run, tmp_path, objs)
    assert [(f["cause"], f["basis"]) for f in found[:2]] == [
        ("ref_not_permitted", "reported"), ("gateway_class_not_found", "inferred")]
    assert found[1]["confirm"].startswith("kubectl get gatewayclasses")


def test_stale_condition_is_not_evidence(gw_run, tmp_path):
    conds = [{"type": "Accepted", "status": "False", "reason": "NotAllowedByListeners",
              "observedGeneration": 1}]
    objs = [route({"name": "svc", "port": 80}, conds, generation=2)]
    assert "not_allowed_by_listener" not in {f["cause"] for f in run(gw_run, tmp_path, objs,
                                                                      listed=False)}


def test_listener_condition_names_the_cause_over_the_gateway_summary(gw_run, tmp_path):
    gw = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
          "metadata": {"name": "eg", "namespace": "default"},
          "spec": {"gatewayClassName": "eg", "listeners": [{"name": "https", "port": 443,
                                                             "protocol": "HTTPS"}]},
          "status": {"conditions": [{"type": "Programmed", "status": "False",
                                     "reason": "Invalid", "message": "Listeners not valid"}],
                     "listeners": [{"name": "https", "conditions": [
                         {"type": "ResolvedRefs", "status": "False",
                          "reason": "InvalidCertificateRef",
                          "message": "Secret default/eg-https does not exist."},
                         {"type": "Programmed", "status": "False", "reason": "Invalid",
                          "message": "Listener is invalid, see other Conditions for details."}]}]}}
    found = run(gw_run, tmp_path, [gw], listed=False)
    assert [f["cause"] for f in found] == ["listener_certificate_invalid"]


def _pool_status(*parents):
    obj = pool("inference.networking.x-k8s.io")
    obj["status"] = {"parent": list(parents)}
    return obj


WAITING = {"parentRef": {}, "conditions": [{
    "lastTransitionTime": "1970-01-01T00:00:00Z", "message": "Waiting for controller",
    "reason": "Pending", "status": "Unknown", "type": "Accepted"}]}


def test_default_pool_status_alone_means_no_controller(gw_run, tmp_path):
    # GAIE v1alpha2 default status, as gateway-api-inference-extension#830 prints it
    found = run(gw_run, tmp_path, [_pool_status(WAITING)], listed=False)
    assert [f["cause"] for f in found if f["basis"] == "reported"] == ["no_controller"]


def test_default_pool_status_next_to_a_real_parent_is_ignored(gw_run, tmp_path):
    accepted = {"parentRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                              "name": "inference-gateway"},
                "conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted",
                                "message": "InferencePool references have been accepted by "
                                           "controller kgateway.dev/kgateway"}]}
    found = run(gw_run, tmp_path, [_pool_status(WAITING, accepted)], listed=False)
    assert "no_controller" not in {f["cause"] for f in found}


def _bare_route(**meta):
    obj = route({"name": "svc", "port": 80}, [], **meta)
    obj["status"] = {}
    return obj


def test_route_read_from_the_cluster_without_status_is_unreconciled(gw_run, tmp_path):
    found = run(gw_run, tmp_path, [_bare_route(uid="6b2bade6", resourceVersion="60397")],
                listed=False)
    [hit] = [f for f in found if f["cause"] == "no_controller"]
    assert hit["basis"] == "inferred" and "gateways.gateway.networking.k8s.io gw" in hit["confirm"]


def test_route_manifest_without_status_is_not_judged_unreconciled(gw_run, tmp_path):
    found = run(gw_run, tmp_path, [_bare_route()], listed=False)
    assert "no_controller" not in {f["cause"] for f in found}


def test_missing_gateway_explains_an_empty_status(gw_run, tmp_path):
    # istio/istio#54946: a parentRef to a Gateway that does not exist leaves status empty
    other = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
             "metadata": {"name": "example", "namespace": "llm"},
             "spec": {"gatewayClassName": "istio", "listeners": [
                 {"name": "http", "port": 80, "protocol": "HTTP"}]}}
    found = run(gw_run, tmp_path, [other, _bare_route(uid="1")])
    assert [f["cause"] for f in found][:1] == ["parent_not_found"]
    assert "no_controller" not in {f["cause"] for f in found}


def _pod(name, labels, ready, waiting=None, port=8000):
    status = {"phase": "Running" if ready else "Pending",
              "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
    if waiting:
        status["containerStatuses"] = [{"name": "main", "state": {"waiting": {"reason": waiting}}}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "llm",
                                                            "labels": labels},
            "spec": {"containers": [{"name": "main", "ports": [{"containerPort": port}]}]},
            "status": status}


def test_pool_whose_pods_are_all_unready(gw_run, tmp_path):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "llama-epp",
                                                               "namespace": "llm"},
           "spec": {"selector": {"app": "epp"}, "ports": [{"port": 9002}]}}
    objs = [pool(), svc, _pod("epp-0", {"app": "epp"}, True, port=9002),
            _pod("llama-0", {"app": "llama"}, False, "CrashLoopBackOff")]
    found = run(gw_run, tmp_path, objs)
    assert found[0]["cause"] == "pool_pods_not_ready" and "CrashLoopBackOff" in \
        found[0]["evidence"][0]


def test_endpoint_picker_pod_not_ready(gw_run, tmp_path):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "llama-epp",
                                                               "namespace": "llm"},
           "spec": {"selector": {"app": "epp"}, "ports": [{"port": 9002}]}}
    objs = [pool(), svc, _pod("epp-0", {"app": "epp"}, False, "ImagePullBackOff", port=9002),
            _pod("llama-0", {"app": "llama"}, True)]
    found = run(gw_run, tmp_path, objs)
    assert found[0]["cause"] == "endpoint_picker_missing"
    assert "ImagePullBackOff" in found[0]["evidence"][0]


def test_envoy_gateway_group_invalid_on_a_pool_backend(gw_run, tmp_path):
    # Envoy Gateway internal/gatewayapi/validate.go validateBackendRefGroup (reason InvalidKind)
    msg = ("Failed to process route rule 0 backendRef 0: Group is invalid, only the core API "
           "group (specified by omitting the group field or setting it to an empty string), "
           "multicluster.x-k8s.io and gateway.envoyproxy.io are supported")
    objs = [route(pool_ref(), resolved("InvalidKind", msg)), pool()]
    assert run(gw_run, tmp_path, objs)[0]["cause"] == "inference_pool_unsupported"


def test_envoy_gateway_external_name_service(gw_run, tmp_path):
    msg = ("Failed to process route rule 0 backendRef 0: Service llm/ext is of type "
           "ExternalName, which is not supported as a backend; use an Envoy Gateway Backend "
           "resource with an FQDN endpoint instead")
    objs = [route({"name": "ext", "port": 80}, resolved("UnsupportedValue", msg))]
    assert run(gw_run, tmp_path, objs, listed=False)[0]["cause"] == "unsupported_backend_kind"


def test_route_no_ready_listeners_yields_to_the_listener_status(gw_run, tmp_path):
    gw = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
          "metadata": {"name": "gw", "namespace": "llm"},
          "spec": {"gatewayClassName": "eg", "listeners": [{"name": "https", "port": 443,
                                                             "protocol": "HTTPS"}]},
          "status": {"listeners": [{"name": "https", "conditions": [
              {"type": "ResolvedRefs", "status": "False", "reason": "InvalidCertificateRef",
               "message": "Secret llm/gw-cert does not exist."}]}]}}
    conds = [{"type": "Accepted", "status": "False", "reason": "NoReadyListeners",
              "message": "There are no ready listeners for this parent ref"}]
    found = run(gw_run, tmp_path, [gw, route({"name": "svc", "port": 80}, conds)],
                listed=False)
    assert [f["cause"] for f in found if f["basis"] == "reported"] == [
        "listener_certificate_invalid"]


def _pending_gateway(cls_name):
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "gw", "namespace": "llm"},
            "spec": {"gatewayClassName": cls_name, "listeners": [
                {"name": "http", "port": 80, "protocol": "HTTP"}]},
            # the CRD's default status (gateway-api apis/v1 gateway_types.go)
            "status": {"conditions": [{"type": "Accepted", "status": "Unknown",
                                       "reason": "Pending", "message": "Waiting for controller",
                                       "lastTransitionTime": "1970-01-01T00:00:00Z"}]}}


def test_waiting_gateway_with_a_class_that_does_not_exist(gw_run, tmp_path):
    cls = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
           "metadata": {"name": "eg"}, "spec": {"controllerName": "x/y"}}
    found = run(gw_run, tmp_path, [cls, _pending_gateway("eg-typo")])
    assert (found[0]["cause"], found[0]["basis"]) == ("gateway_class_not_found", "reported")


def test_waiting_gateway_without_the_classes_in_the_paste(gw_run, tmp_path):
    found = run(gw_run, tmp_path, [_pending_gateway("eg-typo")], listed=False)
    assert found[0]["cause"] == "no_controller"


def test_one_fault_reported_by_two_conditions_is_one_finding(gw_run, tmp_path):
    gw = _pending_gateway("eg")
    # the CRD default status carries Accepted and Programmed, both 'Waiting for controller'
    gw["status"]["conditions"].append({"type": "Programmed", "status": "Unknown",
                                       "reason": "Pending", "message": "Waiting for controller",
                                       "lastTransitionTime": "1970-01-01T00:00:00Z"})
    found = run(gw_run, tmp_path, [gw], listed=False)
    same = [f for f in found if f["cause"] == found[0]["cause"]
            and f["object"]["name"] == "gw"]
    assert len(same) == 1
    assert any("Programmed" in line for line in same[0]["evidence"])


def test_envoy_gateway_no_ready_endpoints_counts_the_selected_pods(gw_run, tmp_path):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "llama-svc",
                                                               "namespace": "llm"},
           "spec": {"selector": {"app": "llama-v2"}, "ports": [{"port": 8000}]}}
    conds = [{"type": "Accepted", "status": "True", "reason": "Accepted"},
             {"type": "BackendsAvailable", "status": "False", "reason": "EndpointsNotFound",
              "message": "Failed to find endpoints: no ready endpoints for the related Service "
                         "llm/llama-svc."},
             {"type": "ResolvedRefs", "status": "True", "reason": "ResolvedRefs"}]
    r = route({"name": "llama-svc", "port": 8000}, conds)
    pods = [_pod("llama-0", {"app": "llama"}, True)]  # labelled app=llama, not app=llama-v2
    found = run(gw_run, tmp_path, [r, svc] + pods)
    assert (found[0]["cause"], found[0]["basis"]) == ("backend_no_endpoints", "reported")
    assert "Service llm/llama-svc selects app=llama-v2: 0 pod(s) match, 0 Ready" in \
        found[0]["evidence"]
    assert "Service llm/llama-svc has no ready endpoint" in found[0]["fix"]
