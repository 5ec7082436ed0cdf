"""What a pasted report says besides the controllers' status lines: the user's own sentences,
and outputs that show a Service's address.

Issue threads carry the decisive fact in prose as often as in YAML: "a service that is not
yet deployed", "the Service still has its IP", "the Service exposes port 80 but the route
uses 8080". These rules read such sentences (references/messages.md, "Prose and outputs").
They refine a symptom a gateway reported (a 500 direct response, `no healthy upstream`, a
Gateway without address) into the reference that explains it; on their own they give
inferred findings that name the one command that confirms them.
"""
from __future__ import annotations

import dataclasses
import json
import re
from typing import Any
from dataclasses import dataclass, field

from k8s_skillkit import fences
from k8s_skillkit.objects import dig
from k8s_skillkit.findings import finding

from _gw import epp_transport
from _gw.causes import fix_for, layer_of
from _gw.reported import REASONLESS
from _gw.superseded import UNSERVED_WORDS

# --- "the Service has an address" ----------------------------------------------------------
# A LoadBalancer Service's status as kubectl prints it: `-o jsonpath='{.status.loadBalancer}'`
# ({"ingress":[{"ip":...}]}) or the whole status.loadBalancer in JSON.
_LB_INGRESS = re.compile(r'"ingress"\s*:\s*\[\s*\{[^]]*?"(?:ip|hostname)"\s*:\s*"([^"]+)"')
# A user saying so: "the service still have the IP-address assigned", "Both Services have
# valid IPs", "the backing Services regain valid IPs".
_SVC_HAS_ADDRESS = re.compile(
    r"\bservices?\b(?P<between>[^.\n]{0,60}?)\b(?:still\s+(?:have|has)|regain(?:ed|s)?|"
    r"have|has|got|keeps?|kept)\b(?P<what>[^.\n]{0,30}?)\b(?:IPs?|IP[- ]address(?:es)?|"
    r"external[- ]IPs?|(?:LB|load ?balancer) (?:IPs?|address(?:es)?))\b", re.IGNORECASE)
# ... and not the in-cluster address every Service has (ClusterIP)
_NEGATION = re.compile(r"\b(no|not|never|without|lost|lose|loses|pending|none|empty|cluster|"
                       r"internal)\b|n't\b", re.IGNORECASE)

# --- a request no route matches ---------------------------------------------------------------
# curl -v: the request's Host header (`> Host: 20.115.176.94`) and the answer (`< HTTP/1.1 404`).
# (A GitHub quote of the exchange adds its own `> ` before each line: `> > Host: ...`.)
_HOST_IS_IP = re.compile(r"^(?:>\s*)+Host:\s*(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(?::\d+)?$")
_HTTP_404 = re.compile(r"^(?:>\s*)*<?\s*HTTP/[\d.]+\s+404\b")

# --- "the backend does not exist" ------------------------------------------------------------
_BACKEND_ABSENT = re.compile(
    r"\b(?:services?|backends?|deployments?)\b[^.\n]{0,60}?\b(?:(?:is|are|was|were)\s+)?"
    r"(?:not\s+(?:yet\s+)?(?:deployed|created|installed)|(?:does|do|did)\s*n[o']?t\s+exist|"
    r"not\s+exist\w*|(?:is|was|were|are)\s+(?:missing|deleted|removed)|non-?existent)\b",
    re.IGNORECASE)

# --- a policy whose target does not exist (GEP-713 TargetNotFound) --------------------------
# "targetRefs.name points to a nonexistent route", "a BCP with target ref of non-existing
# svc", "the targetRef `x` is in a different ns" (envoyproxy/gateway#8926, #9061; kgateway-dev/
# kgateway#11624, #11438): a policy's targetRefs are local to its namespace.
_TARGET_REF = r"\btarget[ -]?(?:refs?|selectors?)\b(?:\.name)?"
_ABSENT_WORDS = (r"(?:non-?existent|nonexistent|non-?existing|(?:does|do|did)\s*(?:n't|not)\s+"
                 r"exists?|not\s+exists?|missing|(?:is|are)\s+in\s+(?:a\s+)?(?:different|"
                 r"another|other)\s+(?:ns|namespace)|match(?:es)?\s+(?:no|nothing)\b)")
_POLICY_TARGET_ABSENT = re.compile(_TARGET_REF + r"[^\n]{0,80}?" + _ABSENT_WORDS + "|"
                                   + _ABSENT_WORDS + r"[^\n]{0,40}?" + _TARGET_REF,
                                   re.IGNORECASE)
_POLICY = re.compile(r"[A-Za-z]*Polic(?:y|ies)\b", re.IGNORECASE)

# --- a listener's certificate Secret that does not exist --------------------------------------
# "Deploy Gateway with non-existent secret", "logs print `Secret not found`"
# (projectcontour/contour#4180), beside a TLS listener.
# ... "the `glance-tls` Secret was never created" (rwlove/home-ops#11142: cert-manager's
# gateway-shim was off, so the Certificate a listener's certificateRefs expects never came).
_SECRET_ABSENT = re.compile(
    r"\b(?:non-?existent|nonexistent|non-?existing|missing)\s+(?:TLS\s+)?secrets?\b|"
    r"\bsecrets?\b[^.\n]{0,60}?\b(?:(?:does|do)\s*(?:n't|not)\s+exist|not\s+found|"
    r"is\s+missing|(?:was|were|is|are|has|have)\s+(?:never|not)\s+(?:been\s+|yet\s+)?"
    r"(?:created|issued|generated))\b", re.IGNORECASE)
_TLS_LISTENER = re.compile(r"certificateRefs|\bHTTPS\b|\blisteners?\b|tls\.crt",
                           re.IGNORECASE)

# --- a CRD said to be absent -----------------------------------------------------------------
# "traefik expected a new CRD ... v1.BackendTLSPolicy ... This CRD did not yet exist in our
# cluster", "manually deploying the missing CRD" (traefik/traefik#12321), "The epp pod stuck in
# crashbackloop due to InferenceObjective CRD not being installed" (kubernetes-sigs/gateway-
# api-inference-extension#1737): a controller that watches a kind whose CRD is not installed
# fails. Read only in a paste about Gateway API or the Inference Extension. (One rule: the
# text patterns of _gw.messages read no sentences of this kind.)
_CRD_ABSENT = re.compile(
    r"\bCRDs?\b[^.\n]{0,60}?\b(?:(?:did|does|do)\s*n[o']?t\s+(?:yet\s+)?exist|"
    r"(?:is|was|were|are)\s+(?:missing|not\s+(?:yet\s+)?(?:installed|present))|"
    r"(?:not|n't)\s+(?:yet\s+)?(?:being\s+)?installed|missing)\b|"
    r"\bmissing\s+(?:the\s+)?(?:[\w.-]+\s+)?CRDs?\b", re.IGNORECASE)
_GATEWAY_API = re.compile(r"gateway[- ]?api|gateway\.networking|inference\.networking|\b(?:"
                          r"HTTPRoute|GRPCRoute|TLSRoute|TCPRoute|GatewayClass|ReferenceGrant|"
                          r"BackendTLSPolicy|InferencePool|InferenceObjective|InferenceModel)s?"
                          r"\b|\bepp\b|endpoint[- ]?picker", re.IGNORECASE)

# --- a listener protocol no controller serves -------------------------------------------------
# "a Gateway containing listener with unsupported protocol" (nginx/nginx-gateway-fabric#5214),
# "a listener using an invalid protocol type" (kgateway-dev/kgateway#11640). The listener is
# not Accepted (UnsupportedProtocol, gateway-api apis/v1/gateway_types.go ProtocolType).
_PROTOCOL_UNSUPPORTED = re.compile(
    r"\b(?:unsupported|invalid|unknown|wrong)\s+(?:listener\s+)?protocol\b|"
    r"\blistener\s+protocol\s+(?:is|was)\s+(?:invalid|unsupported|not\s+supported)\b",
    re.IGNORECASE)
_LISTENER = re.compile(r"\blisteners?\b", re.IGNORECASE)
_LISTENERSET = re.compile(r"\bX?ListenerSets?\b", re.IGNORECASE)

# --- a backendRef port the backend does not have -------------------------------------------
# "change the port to an invalid value" (kgateway-dev/kgateway#8948), "with a port that is
# not defined on that resource" (#14042): the named backend exists, its port does not.
_PORT_INVALID = re.compile(
    r"\bports?\b[^.\n]{0,40}?\b(?:to\s+an?\s+(?:invalid|wrong|bad|incorrect|non-?existent)|"
    r"(?:is|was)\s+(?:invalid|wrong|incorrect)|that\s+(?:is|was)\s+not\s+(?:defined|exposed)|"
    r"not\s+defined\s+(?:on|in|by))\b|"
    r"\b(?:invalid|wrong|bad|incorrect|non-?existent|nonexistent)\s+[`'\"]?(?:backend\s*Ref\s+)?"
    r"ports?\b", re.IGNORECASE)
_BACKEND_REF = re.compile(r"backend ?Refs?\b|\b(?:referenced|named|used)\s+(?:by|in)\s+(?:the|a|"
                          r"my|our|this)\s+(?:HTTP|GRPC)?routes?\b|\broute'?s\s+(?:backend|"
                          r"service)", re.IGNORECASE)
# the wrong port said of the endpoint picker's reference, not a route's backendRef
# ("endpointPickerRef.port points to the wrong port", opendatahub-io/kserve#1097: 8000, the
# model server's port, instead of the EPP's gRPC 9002; Envoy answers 500 ext_proc_error_gRPC_
# error_14{Cluster_not_available})
_EPP_REF = re.compile(r"endpointPickerRef|extensionRef|\bEPP\b|endpoint[- ]?picker",
                      re.IGNORECASE)
# a request sent without the path prefix the route matches ("a bare gateway IP without the
# `/<namespace>/<name>` path prefix. This caused all llmd inference requests to return HTTP
# 404", opendatahub-io/opendatahub-tests#1750): no route matches it
_PREFIX_MISSING = re.compile(
    r"\b(?:without|missing|lacks?|lacking|no)\s+(?:the\s+)?[^.\n]{0,60}?\bpath[- ]?prefix\b"
    r"[^\n]{0,200}?\b404\b", re.IGNORECASE)
# a pool with no endpoint at all ("if all engine is scaled to 0", "no active endpoint":
# llm-d/llm-d-router#1735): the picker has no pod to pick
_POOL_EMPTY = re.compile(
    r"\bno\s+(?:active|ready|available|running)\s+endpoints?\b|\bscaled\s+(?:down\s+)?to\s+"
    r"(?:0|zero)\b", re.IGNORECASE)
# "old pods can continue running without the new `component-class=worker` label, while the
# `InferencePool` is updated to require it" (ai-dynamo/dynamo#9700): an InferencePool's
# selector (matchLabels, all ANDed) that the serving pods' labels do not meet selects none
# a Gateway said to have no address ("The Gateway has no address assigned", "EXTERNAL-IP
# <pending>" in words): the Service of its data plane got no load balancer address
# (Programmed=False AddressNotAssigned in every implementation that provisions one)
_NO_ADDRESS = re.compile(
    r"\b(?:has|have|got|gets|with|shows?)\s+no\s+(?:(?:IP|external|public)\s+)?address(?:es)?\b"
    r"|\bEXTERNAL-IP\b[^.!?]{0,40}?<?pending>?|\baddress(?:es)?\s+(?:is|are|stays?|remains?|"
    r"still)\s+(?:empty|pending|not\s+(?:assigned|allocated))\b"
    r"|\b(?:never|doesn'?t|does\s+not|did\s*n[o']?t)\s+(?:gets?|receives?|obtains?)\s+(?:an?\s+|"
    r"any\s+)?(?:(?:IP|external|public)\s+)?(?:address|IP)\b", re.IGNORECASE)
