"""The cause ids check_routes.py reports: where each sits in the chain, and its fix.

The chain orders root causes first: GatewayClass (no controller serves it) -> Gateway (no
address, not programmed) -> listener (certificate, conflict) -> route attachment (parent,
listener, hostname) -> backend reference -> InferencePool -> hygiene (timeouts, TLS).
references/causes.md documents every id.
"""
from __future__ import annotations

CAUSES: dict[str, tuple[str, str]] = {
    # --- GatewayClass / controller -------------------------------------------------------
    "no_controller": ("class", "no controller has reconciled it: check that the GatewayClass "
                      "controllerName matches a running Gateway controller (kubectl get "
                      "gatewayclass -o wide; the controller's pods and logs); a controller "
                      "started before the Gateway API CRDs were installed may watch none of "
                      "them until restarted (rancher/rke2#8839: Cilium's operator checks them "
                      "at start only)"),
    "crd_not_installed": ("class", "install the CRDs kubectl says are missing (Gateway API "
                          "bundle, or the Inference Extension CRDs of the version your "
                          "manifests use)"),
    "gateway_class_not_found": ("class", "set spec.gatewayClassName to an installed class "
                                "(kubectl get gatewayclass)"),
    "gateway_class_not_accepted": ("class", "read the GatewayClass condition message: fix its "
                                   "parametersRef or use a class the controller supports"),
    "controller_forbidden": ("class", "the gateway controller's own ServiceAccount may not do "
                             "what the log names (verb, resource, API group): grant it in the "
                             "controller's ClusterRole, or install the chart/manifests of the "
                             "running release, whose RBAC matches its controllers"),
    "missing_permission": ("class", "a ServiceAccount's binding names a Role/ClusterRole "
                           "that does not exist (RBAC: clusterrole ... not found), so it grants "
                           "nothing: create the role with the verbs the message names, or "
                           "bind an existing one"),
    "crd_version_unsupported": ("class", "install the Gateway API CRD bundle version the "
                                "controller release supports (one bundle only: check the "
                                "gateway.networking.k8s.io/bundle-version annotation on every "
                                "gateway CRD)"),
    "manifest_api_mismatch": ("class", "the manifest is written for another release of the "
                              "implementation's CRD than the one installed (a field renamed "
                              "or added): install the CRDs of the controller release you run "
                              "(helm upgrade does not upgrade CRDs), or use the field names "
                              "kubectl explain shows for the installed CRD"),
    "admission_webhook_denied": ("class", "an admission webhook refused the object or could "
                                 "not be called (failurePolicy Fail): the object was never "
                                 "stored; start the webhook's Deployment and Service, or delete "
                                 "a webhook configuration whose install is gone (kubectl get "
                                 "validatingwebhookconfigurations)"),
    "status_update_rejected": ("class", "the API server refuses the controller's status "
                               "write: upgrade the controller to a release that writes a "
                               "valid status, or install the Gateway API CRDs its docs name; "
                               "until then the status in the cluster is stale"),
    # --- Gateway ---------------------------------------------------------------------------
    "gateway_no_address": ("gateway", "the Gateway's Service got no address: on bare metal or "
                           "kind install a LoadBalancer provider (MetalLB, cloud-provider-kind) "
                           "or switch the Gateway's Service to NodePort/ClusterIP through the "
                           "implementation's parameters; on a cloud, read the Service events"),
    "gateway_name_too_long": ("gateway", "the controller names the Gateway's Deployment, "
                              "Service and labels after the Gateway: give it a shorter name or "
                              "namespace (63 characters is the limit of a name and label "
                              "value), or upgrade to a controller that shortens them"),
    "gateway_not_ready": ("gateway", "read the Gateway condition message: the implementation "
                          "could not program it (infrastructure, parameters, quota)"),
    # --- listeners -------------------------------------------------------------------------
    "listener_certificate_invalid": ("listener", "create the TLS Secret the listener's "
                                     "tls.certificateRefs names (type kubernetes.io/tls, in "
                                     "the Gateway namespace, or grant it with a "
                                     "ReferenceGrant), or fix the ref"),
    "listener_conflict": ("listener", "give listeners on one port distinct hostnames and "
                          "compatible protocols"),
    "listener_invalid": ("listener", "fix the listener the Gateway status names (protocol, "
                         "port, allowedRoutes.kinds, TLS); routes attach only to valid "
                         "listeners"),
    "xds_config_rejected": ("listener", "the data plane (Envoy) refused the xDS config the "
                            "controller generated (a listener, cluster, route or secret) and "
                            "keeps its previous config: the NACK's text names the setting; fix "
                            "the object that produced it (the Gateway listener, or a policy or "
                            "route attached to it) or upgrade the controller. Check the control "
                            "plane's view (egctl x status, istioctl proxy-status, the "
                            "controller's log): an Accepted/Programmed=True status of that "
                            "object is then false"),
    "listenerset_not_allowed": ("listener", "the parent Gateway must allow ListenerSets: "
                                "spec.allowedListeners.namespaces.from Same, Selector or All "
                                "(default None)"),
    "listenerset_parent_not_accepted": ("listener", "fix the parent Gateway first"),
    "listenerset_invalid": ("listener", "fix the ListenerSet listener the condition names"),
    "listenerset_not_reconciled": ("listener", "check that the implementation supports "
                                   "ListenerSet (standard since Gateway API v1.5.0)"),
    "listenerset_not_accepted": ("listener", "read the ListenerSet's Accepted condition"),
    # --- route attachment ------------------------------------------------------------------
    "parent_not_found": ("attach", "point spec.parentRefs[] at an existing Gateway and "
                         "listener (sectionName = listener name, port = listener port)"),
    "not_allowed_by_listener": ("attach", "platform team: widen the listener's allowedRoutes "
                                "(namespaces.from: Selector with a label on this namespace, "
                                "or All; kinds), or attach to a listener that admits this "
                                "namespace"),
    "controller_contradicts_spec": ("attach", "the controller's verdict is ruled out by the "
                                    "Gateway API spec for these objects: upgrade the "
                                    "controller, or report it to the implementation"),
    "hostname_mismatch": ("attach", "make spec.hostnames match a listener hostname (wildcard "
                          "*.domain covers one or more labels), or drop hostnames to inherit "
                          "the listener's"),
    "route_hostname_conflict": ("attach", "another route already claims this hostname on the "
                                "listener (the message names it): give each route its own "
                                "hostname, or merge routes of one kind into one; AWS LBC "
                                "v3.4.1+ lets an HTTPRoute and a GRPCRoute share one"),
    "request_not_routed": ("attach", "no route matched the request (the gateway answers 404): "
                           "send the Host header of one of the route's hostnames (curl -H "
                           "'Host: <hostname>' when calling the Gateway by IP) and a path, method "
                           "and headers a rule matches; and check the route is attached "
                           "(Accepted=True)"),
    "route_not_accepted": ("attach", "read the condition message: a field or filter this "
                           "implementation does not support; remove or replace it"),
    "unsupported_filter": ("attach", "the implementation does not support this filter type "
                           "or position (the message lists the ones it does): move a "
                           "backendRef-level filter to the rule's filters, remove or replace "
                           "it, or upgrade to a release that supports it; a header modifier "
                           "setting Host on an Envoy-based gateway: use URLRewrite.hostname"),
    # --- policy attachment (GEP-713: gateway-api apis/v1alpha2/policy_types.go, Accepted
    # reasons TargetNotFound / Conflicted / Invalid) -----------------------------------------
    "policy_target_not_found": ("attach", "the policy attaches to nothing: its targetRef(s) "
                                "must name an existing Gateway, listener (sectionName), route "
                                "or Service in the policy's own namespace (targetRefs have no "
                                "namespace); fix the name/kind/group or create the target, and "
                                "check it with kubectl get <kind> <name> -n <policy namespace>"),
    "policy_conflicted": ("attach", "another policy of the same kind already targets this "
                          "object (the oldest wins): merge the two, or target a narrower "
                          "object (a sectionName, a route) with one of them"),
    "policy_invalid": ("attach", "read the condition message: a field the implementation "
                       "refuses (a missing Secret, an unreachable provider, an unsupported "
                       "value); fix the policy spec"),
    # --- backends --------------------------------------------------------------------------
    "backend_not_found": ("backend", "create the backend (Service or InferencePool) or fix "
                          "backendRefs[].name/namespace"),
    "backend_no_endpoints": ("backend", "the backend Service has no ready endpoint: make its "
                             "spec.selector match the model server pods' labels and get those "
                             "pods Ready (kubectl get endpointslices -l "
                             "kubernetes.io/service-name=<svc>); the gateway answers 503 "
                             "meanwhile"),
    "backend_health_check_failing": ("backend", "the backend's pods are Ready but the load "
                                     "balancer's own health check marks them unhealthy (it "
                                     "ignores readiness probes): give it a path that answers "
                                     "2xx (GKE / Application Gateway for Containers: "
                                     "HealthCheckPolicy requestPath; AWS: "
                                     "TargetGroupConfiguration healthCheckConfig)"),
    "ref_not_permitted": ("backend", "add a ReferenceGrant in the target namespace "
                          "(make_route.py grant prints it)"),
    "port_mismatch": ("backend", "set backendRefs[].port to a port the Service exposes "
                      "(spec.ports[].port, not the targetPort); InferencePool refs take no "
                      "port"),
    "unsupported_backend_kind": ("backend", "this implementation does not support the backend "
                                 "kind/protocol: use a Service, or an implementation that "
                                 "supports it"),
    "backend_unresolved": ("backend", "fix the backendRef the condition message names"),
    "backend_target_type_mismatch": ("backend", "the load balancer registers instance (node) "
                                     "targets, which need a NodePort or LoadBalancer Service: "
                                     "use IP targets for a ClusterIP Service (AWS Load Balancer "
                                     "Controller: a TargetGroupConfiguration with "
                                     "defaultConfiguration.targetType ip for the Service, or "
                                     "--default-target-type=ip), or change the Service type"),
    "stale_status": ("backend", "the referenced object was created after the controller wrote "
                     "this status and it has not reconciled since: touch the route (kubectl "
                     "annotate httproute NAME reconcile=$(date +%s) --overwrite) and re-check"),
    "inference_api_version_mismatch": ("backend", "make backendRefs[].group the InferencePool's "
                                       "API group: inference.networking.k8s.io for v1 pools, "
                                       "inference.networking.x-k8s.io for v1alpha2 pools"),
    "inference_pool_unsupported": ("backend", "enable InferencePool support in the Gateway "
                                   "implementation (Istio: ENABLE_GATEWAY_API_INFERENCE_"
                                   "EXTENSION=true on istiod; agentgateway/kgateway: "
                                   "inferenceExtension.enabled=true) and use a release that "
                                   "serves this InferencePool API version"),
    "endpoint_picker_missing": ("backend", "set spec.endpointPickerRef {name: <EPP Service>, "
                                "port: {number: 9002}} and run the endpoint picker (llm-d "
                                "router for GAIE >= v1.6, the GAIE EPP for <= v1.5)"),
    "endpoint_picker_misconfigured": ("backend", "fix the endpoint picker's flags (--pool-name, "
                                      "--pool-namespace) or its RBAC, as its log says"),
    # --- InferencePool ---------------------------------------------------------------------
    "pool_not_accepted": ("pool", "read the condition: usually the HTTPRoute that references "
                          "the pool is not accepted by its Gateway, fix the route first"),
    "pool_pods_not_ready": ("pool", "make the model server pods Ready (read their events and "
                            "logs: image, GPU scheduling, probes, model download) or scale them"),
    "pool_saturated": ("pool", "the pool is over its saturation thresholds: add model server "
                       "replicas (analyze_traffic.py sizes them) or give the traffic a priority "
                       ">= 0 (InferenceObjective; InferenceModel criticality Critical <= v0.5)"),
    "pool_selects_no_pods": ("pool", "make spec.selector.matchLabels equal the model server "
                             "pod template labels (same namespace; matchLabels only)"),
    "pool_target_port_mismatch": ("pool", "set spec.targetPorts[].number to the port the "
                                  "model server listens on (containerPort), or fix the pods"),
    # --- hygiene ---------------------------------------------------------------------------
    "outdated_inference_api": ("hygiene", "migrate to inference.networking.k8s.io/v1 "
                               "(references/causes.md#outdated_inference_api)"),
    "request_body_invalid": ("hygiene", "send an OpenAI-style body with `model` and `prompt` "
                             "(or `messages`): the endpoint picker reads them"),
    "no_timeouts": ("hygiene", "set rules[].timeouts.request (e.g. 300s for streaming LLM "
                    "responses; standard channel, Support: Extended)"),
    "no_tls": ("hygiene", "attach to an HTTPS listener (tls.mode Terminate with a "
               "certificateRefs Secret): make_route.py gateway --tls-secret NAME prints one"),
    "empty_listener": ("hygiene", "attach the route the listener is meant for, or remove the "
                       "listener; the NACK of an empty listener itself loses nothing"),
    "reconcile_after_delete": ("hygiene", "nothing to fix: a controller logged \"not found\" "
                               "while reconciling what is left of an object you deleted (its "
                               "managed Service/Deployment go away a moment later); if the "
                               "line keeps repeating, check they were garbage-collected"),
    "proxy_not_provisioned": ("hygiene", "nothing to fix: the controller looked up the "
                              "Service of a proxy it has not provisioned yet (Envoy Gateway "
                              "v1.5.x, no Gateway of the class yet); v1.6.0 logs it no more"),
    "control_plane_secret": ("hygiene", "Envoy Gateway's own TLS Secret (certgen's `envoy` "
                             "in its namespace), not a listener's: if it exists the line is "
                             "spurious (before v1.4.2, a GatewayClass not accepted); if not, "
                             "rerun the certgen job"),
    "not_in_dump": ("hygiene", "add the object to the dump, or run check_routes.py live"),
    "not_checked": ("hygiene", "add the missing kind to the dump"),
    "cause_unknown": ("hygiene", "run the command the finding names: the paste reports the "
                      "failure but not what decides it"),
}

LAYER_RANK = {name: i for i, name in enumerate(
    ("class", "gateway", "listener", "attach", "backend", "pool", "hygiene"))}


def layer_of(finding: dict) -> str:
    layer = CAUSES.get(finding["cause"], ("hygiene", ""))[0]
    if finding["cause"] == "ref_not_permitted" and finding["object"]["kind"] == "Gateway":
        return "listener"
    return layer


def fix_for(cause: str) -> str:
    return CAUSES.get(cause, ("", "read the condition message"))[1]