# a GatewayClass (or its Gateway) said to be claimed by no controller: nothing writes its
# Accepted condition, which stays Unknown "Waiting for controller" (gateway-api
# apis/v1/gatewayclass_types.go: the controllerName no running controller serves)
_NO_CONTROLLER = re.compile(
    r"\bGateway(?:Class)?(?:es)?\b[^.\n]{0,60}?\b(?:not\s+(?:accepted|claimed|picked\s+up|"
    r"reconciled|handled)\s+by\s+any\s+(?:gateway\s+)?controllers?|no\s+(?:gateway\s+)?controller\s+"
    r"(?:accepts|claims|picks\s+up|reconciles|handles|is\s+(?:running|installed)))\b",
    re.IGNORECASE)
# the sentence is about the endpoint picker itself (its Deployment, Service, ext_proc)
_EPP_SUBJECT = re.compile(r"\b(?:EPP|endpoint[- ]?picker|ext[_-]?proc)\b", re.IGNORECASE)
# InferenceModel said to be gone: the Inference Extension replaced it with InferenceObjective in
# v1.0.0 (gateway-api-inference-extension PR #1255; v1.6.0 moved InferenceObjective to llm-d),
# so whatever still requires InferenceModel targets a removed API (defilantech/LLMKube#1725: an
# operator's CRD-presence gate that never activates)
_MODEL_GONE = re.compile(
    r"\bInferenceModels?\b[^.\n]{0,60}?\b(?:does(?:n't| not) exist|no longer exists?|"
    r"(?:was|is|has been|got) (?:renamed|removed|replaced|dropped)|renamed)\b|"
    r"\brenamed\b[^.\n]{0,40}?\bInferenceModel\b[^.\n]{0,40}?\bInferenceObjective\b",
    re.IGNORECASE)
# an InferencePool said to have no endpoint picker ("the pool has no EPP deployed"): its
# endpointPickerRef names nothing that serves ext_proc, so every request fails
_NO_PICKER = re.compile(
    r"\b(?:InferencePool|pool)s?\b[^.\n]{0,40}?\b(?:(?:has|have|with)\s+no|without)\s+(?:an?\s+)?"
    r"(?:endpoint[- ]?picker|EPP)s?\b"
    r"|\bno\s+(?:endpoint[- ]?picker|EPP)\s+(?:is\s+|was\s+)?(?:deployed|running|installed)\b"
    # "the endpoint picker (EPP) deployment is not running"
    r"|\b(?:endpoint[- ]?picker|EPP)\b(?:\s+\(?(?:EPP|endpoint[- ]?picker)\)?)?(?:\s+(?:pod|"
    r"deployment|service))?s?\s+(?:is|are|was|were)\s+(?:not|never)\s+(?:\w+\s+)?(?:running|"
    r"deployed|installed|started)\b",
    re.IGNORECASE)
# a Gateway said not programmed ("kubectl get gateway shows PROGRAMMED False"): its controller
# could not configure its data plane; PROGRAMMED Unknown is a Gateway no controller reconciled
_NOT_PROGRAMMED = re.compile(r"\bPROGRAMMED\W{0,3}False\b|\bProgrammed\s*[=:]\s*[\"']?False\b"
                             r"|\b(?:is|was|are|were)\s+(?:not|never)\s+(?:been\s+)?"
                             r"programmed\b", re.IGNORECASE)
_POOL_UNSELECTED = re.compile(
    r"\bpods?\b[^.\n]{0,120}?\b(?:without|lack\w*|missing|(?:do|does|did)\s*(?:not|n't)\s+"
    r"(?:have|carry|match))\b[^.\n]{0,80}?\blabels?\b[^.\n]{0,120}?\b(?:InferencePool|pool"
    r"|selector)s?\b|\b(?:InferencePool|pool|selector)s?\b[^.\n]{0,120}?\b(?:requires?|"
    r"selects?|matchLabels)\b[^.\n]{0,120}?\bpods?\b[^.\n]{0,60}?\b(?:without|lack\w*|"
    r"(?:do|does|did)\s*(?:not|n't)\s+(?:have|carry))\b", re.IGNORECASE)
# ... or the pool's selector said to match no pod ("the InferencePool selector does not match
# any model server pods")
_POOL_MATCHES_NONE = re.compile(
    r"\b(?:InferencePool|pool)(?:'s)?\s+(?:\w+\s+)?selectors?\b[^.\n]{0,60}?\b(?:(?:do|does|did)"
    r"\s*(?:not|n't)\s+(?:match|select)|matches\s+no|selects\s+no)\b", re.IGNORECASE)

# --- states said plainly, each the condition its controller would write ------------------------
# (gateway-api apis/v1/shared_types.go RouteConditionReason, gateway_types.go
# ListenerConditionReason): a parentRef to a Gateway that does not exist is not attached
# (NoMatchingParent / the route gets no status.parents entry); route and listener hostnames
# that do not intersect (NoMatchingListenerHostname); a backend Service without endpoints
# (503, no healthy upstream); a cross-namespace reference without a ReferenceGrant
# (ResolvedRefs=False RefNotPermitted); listeners that share a port with clashing
# hostname/protocol (Conflicted=True HostnameConflict / ProtocolConflict).
_PARENT_ABSENT = re.compile(
    r"\bparent ?Refs?\b[^.\n]{0,60}?\b(?:does\s*n[o']?t\s+exist|not\s+(?:found|exist\w*)|"
    r"non-?existent|nonexistent|(?:is|was)\s+(?:missing|deleted))\b"
    r"|\b(?:refers?|points?|attach\w*)\s+to\s+(?:a\s+|the\s+)?Gateway\b[^.\n]{0,40}?\b(?:that\s+)?"
    r"(?:does\s*n[o']?t\s+exist|(?:is|was)\s+(?:missing|deleted|not\s+found))\b"
    r"|\b(?:non-?existent|nonexistent|missing)\s+(?:parent\s+)?Gateway\b", re.IGNORECASE)
_HOSTNAME_UNMATCHED = re.compile(
    r"\bhostnames?\b[^.\n]{0,60}?\b(?:(?:do|does|did)\s*(?:not|n't)|not|never)\s+(?:match|"
    r"intersect|overlap)\w*\b[^.\n]{0,40}?\b(?:listener|route|gateway)"
    r"|\bNoMatchingListenerHostname\b", re.IGNORECASE)
_NO_ENDPOINTS = re.compile(
    r"\b(?:services?|backends?)\b[^.\n]{0,60}?\b(?:has|have|with)\s+no\s+(?:ready\s+)?"
    r"endpoints?\b|\bendpoints?\s+(?:list\s+)?(?:is|are)\s+empty\b"
    r"|\bservice(?:'s)?\s+(?:pod\s+)?selector\b[^.\n]{0,40}?\b(?:(?:do|does|did)\s*(?:not|n't)"
    r"\s+match|matches\s+no)\b", re.IGNORECASE)
_GRANT_MISSING = re.compile(
    r"\b(?:no|without|missing|lacks?|lacking)\s+(?:a\s+|the\s+|any\s+)?(?:matching\s+)?"
    r"ReferenceGrants?\b"
    r"|\bReferenceGrants?\b[^.\n]{0,40}?\b(?:(?:is|was|are|were)\s+(?:missing|not\s+(?:created|"
    r"present|there)|deleted)|(?:does|do)\s*(?:not|n't)\s+exist)\b", re.IGNORECASE)
_LISTENER_CLASH = re.compile(
    r"\blisteners?\b[^.\n]{0,80}?\b(?:conflict\w*|clash\w*)\b"
    r"|\b(?:conflict\w*|clash\w*)\b[^.\n]{0,40}?\blisteners?\b"
    r"|\b(?:HostnameConflict|ProtocolConflict)\b", re.IGNORECASE)
# ... but not the absence of one: "status reports all listeners as `Accepted=True`,
# `Programmed=True`, with no `Conflicted` condition" (cilium/cilium#48269, where the data
# plane refused the config while every condition stayed True), "the listeners are not in
# conflict"
_CLASH_WORD = re.compile(r"\b(?:conflict\w*|clash\w*|HostnameConflict|ProtocolConflict)\b",
                         re.IGNORECASE)
_CLASH_NEGATED = re.compile(r"(?:\b(?:no|not|never|without|zero)\b|n't)[\s`'\"*]+"
                            r"(?:[\w-]+[\s`'\"*]+){0,2}$", re.IGNORECASE)


def _says_clash(text: str) -> bool:
    """The text says listeners conflict, not that they have no conflict."""
    for hit in _LISTENER_CLASH.finditer(text):
        for word in _CLASH_WORD.finditer(text, hit.start(), hit.end()):
            if not _CLASH_NEGATED.search(text[max(0, word.start() - 60):word.start()]):
                return True
    return False

# --- a route condition the paste says the data plane contradicts -----------------------------
# "The data plane is healthy and serving traffic on the affected hostnames, but the route's
# status object never re-emits" (envoyproxy/gateway#8861), "a route can be attached and
# serving traffic correctly on one listener, but its status shows Accepted: False"
# (envoyproxy/gateway#10004): the condition is stale or overwritten, not the route broken.
_SERVING = re.compile(r"\bserv(?:ing|es|ed)\s+(?:the\s+)?traffic|\brouting\s+works\b|"
                      r"\btraffic\s+(?:is\s+)?(?:flowing|flows|works|served|unaffected)\b",
                      re.IGNORECASE)
_STATUS_WORD = re.compile(r"\b(?:status|condition)\b", re.IGNORECASE)
_ATTACH_SAID = ("hostname_mismatch", "not_allowed_by_listener", "route_not_accepted")

# --- a route the controller reports Accepted that its data plane does not carry -------------
# "The route status misleadingly shows `Accepted: True`", "The route status shows accepted but
# `kubectl get ciliumenvoyconfig -A -o yaml` contains no gRPC routes" (cilium/cilium#44824:
# the listener's allowedRoutes.kinds check took every GRPCRoute for kind "Unknown" and left it
# out of the generated config, fixed by #44826): Accepted=True is the controller's promise
# that it configures the route (gateway-api apis/v1 shared_types.go RouteConditionAccepted),
# so a route it reports Accepted and does not program is its defect.
# ... and a listener the controller reports Programmed whose TLS the data plane does not serve:
# "The ListenerSets report `Accepted=True`, `Programmed=True`, and `ResolvedRefs=True`. ...
# However, the referenced `cilium-sync-secret-*` resources do not exist, so Envoy resets TLS
# connections" (cilium/cilium#47622: the Secret sync watched Gateways, not ListenerSets, fixed
# by #47627): Programmed=True is the promise that the data plane has the listener (gateway-api
# apis/v1 gateway_types.go ListenerConditionProgrammed), so the same defect.
_ACCEPTED_WORD = r"[`'\"]?(?:Accepted|Programmed)(?:[`'\"]?\W{0,4}[`'\"]?True)?\b"
# (an object said to report it, not to be it: "Gateway is accepted, but ParametersRef is
# ignored" is NGINX Gateway Fabric's own message, not a contradiction)
_STATUS_SHOWS = (r"(?:\b(?:status|conditions?)\b[^.\n]{0,40}?\b(?:shows?|says?|reports?|reads?|"
                 r"is|stays?|remains?)|\b(?:ListenerSets?|listeners?|Gateways?|(?:HTTP|GRPC|TLS|"
                 r"TCP|UDP)?Routes?)\b[^.\n]{0,40}?\b(?:shows?|says?|reports?))"
                 r"\s+(?:as\s+)?(?:\w+ly\s+)?")
_UNSERVED = (r"(?:contains?|has|have|holds?)\s+no\b[^.\n]{0,30}?\broutes?\b|"
             # "the route to not be added to the actual envoy config" (istio/istio#59933)
             r"\bnot\s+(?:be\s+|being\s+)?(?:added|included|pushed)\s+(?:to|in|into)\s+(?:the\s+)?"
             r"(?:actual\s+|generated\s+|resulting\s+)?(?:envoy|xds|proxy|data\s*plane)\b|"
             r"\bnot\s+(?:routed|"
             r"served|programmed|configured|present\s+in|in\s+the\s+(?:generated|envoy|xds))|"
             r"(?:is|are|was|were|gets?|got)\s+(?:silently\s+)?(?:excluded|ignored|dropped|"
             r"missing|left\s+out)\b|\btraffic\s+(?:still\s+)?fails\b|"
             r"\b(?:Envoy|the\s+proxy|the\s+data\s*plane)\s+(?:\w+\s+)?(?:resets?|refuses?|"
             r"drops?)\b[^.\n]{0,20}?\bconnections?\b|\bconnections?\s+(?:are|get|got)\s+reset\b")
# ... and a setting the controller accepts that the generated data-plane config omits: "`URLRewrite`
# path filters under `backendRefs[].filters` are accepted on an `HTTPRoute`, but the generated
# Envoy route config does not include the rewrite" (envoyproxy/gateway#9095: backendRef-level
# path rewrites were not translated, fixed by #9131 rejecting them with UnsupportedRefValue).
# Only the config named as lacking it counts here: "is accepted, but traffic fails" has many
# causes besides the controller.
_CONFIG_LACKS = (r"\b(?:generated|envoy|xds|proxy|data\s*plane)\b[^.\n]{0,30}?\b(?:config\w*|dump)"
                 r"\b[^.\n]{0,20}?(?:(?:does|did)\s*(?:not|n't)\s+(?:include|contain|carry|have)|"
                 r"(?:has|have)\s+no\b|lacks?\b|omits?\b)")
_SETTING_ACCEPTED = (r"\b(?:(?:HTTP|GRPC|TLS|TCP|UDP)?Routes?|filters?|polic(?:y|ies)|rules?)\b"
                     r"[^.\n]{0,60}?\b(?:is|are|was|were|gets?|got)\s+(?:\w+ly\s+)?accepted\b"
                     r"[^.\n]{0,60}?\b(?:but|yet|although|though|while)\b[^.\n]{0,40}?"
                     + _CONFIG_LACKS)
_ACCEPTED_UNSERVED = re.compile(
    _SETTING_ACCEPTED + "|"
    r"\bmislead\w*\s+(?:\w+\s+){0,3}?" + _ACCEPTED_WORD + "|" + _STATUS_SHOWS + _ACCEPTED_WORD
    + r"[^.\n]{0,40}?\b(?:but|yet|although|though|while)\b[^.\n]{0,160}?(?:" + _UNSERVED + ")"
    # the contradiction in a later sentence of the same paragraph ("... However, ...")
    + "|" + _STATUS_SHOWS + _ACCEPTED_WORD + r"[^\n]{0,300}?\b(?:However|But|Yet)\b,?"
    r"[^.\n]{0,160}?(?:" + _UNSERVED + ")"
    # the data plane first, the status after: "... to not be added to the actual envoy config,
    # while still leaving positive status messages on both the Gateway and the route itself"
    # (istio/istio#59933: a multi-line header value, fixed by #59945 reporting InvalidFilter)
    + "|(?:" + _UNSERVED + r")[^.\n]{0,80}?\b(?:while|but|yet)\s+(?:still\s+)?(?:leaving|"
    r"showing|reporting|keeping|having|with)\s+(?:\w+\s+){0,2}?(?:positive|healthy|successful|"
    r"green|Accepted|Programmed)\s+(?:status|conditions?)\b",
    re.IGNORECASE)

# --- a route its status says is attached while the Gateway counts none --------------------
# "the route seems attached in route status, but on Gateway status there are 0 attached routes"
# (l7mp/stunner#90, the false Accepted fixed by l7mp/stunner-gateway-operator#30): a listener's
# attachedRoutes counts every route Accepted=True on it (gateway-api v1.6.3 apis/v1/
# gateway_types.go:1388-1404), so the two statuses cannot both be right.
_ROUTE_SAYS_ATTACHED = (r"(?:\b\w*route(?:'s)?\s+status\b[^.\n]{0,40}?\b(?:attached|accepted|"
                        r"Accepted\W{0,4}True)\b|\b(?:attached|accepted)\b[^.\n]{0,30}?\b\w*route"
                        r"(?:'s)?\s+status\b)")
_GATEWAY_COUNTS_NONE = (r"(?:\b(?:0|zero|no)\s+attached\s*routes?\b|\battachedRoutes\W{1,4}0\b)")
_ATTACHED_UNCOUNTED = re.compile(
    _ROUTE_SAYS_ATTACHED + r"[^.\n]{0,120}?\b(?:but|yet|while|though|although|however)\b"
    r"[^.\n]{0,80}?" + _GATEWAY_COUNTS_NONE + "|" + _GATEWAY_COUNTS_NONE +
    r"[^.\n]{0,80}?\b(?:but|yet|while|though|although|however)\b[^.\n]{0,80}?"
    + _ROUTE_SAYS_ATTACHED, re.IGNORECASE)

# --- routes failing since the controller's upgrade while its statuses stay healthy --------
# "After upgrading cilium to 1.19.2 TLSRoutes start timeouting, though both gateway and tlsroute
# statuses show business as usual" (cilium/cilium#45050: 1.19.2 built a passthrough filter
# chain for every listener, fixed by #45371): the objects did not change, the controller did,
# and it still reports them healthy: its regression. All three in one sentence.
_UPGRADED = re.compile(r"\b(?:after|since|when|following)\s+(?:\w+\s+){0,2}?(?:upgrad|updat|"
                       r"bump)\w*\b[^.\n]{0,60}?\bv?\d+\.\d+", re.IGNORECASE)
_STATUS_HEALTHY = re.compile(r"\bstatus(?:es)?\b[^.\n]{0,20}?\b(?:shows?|says?|reports?|looks?|"
                             r"are|is|remains?|stays?)\s+(?:\w+\s+){0,2}?(?:business\s+as\s+usual|"
                             r"healthy|fine|ok(?:ay)?|normal|green|good|as\s+(?:usual|expected)|"
                             r"Accepted|Programmed)\b", re.IGNORECASE)
_BROKE = re.compile(r"\btim(?:e|ing)\s*-?\s*out\w*|\bfail\w*|\bbr(?:oke|eak)\w*|"
                    r"\bstop\w*\s+working|\bnot\s+work\w*|\brefus\w*|\breset\w*", re.IGNORECASE)

# --- an object that referenced one not yet created, never accepted once it was -------------
# Steps to reproduce: "Create GatewayClass referencing non existent GatewayConfiguration /
# Create GatewayConfiguration / GatewayClass never enters Accepted state" (Kong/kong-operator
# #2160: no watch on GatewayConfiguration, fixed by #2161): the verdict predates the referenced
# object and the controller never reconciled again (the #9614 pattern above, without status).
_CREATED_LATER = re.compile(
    r"\breferenc\w*\s+(?:an?\s+|the\s+)?(?:non[- ]?existent|non[- ]?existing|missing|absent|"
    r"not[- ]yet[- ](?:existing|created))\s+[`'\"]?(?P<what>[A-Za-z][\w.-]*)"
    r"[\s\S]{0,300}?\b(?:creat|add|appl)\w*\s+(?:the\s+|a\s+|an\s+)?(?:[`'\"]?[\w.-]+[`'\"]?\s+)?"
    r"[`'\"]?(?P=what)\b"
    r"[\s\S]{0,300}?(?:\bnever\s+(?:\w+\s+){0,2}?[`'\"]?(?:Accepted|Programmed|Ready)\b|"
    r"\b(?:stays?|remains?)\s+(?:\w+\s+)?(?:not\s+accepted|unaccepted|Accepted\W{0,4}False))",
    re.IGNORECASE)
_CREATED_LATER_FIX = (
    "the object was judged while what it references did not exist, and the controller did "
    "not reconcile it again once that was created (it does not watch the referenced kind): "
    "the objects are fine now, the status is stale. Make it reconcile (touch or annotate the "
    "object, or restart the controller) and upgrade to a release that watches the reference")

# --- a Gateway served by a ClusterIP Service -------------------------------------------------
# With a ClusterIP Service type the Gateway's address is the Service's cluster IP (Envoy
# Gateway EnvoyProxy envoyService.type ClusterIP, envoyproxy/gateway#8065): a cluster IP
# shown assigned is the Gateway's address.
_CLUSTERIP_GATEWAY = re.compile(r"\bClusterIP\s+(?:service|svc)\b|\b(?:service|svc)\s+type"
                                r"\W+ClusterIP\b|\btype:\s*ClusterIP\b", re.IGNORECASE)
_CLUSTERIP_SHOWN = re.compile(r"\bClusterIP\b[^\n]{0,40}?\b\d{1,3}\.\d{1,3}\.[\dx]{1,3}\."
                              r"[\dx]{1,3}\b", re.IGNORECASE)

# --- ports named in prose ---------------------------------------------------------------------
_PORT = r"\bports?\b[\s*`'\":,=(]*(?:a\s+single\s+port[\s,:*`]*)?(?P<port>\d{2,5})\b"
_SVC_PORT = re.compile(r"\bService\b[^\n]{0,80}?\b(?:exposes|has|declares|listens on|only has|"
                       r"uses|serves on)\b[^\n]{0,40}?" + _PORT, re.IGNORECASE)
_ROUTE_PORT = re.compile(r"\b(?:backend ?Refs?|HTTPRoute|GRPCRoute|route)\b[^\n]{0,100}?"
                         r"\b(?:references?|uses?|points? (?:at|to)|targets?|sends? to|"
                         r"backend)\b[^\n]{0,40}?" + _PORT, re.IGNORECASE)
# a sentence that states the fix, not the broken state ("patched ... to 8080", "was 8080")
_FIX_WORDS = re.compile(r"\b(patch\w*|fix\w*|chang\w*|updat\w*|restor\w*|should|instead|"
                        r"was|set .{0,20}\bto)\b|->|\u2192", re.IGNORECASE)

# --- allowedRoutes left at its default --------------------------------------------------------
_ALLOWED_SAME = re.compile(r"allowedRoutes[^\n]{0,80}?(?:defaults?\s+to|default\s+is|from:?)"
                           r"[\s`'\"*]*Same\b|namespaces\.from[\s`'\":=]*Same\b", re.IGNORECASE)
_NOT_ATTACHED = re.compile(r"\b(?:won't|will not|does not|doesn't|can't|cannot|can not|fails? "
                           r"to|not)\s+(?:be\s+)?(?:attach|accepted|bind)\w*|NotAllowedByListeners"
                           r"|\brejected\b", re.IGNORECASE)

# --- routes from other namespaces never picked up -------------------------------------------
# "the implementation only looks for HTTPRoutes in the same namespace as the Gateway",
# "When I create HTTPRoute in a different namespace, it does not seem to take effect": for
# that controller no listener admits a route from another namespace (traefik/traefik#8246,
# apache/apisix-ingress-controller#2727). A route that names a backend or Secret in another
# namespace is a ReferenceGrant matter, not this one.
_ROUTE_WORD = r"\b(?:HTTP|GRPC|TLS|TCP|UDP)?Routes?\b"
_OTHER_NS = r"\bin\s+(?:an?\s+|the\s+)?(?:different|other|another|separate)\s+namespaces?\b"
_NOT_PICKED = (r"(?:\bnot\s+(?:be\s+)?(?:picked\s+up|attach\w*|accepted|work\w*|seen|found|"
               r"take\s+effect)|\bignored\b|\bnever\s+(?:attach|picked|work)\w*|"
               r"(?:does|do|did)\s*(?:n't|not)\s+(?:seem\s+to\s+)?(?:take\s+effect|attach|work|"
               r"get\s+picked\s+up|pick\s+(?:them\s+)?up))")
# ... or that the route must be in the same namespace as the controller or Gateway ("must
# choose the same namespace between traefik and httproute, Otherwise, no route will be
# matched": traefik/traefik-helm-chart#484, the same Traefik 2.4 limit)
_MUST = r"\b(?:must|has\s+to|have\s+to|needs?\s+to)\b"
_OWN_NAMESPACE_ONLY = re.compile(
    r"\bonly\b[^.\n]{0,80}?" + _ROUTE_WORD + r"[^.\n]{0,60}?\bsame\s+namespace\b|"
    + _ROUTE_WORD + r"[^.\n]{0,40}?" + _OTHER_NS + r"[^.\n]{0,80}?" + _NOT_PICKED + "|"
    + _ROUTE_WORD + r"[^.\n]{0,60}?" + _MUST + r"[^.\n]{0,30}?\bsame\s+namespace\b|"
    + _MUST + r"[^.\n]{0,40}?\bsame\s+namespace\b[^.\n]{0,60}?" + _ROUTE_WORD,
    re.IGNORECASE)
_REFERENCED = re.compile(r"\b(?:Service|backend\w*|Secret|certificate\w*|ReferenceGrant)s?\b",
                         re.IGNORECASE)
# the listener's allowedRoutes (v1) / routes (v1alpha1) namespaces, as YAML or describe
_FROM_ALL = re.compile(r"^\s*(?:-\s+)?from:\s*[\"']?All\b", re.IGNORECASE)

# --- a route kind the implementation serves only on listeners of another protocol ---------
# "I want to use grpcroute with http listener, but It seems to be supported only by https
# listeners" (Kong/kubernetes-ingress-controller#4273: KIC listed GRPCRoute among a
# listener's supported kinds only for HTTPS, internal/controllers/gateway/gateway_utils.go,
# until #5128): no listener admits the route (Accepted=False NotAllowedByListeners, gateway-
# api apis/v1 shared_types.go), although the API lets HTTP listeners carry GRPCRoute.
_ROUTE_KIND = r"\b(?:HTTP|GRPC|TLS|TCP|UDP)Routes?\b"
_PROTOCOL_LISTENER = r"(?:an?\s+|the\s+)?(?:HTTPS?|TLS|TCP|UDP)\s+(?:protocol\s+)?listeners?\b"
_KIND_ONLY_ON = re.compile(
    _ROUTE_KIND + r"[^.\n]{0,80}?\b(?:(?:supported|allowed|accepted)\s+only|only\s+(?:supported|"
    r"allowed|accepted)|not\s+(?:supported|allowed|accepted))\s+(?:by|on|with|for|in)\s+"
    + _PROTOCOL_LISTENER, re.IGNORECASE)

# --- a backend Service looked up in the route's namespace, living in another ---------------
# "The Gateway then looked for the backend Service in `lfx`, but each Service lives in its own
# namespace" (linuxfoundation/lfx-self-serve#1904): a backendRef without namespace names a
# Service in the route's namespace (gateway-api apis/v1 BackendObjectReference.Namespace),
# where there is none: ResolvedRefs=False BackendNotFound.
_LOOKED_UP_ELSEWHERE = re.compile(
    r"\b(?:look(?:ed|s|ing)?|search(?:ed|es|ing)?|resolv(?:ed|es|ing))\s+(?:for\s+)?(?:the\s+)?"
    r"(?:backend\s+)?(?:Services?|backends?)\b[^.\n]{0,40}?\bin\b[^.\n]{0,60}?\bbut\b"
    r"[^.\n]{0,60}?\b(?:lives?|living|exists?|is|are|resides?|runs?)\s+in\s+(?:its|their|an?|"
    r"the)\s+(?:own|other|another|different|separate)\b[^.\n]{0,20}?\bnamespaces?\b",
    re.IGNORECASE)

# --- a load balancer health probe that does not follow the readiness probe -----------------
# "Application Gateway for Containers falls back to its default health probe (`/`) instead of
# using the backend pod `readinessProbe`" (Azure/AKS#5644): the proxy's own health check
# asks another path than the one the pods answer 2xx on, so Ready pods are marked unhealthy.
_HEALTH_PROBE = r"(?:health[- ]?(?:probes?|checks?)|default\s+probes?)"
_READINESS = r"readiness[- ]?probes?"
_PROBE_NOT_READINESS = re.compile(
    _HEALTH_PROBE + r"[^.\n]{0,100}?\b(?:instead\s+of|ignor\w*|(?:does|do|did)\s*(?:n't|not)"
    r"\s+(?:respect|use|honou?r|follow)|not\s+(?:respecting|using|honou?ring|following))\b"
    r"[^.\n]{0,40}?" + _READINESS + "|" + _READINESS + r"[^.\n]{0,60}?\b(?:ignored|not\s+"
    r"(?:used|respected|honou?red|followed))\b[^.\n]{0,60}?" + _HEALTH_PROBE, re.IGNORECASE)

# --- around `no healthy upstream` ------------------------------------------------------------
# The load balancer's own health checking (GKE HealthCheckPolicy / NEG health, Azure
# Application Gateway for Containers HealthCheckPolicy, AWS target group health checks,
# Envoy Gateway BackendTrafficPolicy healthCheck): endpoints exist and are Ready, the proxy
# marks them unhealthy.
_HC = r"health[- ]?checks?"
_LB_HEALTH = re.compile(r"HealthCheckPolicy|\bNEGs?\b|target group|FAILED_HTTP_STATUS_CODE|"
                        r"\bBackendService\b|healthState\W+UNHEALTHY|" + _HC +
                        r"\b[^\n]{0,80}?\b(?:unhealthy|fail\w*)|unhealthy[^\n]{0,40}?" + _HC +
                        r"|(?:load ?balancer|\bLB\b)[^\n]{0,60}?\bunhealthy", re.IGNORECASE)
_PODS_FINE = re.compile(r"\bpods?\b[^\n]{0,60}?\b(?:Ready|Running|healthy)\b|\bReady\s+1/1\b|"
                        + _HC + r"[^\n]{0,60}?\b(?:fine|ok|okay|succeed\w*|pass\w*|"
                        r"works?)\b|everything (?:seems|looks|is) fine", re.IGNORECASE)
_INFERENCE = re.compile(r"InferencePool|inference[- ]?(?:extension|gateway|pool)|endpoint[- ]?"
                        r"picker|\bEPP\b|\bvllm\b|model[- ]server|llm-d|/v1/(?:chat/)?"
                        r"completions|pool saturation|saturation detector|"
                        # the endpoint picker's own wordings (catalogue inference-extension.yaml)
                        r"pods available in datastore|candidate pods for serving|"
                        # the lightweight picker's gRPC answer (pkg/lwepp/handlers/request.go
                        # @v1.6.0: codes.Unavailable "no pods available")
                        r"Unavailable desc = no pods available",
                        re.IGNORECASE)


# --- "it worked again once the controller reconciled" ----------------------------------------
# "After manually update the Annotation of the gateway, all models could access"
# (kgateway-dev/kgateway#12219), "recovered only by restarting the ... controller pods"
# (nginx/nginx-gateway-fabric#5869): what the controller reported was true when it translated
# and was not re-done when the objects changed. A verdict it gave then is stale.
_RECONCILE_ACTION = (r"(?:restart\w*|re-?start\w*|annotat\w*|touch(?:ed|ing)?|re-?creat\w*|"
                     r"re-?deploy\w*|re-?appl(?:y|ied)\w*|bounc\w*|resync\w*|re-?reconcil\w*|"
                     r"trigger\w*[^.\n]{0,30}?reconcil\w*)")
_RECONCILE_OUTCOME = (r"(?:could\s+(?:be\s+)?access\w*|accessible|work(?:s|ed|ing)?\b|"
                      r"recover\w*|came\s+back|succeed\w*|(?:is|was|got)\s+(?:resolved|fixed)|"
                      r"returns?\s+200|answer\w*\s+again)")
_RECONCILED = re.compile(_RECONCILE_ACTION + r"[^.\n]{0,120}?" + _RECONCILE_OUTCOME + "|"
                         + _RECONCILE_OUTCOME + r"[^.\n]{0,80}?" + _RECONCILE_ACTION,
                         re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|still|without)\b|n't\b", re.IGNORECASE)
# verdicts a controller forms when it translates a route (references, endpoints, attachment)
_TRANSLATION_TIME = ("backend_not_found", "backend_no_endpoints", "backend_unresolved",
                     "pool_pods_not_ready", "pool_selects_no_pods", "endpoint_picker_missing",
                     "not_allowed_by_listener", "hostname_mismatch", "parent_not_found",
                     "route_not_accepted")

# --- "the controller never re-reconciled once the referenced object was created" -------------
# "when the Secret is created afterwards, Envoy Gateway never re-reconciles. The ListenerSet
# stays unprogrammed forever (until a controller restart ...)" (envoyproxy/gateway#9614: the
# Secret watch's predicate had no ListenerSet certificateRefs check, fixed by #9634): what the
# controller reported about the reference was true before the object existed and is stale now.
_NO_RECONCILE = (r"(?:never|not|n't|no\s+longer)\s+(?:re-?)?(?:reconcil\w*|re-?process\w*|"
                 r"re-?translat\w*|pick\w*\s+(?:it\s+|this\s+|that\s+)?up|notic\w*)")
_NOT_RECONCILED = re.compile(
    r"\b(?:created|added|issued|applied|appears?)\s+(?:afterwards|later|after\w*)\b[^.\n]{0,80}?"
    + _NO_RECONCILE + r"|\b(?:stays?|remains?|stuck)\b[^.\n]{0,60}?\buntil\s+(?:a\s+|the\s+)?"
    r"(?:\w+\s+)?(?:controller|operator)\s+(?:pod\s+)?restart", re.IGNORECASE)
# references a controller resolves when it translates the object
_REFERENCE_TIME = _TRANSLATION_TIME + ("listener_certificate_invalid", "ref_not_permitted")
_NOT_RECONCILED_FIX = (
    "the controller's verdict dates from before the referenced object existed, and the paste "
    "says it never reconciled again once it was created: the objects are fine now, the "
    "status is stale. Make the controller reconcile (touch or annotate the object, or "
    "restart the controller) and upgrade it to a release that watches that reference "
    "(Envoy Gateway: ListenerSet certificateRefs, envoyproxy/gateway#9634)")

# --- a report about a gateway that fails, in words no rule reads ----------------------------
# The paste's own words say it is about a gateway (Gateway API kinds, a gateway or endpoint
# picker log) and that something fails; when no wording explains it the answer is "cause
# unknown" with the commands that would decide it, not a refusal of the input.
GATEWAY_TALK = re.compile(r"\bgateway\b|gateway[=/]|HTTPRoute|GRPCRoute|InferencePool|"
                           r"backend ?Refs?\b|endpoint[- ]?picker|\bEPP\b|ext_proc|"
                           r"kubernetesgateway|nginx-gateway|envoy-gateway|"
                           # the other Gateway API kinds, and the listeners a report names
                           r"\bGateway ?Class(?:es)?\b|\b(?:TLS|TCP|UDP)Routes?\b|"
                           r"\bListenerSets?\b|\bReferenceGrants?\b|\bBackendTLSPolicy\b|"
                           r"\blisteners?\b|"
                           # the inference router's own words (llm-d-router, GAIE's EPP)
                           r"\bllm-d\b|inference[- ]pool|pool saturation|saturation detector|"
                           r"\b(?:referenced|named|used)\s+(?:by|in)\s+the\s+(?:HTTP|GRPC)?route\b",
                           re.IGNORECASE)
_STATUS_CODE = re.compile(
    r"(?:HTTP/[\d.]+\s+|http\.status=|\bstatus(?:\s+code)?\W{1,3}|\\?\"\s)(?P<code>[45]\d\d)\b|"
    r"\b(?P<code2>[45]\d\d)\s+(?:Internal|Service|Bad\s+Gateway|Not\s+Found|Gateway\s+Timeout)|"
    r"\b(?:return\w*|answer\w*|respond\w*|throws?|got|gets?|gives?)\s+(?:an?\s+)?(?:HTTP\s+)?"
    r"(?P<code3>[45]\d\d)\b", re.IGNORECASE)
# (a route or config said not to reach the proxy: "the httproute entry was not synchronized
# to Envoy", "not programmed", "the exported configuration does not contain" it)
_FAILURE = re.compile(r"\b(?:fail(?:s|ed|ing|ures?)?|errors?|not\s+work\w*|doesn't\s+work|"
                      r"does\s+not\s+work|broken|refus\w*|drop\w*|unavailable|timeout|"
                      r"timed\s+out|not\s+(?:being\s+)?(?:synchroni[sz]ed|synced|programmed|"
                      r"propagated|applied|reachable)|(?:does\s+not|doesn't)\s+contain)\b",
                      re.IGNORECASE)


@dataclass
class Prose:
    """The facts the paste's text states, each with the line that states it."""
    service_address: list[str] = field(default_factory=list)
    backend_absent: list[str] = field(default_factory=list)
    service_ports: list[tuple[int, str]] = field(default_factory=list)
    route_ports: list[tuple[int, str]] = field(default_factory=list)
    allowed_same: list[str] = field(default_factory=list)
    own_namespace_only: list[str] = field(default_factory=list)
    from_all: list[str] = field(default_factory=list)
    not_attached: list[str] = field(default_factory=list)
    lb_health: list[str] = field(default_factory=list)
    pods_fine: list[str] = field(default_factory=list)
    host_is_ip: list[str] = field(default_factory=list)
    not_found_404: list[str] = field(default_factory=list)
    policy_target_absent: list[str] = field(default_factory=list)
    secret_absent: list[str] = field(default_factory=list)
    clusterip_shown: list[str] = field(default_factory=list)
    crd_absent: list[str] = field(default_factory=list)
    version_unserved: list[str] = field(default_factory=list)
    model_gone: list[str] = field(default_factory=list)
    protocol_unsupported: list[str] = field(default_factory=list)
    port_invalid: list[str] = field(default_factory=list)
    pool_unselected: list[str] = field(default_factory=list)
    epp_port_invalid: list[str] = field(default_factory=list)
    prefix_missing: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    no_controller: list[str] = field(default_factory=list)
    no_picker: list[str] = field(default_factory=list)
    not_programmed: list[str] = field(default_factory=list)
    pool_empty: list[str] = field(default_factory=list)
    parent_absent: list[str] = field(default_factory=list)
    hostname_unmatched: list[str] = field(default_factory=list)
    no_endpoints: list[str] = field(default_factory=list)
    grant_missing: list[str] = field(default_factory=list)
    listener_clash: list[str] = field(default_factory=list)
    kind_only_on: list[str] = field(default_factory=list)
    looked_up_elsewhere: list[str] = field(default_factory=list)
    probe_not_readiness: list[str] = field(default_factory=list)
    status_contradicted: list[str] = field(default_factory=list)
    accepted_unserved: list[str] = field(default_factory=list)  # Accepted, yet not programmed
    attached_uncounted: list[str] = field(default_factory=list)  # attached, Gateway counts 0
    upgrade_regressed: list[str] = field(default_factory=list)  # fails since an upgrade
    created_later: list[str] = field(default_factory=list)  # referent created, never accepted
    reconciled: list[str] = field(default_factory=list)
    not_reconciled: list[str] = field(default_factory=list)  # never re-reconciled after
    failure: list[str] = field(default_factory=list)
    status_codes: list[str] = field(default_factory=list)
    gateway_talk: bool = False
    inference: bool = False
    gateway_api: bool = False
    listener: bool = False
    listenerset: list[str] = field(default_factory=list)
    ext_proc: list[str] = field(default_factory=list)  # the ext_proc filter, config too
    backend_ref: bool = False
    policy: bool = False
    tls_listener: bool = False
    clusterip_gateway: bool = False


def read(lines: list[str]) -> Prose:
    """The facts of the text lines of a paste (lines inside ``` fences are outputs, not
    sentences: only the address outputs are read from them)."""
    out = Prose()
    texts = [str(raw) for raw in lines or []]
    paragraphs: list[list[str]] = [[]]
    for line, mark in zip(texts, fences.prose_marks(texts)):
        if mark == "fence":
            paragraphs.append([])
            continue
        fenced = mark == "code"
        text = " ".join(line.replace("**", "").split())
        if not text:
            paragraphs.append([])
            continue
        if _LB_INGRESS.search(text) or _json_ingress(text):
            out.service_address.append(text[:200])
        if _HOST_IS_IP.match(text):
            out.host_is_ip.append(text[:200])
        if _HTTP_404.match(text):
            out.not_found_404.append(text[:200])
        out.inference = out.inference or bool(_INFERENCE.search(text))
        out.gateway_talk = out.gateway_talk or bool(GATEWAY_TALK.search(text))
        code = _STATUS_CODE.search(text)
        if code:
            out.status_codes.append(code.group("code") or code.group("code2") or
                                    code.group("code3"))
        if code or _FAILURE.search(text):
            out.failure.append(text[:200])
        out.policy = out.policy or bool(_POLICY.search(text))
        out.tls_listener = out.tls_listener or bool(_TLS_LISTENER.search(text))
        out.clusterip_gateway = out.clusterip_gateway or bool(_CLUSTERIP_GATEWAY.search(text))
        out.gateway_api = out.gateway_api or bool(_GATEWAY_API.search(text))
        out.listener = out.listener or bool(_LISTENER.search(text))
        if _LISTENERSET.search(text):
            out.listenerset.append(text[:200])
        if epp_transport.EXT_PROC.search(text):
            out.ext_proc.append(text[:200])
        out.backend_ref = out.backend_ref or bool(_BACKEND_REF.search(text))
        if _FROM_ALL.match(text):
            out.from_all.append(text[:200])
        if _CLUSTERIP_SHOWN.search(text) and not re.search(r"\b(?:none|pending)\b", text,
                                                           re.IGNORECASE):
            out.clusterip_shown.append(text[:200])
        if fenced and not _reads_as_sentence(text):
            paragraphs.append([])
            continue
        if _OUTPUT_SHAPE.search(text):  # (YAML, a log line: no part of a sentence)
            paragraphs.append([])
        else:
            paragraphs[-1].append(text)
        _sentence_facts(out, text)
    _wrapped_sentences(out, [p for p in paragraphs if len(p) > 1])
    out.created_later += _created_later(texts)
    if out.clusterip_gateway:
        out.service_address += out.clusterip_shown
    return out


def _created_later(texts: list[str]) -> list[str]:
    """The whole lines of the paste that hold the _CREATED_LATER steps (they span lines)."""
    lines = [" ".join(t.split()) for t in texts]
    steps = _CREATED_LATER.search("\n".join(lines))
    if not steps:
        return []
    start = end = 0
    out = []
    for line in lines:
        start, end = end, end + len(line) + 1
        if line and start < steps.end() and end > steps.start():
            out.append(line[:200])
    return out


# Inside a fence a line is output unless it reads as a sentence: a whole report pasted in
# one code fence (its own fences then close and open the wrong way) is still prose.
_OUTPUT_SHAPE = re.compile(r"^\s*(?:-\s+)?[\w.\-\\\"/]+:\s|^\s*[\[{<]|^\s*[$#>]|"
                           r"^\s*\d{4}-\d\d-\d\d|^\s*[IWEF]\d{4}\s|\blevel=|\t")


def _reads_as_sentence(text: str) -> bool:
    return len(re.findall(r"[A-Za-z]{2,}", text)) >= 8 and not _OUTPUT_SHAPE.search(text) \
        and bool(re.match(r"^[\W\d]*[A-Za-z]", text))


def _wrapped_sentences(out: Prose, paragraphs: list[list[str]]) -> None:
    """A sentence a report wraps over lines (Markdown written at a fixed width: "`InferenceModel`
    / does not exist at all.", defilantech/LLMKube#1725) read whole: a fact no single line
    states is taken from the paragraph's joined text."""
    for paragraph in paragraphs:
        joined = Prose()
        _sentence_facts(joined, " ".join(paragraph))
        for f in dataclasses.fields(Prose):
            found, have = getattr(joined, f.name), getattr(out, f.name)
            if isinstance(found, list) and found and not have:
                have.extend(found)


def _sentence_facts(out: Prose, text: str) -> None:
    hit = _SVC_HAS_ADDRESS.search(text)
    if hit and not _NEGATION.search(hit.group("between") + " " + hit.group("what")):
        out.service_address.append(text[:200])
    fix = bool(_FIX_WORDS.search(text))
    for regex, bucket in ((_SVC_PORT, out.service_ports), (_ROUTE_PORT, out.route_ports)):
        for m in regex.finditer(text):
            if not (fix and bucket is out.route_ports):
                bucket.append((int(m.group("port")), text[:200]))
    for regex, bucket in ((_ALLOWED_SAME, out.allowed_same), (_NOT_ATTACHED, out.not_attached),
                          (_LB_HEALTH, out.lb_health), (_BACKEND_ABSENT, out.backend_absent),
                          (_POLICY_TARGET_ABSENT, out.policy_target_absent),
                          (_SECRET_ABSENT, out.secret_absent), (_CRD_ABSENT, out.crd_absent),
                          (UNSERVED_WORDS, out.version_unserved),
                          (_MODEL_GONE, out.model_gone),
                          (_PROTOCOL_UNSUPPORTED, out.protocol_unsupported),
                          (_PORT_INVALID, out.epp_port_invalid if _EPP_REF.search(text)
                           else out.port_invalid),
                          # ("the EPP Service has no available endpoints": the picker, not
                          # the pool's model servers)
                          (_POOL_EMPTY, out.no_picker if _EPP_SUBJECT.search(text)
                           else out.pool_empty),
                          (_PREFIX_MISSING, out.prefix_missing),
                          (_NO_ADDRESS, out.no_address),
                          (_NO_CONTROLLER, out.no_controller), (_NO_PICKER, out.no_picker),
                          (_NOT_PROGRAMMED, out.not_programmed),
                          (_POOL_UNSELECTED, out.pool_unselected),
                          (_POOL_MATCHES_NONE, out.pool_unselected),
                          (_PARENT_ABSENT, out.parent_absent),
                          (_HOSTNAME_UNMATCHED, out.hostname_unmatched),
                          (_NO_ENDPOINTS, out.no_endpoints),
                          (_GRANT_MISSING, out.grant_missing)):
        if regex.search(text):
            bucket.append(text[:200])
    if _says_clash(text):
        out.listener_clash.append(text[:200])
    for regex, bucket in ((_KIND_ONLY_ON, out.kind_only_on),
                          (_LOOKED_UP_ELSEWHERE, out.looked_up_elsewhere),
                          (_PROBE_NOT_READINESS, out.probe_not_readiness),
                          (_ACCEPTED_UNSERVED, out.accepted_unserved),
                          (_ATTACHED_UNCOUNTED, out.attached_uncounted)):
        hit = regex.search(text)
        if hit:
            bucket.append(_sentence_at(text, hit.start(), hit.end())[:200])
    hit = _OWN_NAMESPACE_ONLY.search(text)
    # what the namespace is the same as follows the match ("... as the Service"): read it too
    if hit and not _REFERENCED.search(text[hit.start():hit.end() + 40]):
        out.own_namespace_only.append(text[:200])
    if _SERVING.search(text) and _STATUS_WORD.search(text):
        out.status_contradicted.append(text[:200])
    if _UPGRADED.search(text) and _STATUS_HEALTHY.search(text) and _BROKE.search(text):
        out.upgrade_regressed.append(text[:200])
    hit = _NOT_RECONCILED.search(text)
    if hit:
        out.not_reconciled.append(_sentence_at(text, hit.start(), hit.end())[:200])
    hit = _RECONCILED.search(text)
    if hit and not _NEGATED.search(hit.group(0)):
        out.reconciled.append(text[:200])
    if _PODS_FINE.search(text) and not re.search(r"\bnot\s+(?:Ready|Running|healthy)\b",
                                                  text, re.IGNORECASE):
        out.pods_fine.append(text[:200])


def _sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds [start, end): a paragraph's decisive sentence is
    the evidence, not its first 200 characters."""
    head = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start),
               text.rfind("! ", 0, start))
    tail = min((i for i in (text.find(". ", end), text.find("? ", end), text.find("! ", end))
                if i >= 0), default=len(text) - 1)
    return text[head + 2 if head >= 0 else 0:tail + 1].strip()


def _json_ingress(text: str) -> bool:
    """A line holding JSON with status.loadBalancer.ingress addresses (`# {...}` too)."""
    body = text.lstrip("#$> ").strip()
    if not body.startswith("{"):
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False
    # any JSON may be pasted (an APISIX route has "status": 1): only lists of dicts count
    ingress = dig(data, "ingress") if isinstance(data, dict) else None
    if ingress is None:
        ingress = dig(data, "status", "loadBalancer", "ingress")
    return isinstance(ingress, list) and any(
        isinstance(i, dict) and (i.get("ip") or i.get("hostname")) for i in ingress)


def port_mismatch(prose: Prose) -> tuple[int, int, list[str]] | None:
    """(route port, Service port, lines) when the text names one port for the Service and
    another for the route's backendRef."""
    svc = {p for p, _ in prose.service_ports}
    route = {p for p, _ in prose.route_ports} - svc
    if len(svc) != 1 or len(route) != 1:
        return None
    lines = [t for _, t in prose.route_ports] + [t for _, t in prose.service_ports]
    return route.pop(), svc.pop(), list(dict.fromkeys(lines))


# --- findings ---------------------------------------------------------------------------------
_GATEWAY_NAME_LABELS = ("gateway.envoyproxy.io/owning-gateway-name",
                        "gateway.networking.k8s.io/gateway-name", "istio.io/gateway-name")
_STALE_ADDRESS_FIX = (
    "the Gateway's Programmed=False AddressNotAssigned is older than its Service's address: "
    "the controller copies the Service's status.loadBalancer.ingress into the Gateway's "
    "status.addresses when it reconciles (Envoy Gateway internal/gatewayapi/status/"
    "gateway.go), and it has not since the address came back. Traffic is not affected; "
    "make it reconcile (annotate the Gateway's Service, or restart the controller) and "
    "upgrade: Envoy Gateway v1.8.1 carries the fix of envoyproxy/gateway#8962 (one such "
    "case; #9567 reports another)")
_HEALTH_CHECK_FIX = (
    "the endpoints exist but the load balancer's own health check marks them unhealthy (it "
    "does not use the pods' readiness probes): point it at a path that answers 2xx, e.g. the "
    "readiness probe's path (GKE and Application Gateway for Containers: a HealthCheckPolicy "
    "targeting the Service with config.httpHealthCheck.requestPath; AWS: "
    "TargetGroupConfiguration healthCheckConfig; Envoy Gateway: BackendTrafficPolicy "
    "healthCheck)")


def apply(reported: list[dict], index, lines: list[str]) -> tuple[list[dict], list[dict]]:
    """The reported findings refined by what the paste's text and Service statuses say, and
    the inferred findings the text alone gives."""
    prose = read(lines)
    pools = bool(index.of_kind("InferencePool"))
    refined = [_refine(f, prose, pools) for f in reported]
    refined = _stale_addresses(refined, index, prose)
    refined = _acme_secret_follows(refined)
    refined = _stale_when_said(refined, prose.status_contradicted, _ATTACH_SAID,
                               _STALE_ROUTE_FIX)
    refined = _stale_when_said(refined, prose.reconciled, _TRANSLATION_TIME, _RECONCILED_FIX)
    refined = _stale_when_said(refined, prose.not_reconciled, _REFERENCE_TIME,
                               _NOT_RECONCILED_FIX)
    refined = _stale_when_said(refined, prose.created_later, _REFERENCE_TIME, _CREATED_LATER_FIX)
    refined = _contradiction_not_fault(refined, prose.accepted_unserved)
    # a sentence that repeats what a controller reported adds nothing (a status message
    # read as prose: "Secret default/x does not exist.")
    said = {f["cause"] for f in refined}
    inferred = _contradiction_not_fault(
        [f for f in prose_findings(prose) if f["cause"] not in said], prose.accepted_unserved)
    inferred = _before_created(inferred, prose.created_later)
    return _reasons_said(refined, inferred), inferred


def _reasons_said(reported: list[dict], inferred: list[dict]) -> list[dict]:
    """A condition quoted without its reason ("the listener stayed Programmed=False") next to
    a sentence that gives the reason in the same layer ("because the Secret was never
    created"): the sentence names the cause, the quoted condition is its evidence."""
    out = []
    for f in reported:
        why = next((g for g in inferred if f["message"] == REASONLESS and
                    layer_of(g) == layer_of(f)), None)
        if why is None:
            out.append(f)
            continue
        quoted = [e for e in f["evidence"] if not any(e.startswith(w) or w.startswith(e)
                                                      for w in why["evidence"])]
        out.append({**why, "evidence": why["evidence"] + quoted})
        inferred.remove(why)
    return out


@dataclass(frozen=True)
class _Rule:
    """A fault the paste's own sentences state: the facts that state it (evidence), the
    fact that puts it in this skill's context (gate), and the command that confirms it."""
    evidence: tuple[str, ...]
    gate: str
    cause: str
    message: str
    confirm: str
    fix: str = ""       # when the cause's own fix would miss what the sentence says
    echo: bool = False  # the sentence only echoes a condition: used when no other rule holds


_RULES = (
    _Rule(("host_is_ip", "not_found_404"), "not_found_404", "request_not_routed",
          "the gateway answered 404 to a request whose Host header is its IP address: a route "
          "with hostnames matches only requests for those hostnames",
          "kubectl get httproute -A -o custom-columns=NAME:.metadata.name,"
          "HOSTNAMES:.spec.hostnames"),
    _Rule(("accepted_unserved",), "gateway_talk", "controller_contradicts_spec",
          "the paste says the controller reports the route Accepted (or the listener "
          "Programmed) while its data plane does not carry it: Accepted=True / Programmed=True "
          "promise it is configured, so the status is the controller's defect, not a fault in "
          "the objects",
          "the data plane's configuration for the route (Envoy Gateway: egctl config "
          "envoy-proxy route -n <namespace> <envoy pod>; Cilium: kubectl get ciliumenvoyconfig "
          "-A -o yaml; others: the proxy's config dump)",
          "upgrade the gateway controller to a release that fixes it (search its tracker for "
          "the route kind and the listener setting involved); meanwhile avoid the setting that "
          "triggers it (e.g. an explicit allowedRoutes.kinds list)"),
    _Rule(("attached_uncounted",), "gateway_talk", "controller_contradicts_spec",
          "the paste says the route's status shows it attached (Accepted) while the Gateway's "
          "status counts 0 attachedRoutes: a listener counts every route Accepted=True on it "
          "(gateway-api apis/v1 gateway_types.go ListenerStatus.attachedRoutes), so the "
          "controller contradicts itself; the Gateway's count is usually the true one",
          "kubectl get gateway <name> -n <namespace> -o jsonpath='{.status.listeners}' and "
          "kubectl get <route kind> <name> -n <namespace> -o jsonpath='{.status.parents}'",
          "the controller reports the route accepted but did not attach it: check whether it "
          "supports what the binding needs (a route in another namespace than the Gateway, the "
          "route kind on that listener) and upgrade it to a release that does; meanwhile put "
          "the route where it attaches (the Gateway's namespace)"),
    _Rule(("upgrade_regressed",), "gateway_talk", "controller_contradicts_spec",
          "the paste says routes fail since the gateway controller was upgraded while their "
          "statuses still report them healthy: the objects did not change, the controller's "
          "translation did, and its status does not say so (a regression)",
          "the data plane's configuration and log for the failing route (the proxy's config "
          "dump, or a NACK: `rejected` in the proxy's log)",
          "roll the controller back to the release that worked, or upgrade to the patch "
          "release that fixes it (search its tracker for the route kind and the listener "
          "settings involved); pinning the route to one listener with sectionName may avoid "
          "the regressed path"),
    _Rule(("created_later",), "gateway_talk", "stale_status",
          "the paste says the object referenced something not yet created, that was created "
          "afterwards, and the object never became Accepted: the controller's verdict "
          "predates the referenced object and it did not reconcile again",
          "kubectl get <kind> <name> -o yaml (the Accepted condition's lastTransitionTime "
          "older than the referenced object's creationTimestamp)",
          _CREATED_LATER_FIX),
    _Rule(("allowed_same", "not_attached"), "not_attached", "not_allowed_by_listener",
          "the paste says the listener leaves allowedRoutes at its default (namespaces.from: "
          "Same) and the route in another namespace does not attach",
          "kubectl get httproute <name> -n <namespace> -o "
          "jsonpath='{.status.parents[*].conditions}'"),
    _Rule(("policy_target_absent",), "policy", "policy_target_not_found",
          "the paste says the policy's targetRef names an object that does not exist (or is "
          "in another namespace): the policy attaches to nothing",
          "kubectl get <policy kind> <name> -n <namespace> -o jsonpath='{.spec.targetRefs}' "
          "and kubectl get <target kind> <target name> -n <namespace>"),
    _Rule(("secret_absent",), "tls_listener", "listener_certificate_invalid",
          "the paste says the TLS Secret a listener's certificateRefs names does not exist",
          "kubectl get gateway <name> -n <namespace> -o "
          "jsonpath='{.status.listeners[*].conditions}'"),
    _Rule(("crd_absent",), "gateway_api", "crd_not_installed",
          "the paste says a CRD the gateway controller needs is not installed: a controller "
          "that watches a kind whose CRD is absent cannot start its informers and stops "
          "configuring routes",
          "kubectl get crds | grep -e gateway.networking -e inference.networking"),
    _Rule(("version_unserved",), "gateway_api", "crd_version_unsupported",
          "the paste says the installed Gateway API CRDs no longer serve an alpha version: a "
          "controller release built for that version cannot list the kind there, so its "
          "informer never syncs (the bundle is newer than the controller supports)",
          "kubectl get crd <plural>.gateway.networking.k8s.io -o jsonpath='{range "
          ".spec.versions[*]}{.name} served={.served}{\"\\n\"}{end}'"),
    _Rule(("model_gone",), "inference", "outdated_inference_api",
          "the paste says InferenceModel no longer exists: the Inference Extension replaced it "
          "with InferenceObjective (GAIE v1.0.0; inference.networking.x-k8s.io/v1alpha2, moved "
          "to llm-d in v1.6.0), so a component or manifest that still requires InferenceModel "
          "targets a removed API and waits for a kind that will never appear",
          "kubectl api-resources --api-group=inference.networking.x-k8s.io; kubectl "
          "api-resources --api-group=inference.networking.k8s.io",
          fix="upgrade the component to a release that uses InferencePool v1 (and "
              "InferenceObjective where it needs per-model priority), or write the manifests "
              "for the installed GAIE release"),
    _Rule(("protocol_unsupported",), "listener", "listener_invalid",
          "the paste says a listener uses a protocol the controller does not support: that "
          "listener is not Accepted (UnsupportedProtocol) and no route attaches to it; "
          "un-prefixed protocol names are reserved for HTTP, HTTPS, TLS, TCP and UDP",
          "kubectl get gateway <name> -n <namespace> -o "
          "jsonpath='{.status.listeners[*].conditions}'"),
    _Rule(("pool_unselected",), "inference", "pool_selects_no_pods",
          "the paste says the serving pods lack a label the InferencePool's selector requires: "
          "matchLabels are ANDed, so the pool selects none of them and the endpoint picker has "
          "no endpoint to pick (requests fail while the pods run)",
          "kubectl get inferencepool <name> -n <namespace> -o jsonpath='{.spec.selector}'; "
          "kubectl get pods -n <namespace> --show-labels"),
    _Rule(("prefix_missing",), "gateway_talk", "request_not_routed",
          "the paste says requests went without the path prefix the route matches and got "
          "404: the gateway has no route for that path",
          "kubectl get httproute <name> -n <namespace> -o jsonpath='{.spec.rules[*].matches}'",
          fix="send requests to the URL the route serves (its path prefix; for KServe's "
              "LLMInferenceService, status.url), or add a match for the bare path"),
    _Rule(("epp_port_invalid",), "inference", "endpoint_picker_missing",
          "the paste says the endpoint picker's reference names the wrong port: the gateway "
          "calls ext_proc on a port the picker does not serve, so every request fails (Envoy: "
          "500 ext_proc_error ... Cluster_not_available)",
          "kubectl get inferencepool <name> -n <namespace> -o "
          "jsonpath='{.spec.endpointPickerRef}'; kubectl get service <epp> -n <namespace> -o "
          "jsonpath='{.spec.ports}'",
          fix="set the port of endpointPickerRef to the picker Service's gRPC port (9002 in the "
              "reference EPP), not the model servers' targetPort"),
    _Rule(("pool_empty",), "inference", "pool_selects_no_pods",
          "the paste says the pool has no endpoint (its model servers scaled to zero): the "
          "endpoint picker has no pod to pick, so requests queue and fail (429 from flow "
          "control, 503) until a pod serves",
          "kubectl get pods -n <namespace> -l <pool selector>; kubectl get inferencepool "
          "<name> -n <namespace> -o jsonpath='{.spec.selector}'",
          fix="keep at least one model server replica (or use a scale-from-zero activator), "
              "and check the pool's selector matches the running pods"),
    _Rule(("port_invalid",), "backend_ref", "port_mismatch",
          "the paste says the backendRef names a port its backend does not define: the "
          "backend exists, the port does not",
          "kubectl get service <name> -n <namespace> -o jsonpath='{.spec.ports[*].port}'"),
    # "when the `eg-validator-canary` service resource is deleted (while still keeping it in
    # the HTTPRoute backendRef)" (envoyproxy/gateway#7065): a backendRef to a Service that is
    # gone is BackendNotFound (gateway-api HTTPBackendRef: ResolvedRefs False).
    _Rule(("kind_only_on",), "gateway_talk", "not_allowed_by_listener",
          "the paste says the route's kind is accepted only on listeners of another protocol: "
          "no listener the route names admits it (Accepted=False NotAllowedByListeners); the "
          "implementation lists what each listener takes in status.listeners[].supportedKinds",
          "kubectl get gateway <name> -n <namespace> -o "
          "jsonpath='{.status.listeners[*].supportedKinds}' and the route's status.parents",
          fix="attach the route to a listener whose protocol this implementation serves the "
              "kind on, or upgrade to a release that serves it on this protocol (the Gateway "
              "API lets HTTP and HTTPS listeners carry both HTTPRoute and GRPCRoute)"),
    _Rule(("looked_up_elsewhere",), "gateway_talk", "backend_not_found",
          "the paste says the backend Service was looked up in one namespace and lives in "
          "another: a backendRef without namespace names a Service in the route's own "
          "namespace, where there is none (ResolvedRefs=False BackendNotFound)",
          "kubectl get httproute <name> -n <namespace> -o "
          "jsonpath='{.spec.rules[*].backendRefs}' and kubectl get service <name> -n "
          "<route namespace>",
          fix="put the route in the Service's namespace, or set backendRefs[].namespace to "
              "it and add a ReferenceGrant there from the route's kind and namespace to "
              "Service"),
    _Rule(("probe_not_readiness",), "gateway_talk", "backend_health_check_failing",
          "the paste says the load balancer's health probe does not follow the pods' "
          "readinessProbe (a default path instead): pods Ready on their probe path are marked "
          "unhealthy when that path does not answer 2xx",
          "the load balancer's backend health (its HealthCheckPolicy status, or the cloud "
          "console's backend health view) beside kubectl get pods -o wide",
          fix=_HEALTH_CHECK_FIX),
    _Rule(("no_address",), "gateway_talk", "gateway_no_address",
          "the paste says the Gateway has no address: the Service of its data plane got no "
          "load balancer address, so nothing outside reaches it (Programmed=False "
          "AddressNotAssigned)",
          "kubectl get gateway <name> -n <namespace> -o jsonpath='{.status.addresses}' and "
          "kubectl get service -n <namespace> (the data plane's Service: EXTERNAL-IP) and its "
          "events"),
    _Rule(("no_controller",), "gateway_talk", "no_controller",
          "the paste says no controller accepts the GatewayClass: nothing serves its "
          "controllerName, so its Gateways stay Accepted Unknown (\"Waiting for controller\") "
          "and get no data plane",
          "kubectl get gatewayclass -o custom-columns=NAME:.metadata.name,CONTROLLER:.spec."
          "controllerName,ACCEPTED:.status.conditions[0].status and the controller's pods"),
    _Rule(("no_picker",), "inference", "endpoint_picker_missing",
          "the paste says the InferencePool has no endpoint picker: its endpointPickerRef "
          "names no running ext_proc service, so the gateway cannot pick an endpoint and "
          "requests fail",
          "kubectl get inferencepool <name> -n <namespace> -o "
          "jsonpath='{.spec.endpointPickerRef}' and kubectl get service,pods -n <namespace> "
          "(the picker's)"),
    _Rule(("not_programmed",), "gateway_talk", "gateway_not_ready",
          "the paste says the Gateway is not programmed: its controller could not configure "
          "the data plane; the Programmed condition's reason and message say why",
          "kubectl get gateway <name> -n <namespace> -o jsonpath='{.status.conditions}'",
          echo=True),
    _Rule(("parent_absent",), "gateway_talk", "parent_not_found",
          "the paste says the route's parentRef names a Gateway that does not exist: the "
          "route attaches to nothing, so no listener serves it",
          "kubectl get gateway -A and kubectl get httproute <name> -n <namespace> -o "
          "jsonpath='{.spec.parentRefs}'",
          fix="point parentRefs at an existing Gateway (name, and namespace when it is not the "
              "route's), or create that Gateway"),
    _Rule(("hostname_unmatched",), "gateway_talk", "hostname_mismatch",
          "the paste says the route's hostnames do not match the listener's: a route attaches "
          "only to listeners whose hostname intersects its own (Accepted=False "
          "NoMatchingListenerHostname)",
          "kubectl get gateway <name> -n <namespace> -o jsonpath='{.spec.listeners[*].hostname}'"
          " and kubectl get httproute <name> -n <namespace> -o jsonpath='{.spec.hostnames}'",
          fix="make the route's hostnames match the listener's hostname (a wildcard listener "
              "'*.example.com' matches one label), or drop one of them"),
    _Rule(("no_endpoints",), "gateway_talk", "backend_no_endpoints",
          "the paste says the backend Service has no endpoints: the gateway has nowhere to send "
          "the requests (503, no healthy upstream)",
          "kubectl get endpointslices -n <namespace> -l kubernetes.io/service-name=<service> and "
          "kubectl get pods -n <namespace> -l <service selector>",
          fix="make the Service's selector match the running, Ready pods (labels), or start "
              "them"),
    _Rule(("grant_missing",), "gateway_talk", "ref_not_permitted",
          "the paste says no ReferenceGrant allows the cross-namespace reference: a route or "
          "listener may reference a Service or Secret in another namespace only when a "
          "ReferenceGrant there allows it (ResolvedRefs=False RefNotPermitted)",
          "kubectl get referencegrants -n <the referenced object's namespace> -o yaml",
          fix="create a ReferenceGrant in the referenced object's namespace, from the route's "
              "(or Gateway's) group, kind and namespace to that kind"),
    _Rule(("listener_clash",), "listener", "listener_conflict",
          "the paste says the Gateway's listeners conflict: listeners on one port need distinct "
          "hostnames and compatible protocols, or they are Conflicted (HostnameConflict, "
          "ProtocolConflict) and not programmed",
          "kubectl get gateway <name> -n <namespace> -o "
          "jsonpath='{.status.listeners[*].conditions}'",
          fix="give each listener on a port its own hostname, or move one to another port"),
    _Rule(("backend_absent",), "backend_ref", "backend_not_found",
          "the paste says a Service (or backend) a route's backendRef names does not exist: "
          "that backendRef does not resolve (BackendNotFound; its share of requests gets 500)",
          "kubectl get service <name> -n <namespace>, and the route's ResolvedRefs condition "
          "(kubectl get httproute <name> -n <namespace> -o yaml)"),
)


def prose_findings(prose: Prose) -> list[dict]:
    out = []
    mismatch = port_mismatch(prose)
    if mismatch:
        route_port, svc_port, quoted = mismatch
        out.append(_inferred(
            "port_mismatch", f"the paste says the route's backendRef uses port {route_port} "
            f"and the Service exposes port {svc_port}", quoted,
            "kubectl get service <name> -n <namespace> -o jsonpath='{.spec.ports[*].port}'"))
    for echo in (False, True):
        for rule in (r for r in _RULES if r.echo == echo and not (echo and out)):
            lines = [line for name in rule.evidence for line in getattr(prose, name)]
            if getattr(prose, rule.gate) and all(getattr(prose, name) for name in rule.evidence):
                out.append(_inferred(rule.cause, rule.message, lines, rule.confirm, rule.fix))
    if not any(f["cause"] == "not_allowed_by_listener" for f in out):
        out += _own_namespace_only(prose)
    return out


_OWN_NAMESPACE_MESSAGE = ("the paste says the controller picks up routes only in the "
                          "Gateway's own namespace: for it, no listener admits a route from "
                          "another namespace")
_IGNORES_FROM_ALL = ("the listener's allowedRoutes says namespaces.from: All, so the "
                     "implementation does not honour it (Traefik's provider listed routes "
                     "only in the Gateway's namespace until traefik/traefik#8299): use a "
                     "release that supports cross-namespace routes, or put the route in the "
                     "Gateway's namespace")
_FROM_SAME = ("allowedRoutes.namespaces.from defaults to Same: set it to All, or to Selector "
              "with labels the route's namespace carries")
_OWN_NAMESPACE_CONFIRM = ("kubectl get gateway <name> -n <namespace> -o jsonpath="
                          "'{.spec.listeners[*].allowedRoutes}' and kubectl get httproute "
                          "<name> -n <namespace> -o jsonpath='{.status.parents}' (a route no "
                          "controller reconciled has no status.parents)")


def _own_namespace_only(prose: Prose) -> list[dict]:
    """Routes outside the Gateway's namespace said never picked up (inferred): the listener,
    as configured or as implemented, admits only its own namespace."""
    if not (prose.own_namespace_only and prose.gateway_talk):
        return []
    evidence = list(dict.fromkeys(prose.own_namespace_only))[:2] + prose.from_all[:1]
    return [finding("error", "not_allowed_by_listener", _PASTE, _OWN_NAMESPACE_MESSAGE,
                    evidence, _IGNORES_FROM_ALL if prose.from_all else _FROM_SAME,
                    basis="inferred", confirm=_OWN_NAMESPACE_CONFIRM)]


def _inferred(cause: str, message: str, lines: list[str], confirm: str, fix: str = "") -> dict:
    return finding("error", cause, _PASTE, message, list(dict.fromkeys(lines))[:3],
                   fix or fix_for(cause), basis="inferred", confirm=confirm)


_PASTE = {"kind": "Text", "name": "paste"}
# Envoy's reset reason when it could not open a connection to the endpoint (envoy
# source/common/router/router.cc resetReasonToString via StreamResetReason
# LocalConnectionFailure/RemoteConnectionFailure: "connection failure", with the transport's
# "delayed connect error: 111" = ECONNREFUSED): nothing listens on the endpoint's port
_CONNECT_FAILED = re.compile(r"reset reason: (?:remote |local )?connection failure|"
                             r"delayed connect error: 111|Connection refused", re.IGNORECASE)
_CONNECT_FAILED_FIX = ("the gateway could not connect to the backend's endpoints: the "
                       "Service's targetPort must be the port the container listens on (on "
                       "0.0.0.0, not 127.0.0.1), and no NetworkPolicy may drop the gateway's "
                       "traffic (kubectl get endpointslices -l kubernetes.io/service-name=SVC "
                       "-n NS; the container's ports)")


def _refine(f: dict, prose: Prose, pools: bool) -> dict:
    """A text symptom the gateway answered, narrowed by what the paste says around it."""
    if f["object"]["kind"] != "Text":
        return f
    # (on a text line only `no healthy upstream` gives pool_pods_not_ready, only an Envoy
    # direct 500 gives backend_unresolved: _gw.messages.TEXT_PATTERNS)
    if f["cause"] == "pool_pods_not_ready":
        if prose.lb_health or prose.pods_fine:
            return _recast(f, "backend_health_check_failing", prose.lb_health + prose.pods_fine,
                           _HEALTH_CHECK_FIX)
        if not (prose.inference or pools):
            return _recast(f, "backend_no_endpoints", [], fix_for("backend_no_endpoints"))
    if f["cause"] == "no_controller" and prose.listenerset:
        # "Waiting for controller" is every Gateway API object's default condition; a report
        # about a ListenerSet shows the ListenerSet's (cilium/cilium#42756: an XListenerSet
        # the implementation does not reconcile)
        return _recast(f, "listenerset_not_reconciled", prose.listenerset[:1],
                       fix_for("listenerset_not_reconciled") + "; if this status is the "
                       "Gateway's own, no controller serves its GatewayClass")
    if f["cause"] == "pool_target_port_mismatch" and not (prose.inference or pools) and \
            any(_CONNECT_FAILED.search(e) for e in f["evidence"]):
        return _recast(f, "port_mismatch", [], _CONNECT_FAILED_FIX)
    if f["cause"] == "pool_target_port_mismatch" and epp_transport.closed_by_picker(
            f["evidence"], prose.ext_proc, prose.inference or pools):
        return dict(_recast(f, "endpoint_picker_misconfigured", prose.ext_proc[:1],
                            epp_transport.FIX), message=epp_transport.MESSAGE,
                    basis="inferred", confirm=epp_transport.CONFIRM)
    if f["cause"] == "backend_unresolved" and prose.backend_absent:
        return _recast(f, "backend_not_found", prose.backend_absent, fix_for("backend_not_found"))
    return f


# cert-manager names its HTTP-01 solver Services and HTTPRoutes cm-acme-http-solver-<suffix>
# (GenerateName in pkg/issuer/acme/http buildService and createGatewayHTTPRoute). When the
# solver routes' Services are missing, the certificate is never issued, so the listener's
# Secret is missing too: the Secret follows, the solver backend is the fault
# (traefik/traefik#9158, cert-manager/cert-manager#5260).
_ACME_SOLVER = re.compile(r"\bcm-acme-http-solver", re.IGNORECASE)


def _acme_secret_follows(findings: list[dict]) -> list[dict]:
    solver_down = any(f["cause"] in ("backend_not_found", "backend_no_endpoints") and
                      any(_ACME_SOLVER.search(str(e)) for e in f["evidence"])
                      for f in findings)
    if not solver_down:
        return findings
    return [dict(f, severity="warning", message=f["message"] + " (the certificate is still "
                 "being issued: its ACME HTTP-01 solver route has no backend, fix that first)")
            if f["cause"] == "listener_certificate_invalid" and f["severity"] == "error" else f
            for f in findings]


_STALE_ROUTE_FIX = (
    "the route's condition does not describe what the proxy serves: the controller did not "
    "re-write the route's status after a Gateway-side change, or wrote one parentRef's "
    "verdict over another's (envoyproxy/gateway#8861, #10004; gateway-api#5115 makes the "
    "update a MUST). Trust the data plane (curl the hostname); make the controller "
    "re-write the status (touch the route, or restart the controller) and upgrade it")


_QUOTED_TRUE = re.compile(r"\b(?:Accepted|Programmed|ResolvedRefs)[`'\"]?\s*[=:]\s*[`'\"]?True\b")


def _contradiction_not_fault(findings: list[dict], said: list[str]) -> list[dict]:
    """A paragraph that says the controller reports the object Accepted/Programmed while the
    data plane does not serve it reports the controller's defect: a fault read from other
    words of that same paragraph ("TLS Secrets ... are not synchronized", "the referenced
    ... resources do not exist") describes the defect's effect, and goes
    (cilium/cilium#47622)."""
    # only where the paragraph quotes the conditions as True ("`Programmed=True`"): a
    # controller's own message that says accepted-but (NGINX Gateway Fabric's "Gateway is
    # accepted, but ParametersRef is ignored") stays the reported fault
    heads = [s[:60] for s in said if _QUOTED_TRUE.search(s)]
    return [f for f in findings
            if f["cause"] == "controller_contradicts_spec" or not (
                f["object"].get("kind") == "Text" and
                any(h and h in " ".join(map(str, f["evidence"])) for h in heads))]


def _before_created(findings: list[dict[str, Any]], steps: list[str]) -> list[dict[str, Any]]:
    """A fault the steps' own words state ("referencing a missing Secret") describes the state
    before the referenced object was created: the steps say it was, so it goes (stale_status
    is the finding)."""
    if not steps:
        return findings
    return [f for f in findings if f["cause"] == "stale_status" or not (
        f["cause"] in _REFERENCE_TIME + ("gateway_class_not_accepted", "gateway_not_ready") and
        any(str(e) in steps for e in f["evidence"]))]


def _stale_when_said(findings: list[dict], said: list[str], causes, fix: str) -> list[dict]:
    """The reported verdicts of these causes recast as stale_status when the paste's
    sentences (said) contradict them."""
    if not said:
        return findings
    return [_recast(f, "stale_status", said, fix)
            if f["cause"] in causes and f["severity"] == "error" else f for f in findings]


_RECONCILED_FIX = (
    "the controller's verdict dates from when it translated the route; the paste says it "
    "worked once the controller reconciled again (an annotation on the Gateway, a restart): "
    "the objects were fixed since and the controller did not re-translate on that change. "
    "Make it reconcile (annotate the Gateway or route, or restart the controller) and upgrade "
    "it; if the error comes back, its message is current")


_DECIDING = {
    "500": "the route's ResolvedRefs condition (kubectl get httproute <name> -n <namespace> -o "
           "yaml: a reference that does not resolve gets 500) and, for an InferencePool "
           "backend, the endpoint picker's log (kubectl logs deploy/<pool>-epp)",
    "502": "the gateway's access log (response flags) and the backend pods' logs",
    "503": "the backend's endpoints (kubectl get endpointslices -l "
           "kubernetes.io/service-name=<service> -n <namespace>) and what the gateway "
           "rendered for it (its config dump or controller log)",
    "404": "the routes' hostnames and matches against the request (kubectl get httproute -A "
           "-o custom-columns=NAME:.metadata.name,HOSTNAMES:.spec.hostnames)",
}


def reports_failure(lines: list[str]) -> bool:
    """The text is about a gateway and says something fails."""
    prose = read(lines)
    return prose.gateway_talk and bool(prose.failure)


def unexplained(findings: list[dict], lines: list[str]) -> list[dict]:
    """An info finding when the paste reports a gateway failure that no condition, event or
    wording in it explains: the cause is not in the paste; the commands that would decide
    it, chosen by the HTTP status it shows."""
    # (a status read as not describing the object is an explanation too: foreign_status)
    if any(f["severity"] in ("error", "warning") or f["cause"] in ("stale_status",
                                                                     "empty_listener",
                                                                     "reconcile_after_delete",
                                                                     "proxy_not_provisioned",
                                                                     "control_plane_secret")
           for f in findings):
        return []
    prose = read(lines)
    if not (prose.gateway_talk and prose.failure):
        return []
    codes = list(dict.fromkeys(prose.status_codes))
    read_next = [_DECIDING[c] for c in codes if c in _DECIDING] or [
        "kubectl get gateway,httproute -A -o yaml (their conditions) and kubectl get events "
        "-A --field-selector type=Warning"]
    said = f" (HTTP {', '.join(codes)})" if codes else ""
    return [finding("info", "cause_unknown", _PASTE,
                    f"the paste reports a failure{said} that no controller condition, event "
                    "or known message in it explains: the cause is not in the paste",
                    list(dict.fromkeys(prose.failure))[:3],
                    "read " + "; ".join(read_next) + "; and the gateway controller's log",
                    basis="inferred", confirm=read_next[0])]


def _recast(f: dict, cause: str, evidence: list[str], fix: str) -> dict:
    return dict(f, cause=cause, evidence=list(dict.fromkeys(f["evidence"] + evidence))[:4],
                fix=fix)


def _stale_addresses(findings: list[dict], index, prose: Prose) -> list[dict]:
    """`gateway_no_address` while the same paste shows the address (the Gateway's own
    status.addresses, its LoadBalancer Service's ingress, or the user's words): the
    condition is stale, not the address missing."""
    unaddressed = [f for f in findings if f["cause"] == "gateway_no_address"]
    if not unaddressed:
        return findings
    names = {f["object"]["name"] for f in unaddressed if f["object"]["kind"] == "Gateway"}
    shown = list(prose.service_address)
    listed = set()  # Gateways whose own status lists an address while not Programmed
    for gw in index.of_kind("Gateway"):
        addresses = [a.get("value") for a in (gw.get("status") or {}).get("addresses") or []
                     if isinstance(a, dict) and a.get("value")]
        if addresses and not _programmed(gw):
            listed.add(("Gateway", *_ns_name(gw)))
            shown.append(f"Gateway {_name(gw)} lists status.addresses {', '.join(addresses)} "
                         "yet is not Programmed")
    for svc in index.of_kind("Service"):
        ingress = [i.get("ip") or i.get("hostname") for i in
                   ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
                   if isinstance(i, dict)]
        if any(ingress) and _serves(svc, names):
            shown.append(f"Service {_name(svc)} status.loadBalancer.ingress: "
                         f"{', '.join(i for i in ingress if i)}")
    if not shown:
        return findings
    out, done = [], set()
    for f in findings:
        key = (f["object"]["kind"], f["object"]["namespace"], f["object"]["name"])
        if f["cause"] == "gateway_not_ready" and key in listed and _cell_only(f):
            continue  # a table's PROGRAMMED False with no reason: the stale condition's echo
        if f["cause"] != "gateway_no_address":
            out.append(f)
            continue
        if key in done:
            continue
        done.add(key)
        out.append(dict(f, cause="stale_status", severity="error",
                        message="the Gateway says no address was assigned, but the paste "
                                "shows one: the condition is stale",
                        evidence=list(dict.fromkeys(f["evidence"] + shown))[:5],
                        fix=_STALE_ADDRESS_FIX))
    return out


def _cell_only(f: dict) -> bool:
    """A finding from a `kubectl get` cell alone: the condition has no reason or message."""
    return all("reason=None" in e and ":" not in e.split("reason=None", 1)[1]
               for e in f["evidence"][:1])


def _ns_name(obj: dict) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace") or "", meta.get("name") or ""


def _programmed(gw: dict) -> bool:
    return any(isinstance(c, dict) and c.get("type") == "Programmed" and
               str(c.get("status")) == "True"
               for c in (gw.get("status") or {}).get("conditions") or [])


def _serves(svc: dict, gateway_names: set[str]) -> bool:
    """The Service a Gateway controller made for one of these Gateways: labelled with its
    name, or named after it (Envoy Gateway envoy-<ns>-<name>-<hash>, Istio <name>-<class>,
    Cilium cilium-gateway-<name>)."""
    labels = (svc.get("metadata") or {}).get("labels") or {}
    if any(labels.get(k) in gateway_names for k in _GATEWAY_NAME_LABELS):
        return True
    name = (svc.get("metadata") or {}).get("name", "")
    return any(g and g in name for g in gateway_names)


def _name(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    return "/".join(p for p in (meta.get("namespace"), meta.get("name")) if p)
