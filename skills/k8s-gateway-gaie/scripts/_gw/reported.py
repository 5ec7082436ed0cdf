"""Findings the responsible controller reported: status conditions and Warning events.

GatewayClass, Gateway (and listener), route parent and InferencePool parent conditions, from
any implementation and API version (route `status.parents` since gateway-api v0.4,
`status.gateways` in v0.3; pool `status.parents` in GAIE v1, `status.parent` in v1alpha2,
`status.conditions` in v1alpha1). A controller's words are classified by _gw.messages; the
dump may then explain *which* reference failed (a pool of another API group, a Service
without that port, an object created after the status was written), never overrule it.
"""
from __future__ import annotations

from typing import Any

from k8s_skillkit.crd import absent_type_name, is_resource_type_absent
from k8s_skillkit.findings import finding

from _gw import (catalogue, default_conditions, foreign_status, informer_sync, orphan_parents,
                 rbac_denial)
from _gw.causes import fix_for, layer_of
from _gw.messages import (GENERIC_CONDITION, ROUTE_PARENT_TEXT, Verdict, absent_crd,
                          classify, match_condition_summary, match_denial, match_message,
                          match_quoted, match_reason_token, match_subject_condition,
                          reason_verdict, scope_of_text)
from _gw.api_refusal import match_refusal, match_webhook_fields, refusal_blocks, verdict_of
from _gw.webhook_refusal import POLICY_DENIED, match_webhook
from _gw.text_conditions import condition_blocks, reasons_named, scope_above
from _gw.objects import (LISTENERSET_KINDS, ROUTE_KINDS, backend_refs, cond_text,
                         holding_listener, is_current, meta, parent_refs, pod_ready,
                         service_ports)

ROUTE_STATUS_KINDS = ROUTE_KINDS + ("TLSRoute", "TCPRoute", "UDPRoute")
EVENT_KINDS = ("Gateway", "GatewayClass", "InferencePool") + ROUTE_STATUS_KINDS


def reported_findings(index) -> list[dict]:
    out = []
    for cls in index.of_kind("GatewayClass"):
        out += _conditions(cls, "class", (cls.get("status") or {}).get("conditions"))
    for gw in index.of_kind("Gateway"):
        out += _gateway(index, gw)
    for route in index.objects:
        if route.get("kind") in ROUTE_STATUS_KINDS:
            out += _route(index, route)
    for pool in index.of_kind("InferencePool"):
        out += _pool(pool)
    for obj in index.objects:
        out += _policy(obj)
    for backend in index.of_kind("Backend"):
        out += _eg_backend(backend)
    out += _events(index)
    return dedupe(_explained_by_listeners(index, _table_told_more(out)))


def _table_told_more(findings: list[dict]) -> list[dict]:
    """An empty ADDRESS cell only says the Gateway is unaddressed; when the same Gateway's
    own conditions (a describe or YAML in the same paste) name another Gateway-level
    cause, that condition is the controller's reason and the table cell its consequence."""
    said = {(f["object"]["namespace"], f["object"]["name"]) for f in findings
            if f["object"]["kind"] == "Gateway" and not f["message"].startswith(TABLE_NO_ADDRESS)
            and layer_of(f) in ("class", "gateway", "listener")}
    return [f for f in findings if not (f["message"].startswith(TABLE_NO_ADDRESS) and (
        f["object"]["namespace"], f["object"]["name"]) in said)]


def _explained_by_listeners(index, findings: list[dict]) -> list[dict]:
    """A route's 'no ready listeners' (EG) / 'invalid listener' (NGF) only echoes its
    Gateway's listener status; when that status names the cause, keep that one."""
    told = {(f["object"]["namespace"], f["object"]["name"]) for f in findings
            if f["object"]["kind"] == "Gateway" and f["cause"] not in GENERIC
            and layer_of(f) == "listener"}
    if not told:
        return findings
    out = []
    for f in findings:
        if f["cause"] == "listener_invalid" and f["object"]["kind"] in ROUTE_STATUS_KINDS:
            route = index.get(f["object"]["kind"], f["object"]["namespace"], f["object"]["name"])
            parents = {(r["namespace"], r["name"]) for r in parent_refs(route or {})}
            if parents & told:
                continue
        out.append(f)
    return out


# Condition types that say the object works in part: Envoy Gateway's policy Overridden=True
# beside Accepted=True ("overridden by another policy targeting a section within the same
# target", api/v1alpha1/shared_types.go:54@v1.9.0): a warning, ranked after any error
_PARTIAL_TYPES = frozenset({"Overridden"})


def _conditions(obj, scope, conditions, where: str = "", writer: str = "",
                refine=None) -> list[dict]:
    out = []
    for cond in conditions or []:
        if not isinstance(cond, dict) or not is_current(obj, cond):
            continue
        verdict = classify(scope, cond)
        if verdict is None:
            continue
        cause, extra = refine(cond, verdict) if refine else (verdict.cause, [])
        evidence = [cond_text(cond)] + ([f"written by {writer}"] if writer else []) + extra
        fix = verdict.hint if cause == verdict.cause and verdict.hint else fix_for(cause)
        reason = f" ({cond.get('reason')})" if cond.get("reason") else ""
        head = (f"{cond.get('type')}={cond.get('status')}{reason}"
                if "type" in cond or "status" in cond else
                "condition (paste cut before its Type/Status)")
        severity = "warning" if cond.get("type") in _PARTIAL_TYPES else "error"
        out.append(finding(severity, cause, obj, f"{where or obj.get('kind')} {head}",
                           evidence, fix, basis="reported"))
    return out


GENERIC = ("listener_invalid", "gateway_not_ready")


# A listener's ResolvedRefs and Conflicted say why it is not Accepted or Programmed (gateway-
# api ListenerConditionProgrammed: "the Listener ... is not programmed ... because of invalid
# or unresolved references"), so they are read first.
_LISTENER_CONDITION_ORDER = ("ResolvedRefs", "Conflicted", "Accepted")


def _listener_condition_order(cond) -> int:
    kind = cond.get("type") if isinstance(cond, dict) else None
    return _LISTENER_CONDITION_ORDER.index(kind) if kind in _LISTENER_CONDITION_ORDER \
        else len(_LISTENER_CONDITION_ORDER)


def listener_findings(obj: dict, entries) -> list[dict]:
    """What the controller wrote on each listener of a Gateway's or ListenerSet's
    `status.listeners[]` (both are ListenerEntryStatus-shaped in gateway-api v1.6)."""
    out = []
    for li in entries or []:
        if not isinstance(li, dict):
            continue
        conditions = li.get("conditions")
        if isinstance(conditions, list):  # the refs first: Programmed=False follows from them
            conditions = sorted(conditions, key=_listener_condition_order)
        found = _conditions(obj, "listener", conditions,
                            where=f"listener {li['name']}" if li.get("name") else "a listener")
        if any(f["cause"] not in GENERIC for f in found):  # say why, not only "invalid"
            found = [f for f in found if f["cause"] not in GENERIC]
        out += found
    return out


def _gateway(index, gw: dict) -> list[dict]:
    status = gw.get("status") or {}
    listeners = listener_findings(gw, status.get("listeners"))
    # conditions a controller that does not implement the class wrote: not a verdict
    foreign, conditions = foreign_status.disclaimed(gw, status.get("conditions"))
    # the CRD's default conditions left beside an address a controller wrote: not a verdict
    defaults, conditions = default_conditions.unwritten(gw, conditions)
    own = _conditions(gw, "gateway", conditions,
                      refine=lambda cond, v: _refine_gateway(index, gw, v))
    if foreign:
        own.append(foreign_status.finding_for(gw, foreign))
    if defaults:
        own.append(default_conditions.finding_for(gw, defaults))
    if listeners:  # the listener conditions say which listener and why: keep those
        own = [f for f in own if f["cause"] not in GENERIC]
    unaddressed = _table_without_address(gw)
    if unaddressed:  # the generic "not programmed" is this, said more precisely
        own = [f for f in own if f["cause"] not in GENERIC] + unaddressed
    return own + listeners


TABLE_NO_ADDRESS = "Gateway has no address (kubectl get gateway: ADDRESS empty"


def _table_without_address(gw: dict) -> list[dict]:
    """`kubectl get gateway` prints status.addresses in its ADDRESS column (Gateway API CRD
    additionalPrinterColumns): an empty cell beside PROGRAMMED False (or an older table
    without that column) is the controller not having assigned an address. Beside
    PROGRAMMED True it is only a warning: some controllers program a Gateway without
    listing an address (NGINX Gateway Fabric v1.1.0 internal/mode/static/build_statuses.go
    sets Programmed from the nginx reload and the addresses it finds, possibly none:
    nginx/nginx-gateway-fabric#1511), others set Programmed before the LoadBalancer
    Service has one (Cilium: cilium/cilium#39322)."""
    if gw.get("_source") != "table" or (gw.get("status") or {}).get("addresses"):
        return []
    cells = gw.get("_columns") or {}
    state = cells.get("PROGRAMMED") or cells.get("READY") or "?"
    if cells.get("CLASS") in _IN_MESH_CLASSES and state != "True":
        return [_waypoint_unprogrammed(gw, cells, state)]
    return [finding("warning" if state == "True" else "error", "gateway_no_address", gw,
                    f"{TABLE_NO_ADDRESS}, PROGRAMMED {state})",
                    [f"kubectl get gateway: {meta(gw, 'name')} CLASS "
                     f"{cells.get('CLASS', '?')} ADDRESS <empty> PROGRAMMED {state}"],
                    fix_for("gateway_no_address"), basis="reported")]


# Istio's waypoint classes deploy a ClusterIP Service and a Deployment named after the Gateway
# itself (pilot/pkg/config/kube/gatewaycommon/classinfo.go: DefaultServiceType ClusterIP,
# DisableNameSuffix), so no load balancer is involved: a waypoint without an address is one
# istiod did not deploy. It leaves alone a Deployment or Service of that name it does not
# manage (deploymentcontroller.go canManage: no gateway.istio.io/managed label), e.g. the app
# the waypoint was named after (istio/istio#51294: a waypoint `httpbin` beside the httpbin
# sample).
_IN_MESH_CLASSES = ("istio-waypoint", "agentgateway-waypoint")


def _waypoint_unprogrammed(gw: dict, cells: dict, state: str) -> dict:
    name = meta(gw, "name")
    return finding("error", "gateway_not_ready", gw,
                   f"waypoint {name} is not programmed (PROGRAMMED {state}, no address): istiod "
                   "deploys a waypoint as a ClusterIP Service and Deployment named after the "
                   "Gateway, so an empty address means it did not deploy them; most often a "
                   f"Deployment or Service named {name} already exists that it does not manage "
                   "(the application the waypoint was named after), which it leaves alone",
                   [f"kubectl get gateway: {name} CLASS {cells.get('CLASS')} ADDRESS <empty> "
                    f"PROGRAMMED {state}"],
                   "give the waypoint a name no Deployment or Service in the namespace has "
                   "(istioctl waypoint apply --name <name>-waypoint), or remove the clashing "
                   "object; kubectl describe gateway shows istiod's Programmed message",
                   basis="reported",
                   confirm=f"kubectl get deploy,svc {name} -n {meta(gw, 'namespace') or '<ns>'} "
                           "--show-labels (no gateway.istio.io/managed label: not istiod's)")


def _refine_gateway(index, gw: dict, verdict) -> tuple[str, list[str]]:
    """'Waiting for controller' on a Gateway whose gatewayClassName names no class (the
    GatewayClasses are listed in full): nothing will ever serve it, the class name is wrong."""
    if verdict.cause != "no_controller":
        return verdict.cause, []
    cls = (gw.get("spec") or {}).get("gatewayClassName", "")
    found = index.presence("GatewayClass", "", cls)
    if found.absent:
        names = sorted(meta(c, "name") for c in index.of_kind("GatewayClass"))
        return "gateway_class_not_found", [
            f"gatewayClassName {cls} names no GatewayClass; classes: "
            f"{', '.join(names[:8]) or 'none'}"]
    return verdict.cause, []


def _route(index, route: dict) -> list[dict]:
    status = route.get("status") or {}
    # an entry for a parent the spec no longer names is a leftover: its conditions are not
    # the route's state (_gw/orphan_parents.py)
    leftovers = orphan_parents.orphaned(route)
    out = [orphan_parents.finding_for(route, leftovers)] if leftovers else []
    for entry in (status.get("parents") or []) + (status.get("gateways") or []):
        if any(entry is e for e in leftovers):
            continue
        ref = entry.get("parentRef") or entry.get("gatewayRef") or {}
        where = (f"parent {ref.get('kind', 'Gateway')} "
                 f"{ref.get('namespace') or meta(route, 'namespace')}/{ref['name']}"
                 if ref.get("name") else "parent")
        out += _conditions(route, "route", entry.get("conditions"), where,
                           entry.get("controllerName", ""),
                           refine=lambda cond, v, ref=ref: _refine_route(index, route, ref,
                                                                         cond, v))
    return out


def _refine_route(index, route: dict, ref: dict, cond: dict, verdict) -> tuple[str, list[str]]:
    """NoMatchingParent for a Gateway parentRef whose sectionName is a listener of one of
    that Gateway's ListenerSets: the route must name the ListenerSet (gateway-api v1.6.1
    conformance ListenerSetGatewayParentSectionNameNotFound)."""
    if verdict.cause == "parent_not_found" and ref.get("sectionName") and \
            (ref.get("kind") or "Gateway") == "Gateway":
        gw = index.get("Gateway", ref.get("namespace") or meta(route, "namespace"),
                       ref.get("name", ""))
        elsewhere = holding_listener(index, gw, ref["sectionName"]) if gw is not None else []
        if elsewhere:
            return verdict.cause, [f"listener {ref['sectionName']} is in "
                                   f"{', '.join(elsewhere)}: a Gateway parentRef reaches only "
                                   "the Gateway's own listeners; name the ListenerSet "
                                   "(parentRefs[] kind ListenerSet, group "
                                   f"{LISTENERSET_KINDS[elsewhere[0].split()[0]]})"]
    return refine_backend(index, route, cond, verdict)


def _is_default_parent(ref: dict) -> bool:
    """The synthetic entry GAIE v1alpha2 CRDs default into status (`parentRef: {}` or
    `{kind: Status, name: default}`, "Waiting for controller"); it lingers after a real
    parent is added (gateway-api-inference-extension#830)."""
    return not ref or (ref.get("kind") == "Status" and ref.get("name") == "default")


def _pool(pool: dict) -> list[dict]:
    status = pool.get("status") or {}
    entries = (status.get("parents") or []) + (status.get("parent") or [])
    real = [e for e in entries if not _is_default_parent(e.get("parentRef") or {})]
    out = []
    for entry in real or entries:
        ref = entry.get("parentRef") or entry.get("gatewayRef") or {}
        where = ("no parent yet" if _is_default_parent(ref)
                 else f"parent {ref.get('kind', 'Gateway')} {ref.get('name')}")
        out += _conditions(pool, "pool", entry.get("conditions"), where,
                           entry.get("controllerName", ""))
    out += _conditions(pool, "pool", status.get("conditions"))
    return out


def _eg_backend(obj: dict) -> list[dict]:
    """An Envoy Gateway Backend's own status. A refusal is a False condition of type Accepted
    or Invalid: EG's Accepted condition (api/v1alpha1/backend_types.go:253-272@v1.8.1) is
    written with type and reason swapped when it refuses (status/backend.go:36-38 passes
    BackendReasonInvalid as newCondition's type: `type: Invalid, reason: Accepted, status:
    "False"`, message `The Backend was not accepted: <why>`, internal/gatewayapi/backend.go
    :28-34). Its message is read with the text wordings; any other refusal is the Backend
    unresolved for every route to it (references/causes.md backend_unresolved)."""
    if not str(obj.get("apiVersion") or "").startswith("gateway.envoyproxy.io/"):
        return []
    out = []
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if not isinstance(cond, dict):
            continue
        message = " ".join(str(cond.get("message") or "").split())
        verdict = match_message("text", message)
        if verdict is None and _eg_backend_refused(cond) and is_current(obj, cond):
            verdict = Verdict("backend_unresolved", "backend", "eg-backend-not-accepted",
                              hint=_EG_BACKEND_REFUSED_HINT)
        if verdict is not None:
            out.append(finding("error", verdict.cause, obj, "Backend not accepted by Envoy "
                               "Gateway", [cond_text(cond)], verdict.hint or
                               fix_for(verdict.cause), basis="reported"))
    return out


_EG_BACKEND_REFUSED_HINT = ("Envoy Gateway refused this Backend for what its message names: fix "
                            "that field of the Backend's spec; every route whose backendRef "
                            "names it stays unresolved (ResolvedRefs=False) until then")


def _eg_backend_refused(cond: dict[str, Any]) -> bool:
    return str(cond.get("status")) == "False" and \
        str(cond.get("type") or "") in ("Accepted", "Invalid")


def _policy(obj: dict) -> list[dict]:
    """A policy's status per ancestor (GEP-713 PolicyAncestorStatus, gateway-api
    apis/v1alpha2/policy_types.go: status.ancestors[].{ancestorRef, controllerName,
    conditions}); any kind that carries one (Envoy Gateway BackendTrafficPolicy,
    ClientTrafficPolicy, SecurityPolicy; BackendTLSPolicy; kgateway TrafficPolicy, ...)."""
    status = obj.get("status") if isinstance(obj, dict) else None
    ancestors = status.get("ancestors") if isinstance(status, dict) else None
    if not obj.get("kind") or not isinstance(ancestors, list):
        return []
    out = []
    for entry in ancestors:
        if not isinstance(entry, dict):
            continue
        ref = entry.get("ancestorRef") or {}
        where = (f"ancestor {ref.get('kind', 'Gateway')} {ref.get('name')}"
                 if isinstance(ref, dict) and ref.get("name") else "ancestor")
        out += _conditions(obj, "policy", entry.get("conditions"), where,
                           entry.get("controllerName", ""))
    return out


def _events(index) -> list[dict]:
    out = []
    for event in index.of_kind("Event"):
        ref = event.get("involvedObject") or event.get("regarding") or {}
        if ref.get("kind") not in EVENT_KINDS or event.get("type") != "Warning":
            continue
        text = str(event.get("message") or event.get("note") or "")
        verdict = classify("event:" + ref["kind"], {"reason": event.get("reason"),
                                                    "message": text})
        obj = {"kind": ref.get("kind"), "name": ref.get("name"),
               "namespace": ref.get("namespace") or meta(event, "namespace")}
        source = (event.get("source") or {}).get("component") or \
            event.get("reportingController") or event.get("reportingComponent") or ""
        # A Warning whose wording no pattern knows is quoted, not ranked as the cause.
        known = not verdict.pattern.startswith("event:")
        out.append(finding("error" if known else "info", verdict.cause, obj,
                           f"Warning event {event.get('reason')}"
                           + (f" from {source}" if source else ""),
                           [" ".join(text.split())[:300]],
                           verdict.hint or fix_for(verdict.cause), basis="reported"))
    return out


def dedupe(findings: list[dict]) -> list[dict]:
    """One finding per (cause, object): a Gateway's Accepted and Programmed both 'Waiting for
    controller', or a route refused by two parents, is one fault with more evidence."""
    kept: dict[tuple, dict] = {}
    for f in findings:
        o = f["object"]
        key = (f["cause"], o["kind"], o["namespace"], o["name"])
        if key not in kept:
            kept[key] = f
            continue
        for line in f["evidence"]:
            if line not in kept[key]["evidence"]:
                kept[key]["evidence"].append(line)
    return list(kept.values())


# --- which reference did the controller fail to resolve? ------------------------------------

def refine_backend(index, route: dict, cond: dict, verdict) -> tuple[str, list[str]]:
    """Name the failing backendRef from the dump when the controller's words allow it.

    A "not found" for an InferencePool the dump holds under another API group is a group
    mismatch; one the dump holds in the same group is a pool the controller does not serve
    (or, if the pool is newer than the condition, a status not refreshed since). A "not found"
    for a Service the dump holds with other ports is the port.
    """
    refs = [ref for _, ref in backend_refs(route)]
    if verdict.cause == "backend_no_endpoints":
        return verdict.cause, _endpoint_pods(index, _named_refs(refs, verdict.subject))
    if verdict.cause == "unsupported_backend_kind":
        # A pool the dump holds under the other API group: the refused group is the route's
        # mistake, not missing pool support (Envoy Gateway with Envoy AI Gateway serves v1
        # pools and refuses the alpha group with InvalidKind).
        for ref in refs:
            if ref["kind"] == "InferencePool":
                cause, note = _explain_pool(index, ref, cond, verdict)
                if cause == "inference_api_version_mismatch":
                    return cause, [note]
        return _unsupported_pool(refs, verdict, str(cond.get("message") or ""))
    if verdict.cause not in ("backend_not_found", "backend_unresolved"):
        return verdict.cause, []
    named = _named_refs(refs, verdict.subject)
    for ref in named or refs:
        cause, note = _explain_ref(index, ref, cond, verdict)
        if cause:
            return cause, [note]
    return verdict.cause, []


def _endpoint_pods(index, refs: list[dict]) -> list[str]:
    """Which pods the Service with no ready endpoint selects, when the dump lists them."""
    notes = []
    for ref in refs[:1]:
        svc = index.get("Service", ref["namespace"], ref["name"])
        selector = ((svc or {}).get("spec") or {}).get("selector")
        if not selector or not index.listed("Pod", ref["namespace"]):
            continue
        pods = index.pods(ref["namespace"], selector)
        ready = [p for p in pods if pod_ready(p)]
        labels = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
        notes.append(f"Service {ref['namespace']}/{ref['name']} selects {labels}: "
                     f"{len(pods)} pod(s) match, {len(ready)} Ready")
    return notes


def _unsupported_pool(refs: list[dict], verdict, message: str) -> tuple[str, list[str]]:
    """An implementation that rejects the backend's group/kind, on a route whose backends are
    InferencePools, does not serve InferencePool (e.g. Envoy Gateway without the AI Gateway
    extension: 'Group is invalid, only the core API group ... are supported')."""
    pools = [r for r in refs if r["kind"] == "InferencePool"]
    others = [r for r in refs if (r["group"], r["kind"]) not in (("", "Service"),)
              and r["kind"] != "InferencePool"]
    if pools and not others and "ExternalName" not in message:
        return "inference_pool_unsupported", [
            f"the route's backends include InferencePool {pools[0]['namespace']}/"
            f"{pools[0]['name']} ({pools[0]['group']}), a kind this controller refuses"]
    return verdict.cause, []


def _named_refs(refs: list[dict], subject: dict) -> list[dict]:
    name = subject.get("name") or (subject.get("host") or "").split(".")[0]
    if not name:
        return []
    name = name.rsplit("/", 1)[-1]
    kind = subject.get("kind")
    return [r for r in refs if r["name"] == name and (not kind or r["kind"] == kind)]


def _explain_ref(index, ref: dict, cond: dict, verdict) -> tuple[str, str]:
    if ref["kind"] == "InferencePool":
        return _explain_pool(index, ref, cond, verdict)
    if (ref["group"], ref["kind"]) != ("", "Service"):
        return "", ""
    svc = index.get("Service", ref["namespace"], ref["name"], "")
    if svc is None:
        return "", ""
    ports = service_ports(svc)
    if ref["port"] is not None and ref["port"] not in ports:
        return "port_mismatch", (f"the dump holds Service {ref['namespace']}/{ref['name']} "
                                 f"with ports {ports}: port {ref['port']} is what failed")
    if _newer(svc, cond):
        return "stale_status", (f"Service {ref['namespace']}/{ref['name']} was created "
                                f"{meta(svc, 'creationTimestamp')}, after this condition")
    return "", ""


def _explain_pool(index, ref: dict, cond: dict, verdict) -> tuple[str, str]:
    pools = [p for p in index.of_kind("InferencePool")
             if meta(p, "name") == ref["name"] and meta(p, "namespace") == ref["namespace"]]
    same = [p for p in pools if _group(p) == ref["group"]]
    if pools and not same:
        return "inference_api_version_mismatch", (
            f"the route asks for group {ref['group'] or '(core)'}; InferencePool "
            f"{ref['namespace']}/{ref['name']} is {pools[0].get('apiVersion')}")
    if not same:
        return "", ""
    if _newer(same[0], cond):
        return "stale_status", (f"InferencePool {ref['name']} was created "
                                f"{meta(same[0], 'creationTimestamp')}, after this condition")
    if verdict.pattern in ("pool-not-found", "backend-not-found", "reason:BackendNotFound"):
        return "inference_pool_unsupported", (
            f"InferencePool {ref['namespace']}/{ref['name']} ({same[0].get('apiVersion')}) is "
            "in the dump, yet the controller does not see it: it does not serve this API "
            "version, or its inference support is off")
    return "", ""


def _pool_in_other_group(index, ref: dict) -> bool:
    return any(meta(p, "name") == ref["name"] and meta(p, "namespace") == ref["namespace"]
               and _group(p) != ref.get("group", "") for p in index.of_kind("InferencePool"))


def _group(obj: dict) -> str:
    api = str(obj.get("apiVersion", ""))
    return api.rsplit("/", 1)[0] if "/" in api else ""


def _newer(obj: dict, cond: dict) -> bool:
    created, written = meta(obj, "creationTimestamp"), cond.get("lastTransitionTime")
    return bool(created and written) and str(created) > str(written)



def text_findings(lines, raw=None) -> list[dict]:
    """Reported findings from a text paste: EPP log lines and the gateway's own answers
    (`raw`: the paste as written, kubectl command lines kept, to tell whose condition a
    pasted one is)."""
    hits = []
    decided = {**_decided_conditions(lines, raw or lines), **_refusals(lines)}
    for i, line in enumerate(lines or []):
        if i in decided:
            if decided[i] is not None:
                hits.append(decided[i])
            continue
        text = " ".join(str(line).replace('\\"', '"').split())  # JSON-escaped quotes in logs
        verdict = _decided_in_line(text) or match_refusal(text) or (
            absent_crd(absent_type_name(text), text)
                   if is_resource_type_absent(text) else None) or match_webhook(text) or \
            match_denial(text) or match_webhook_fields(text) or \
            match_message("text", text)
        structured = catalogue.read_structured(text) if verdict is None else None
        if structured is not None and structured.fault and \
                structured.reason in ROUTE_PARENT_REASONS:
            verdict = _verdict(structured)  # `NoMatchingParent: port 8443 not found`
        verdict = verdict or match_quoted(text, reason_tokens=False)
        if verdict is None:
            row = catalogue.read_line(text)
            if row is not None and not row.fault:
                continue        # a healthy wording (`Accepted: Route is accepted`)
            verdict = _verdict(row) if row is not None else None
        verdict = verdict or match_condition_summary(text) or match_reason_token(text) or \
            match_subject_condition(text) or _whole_line(text)
        if verdict is not None:
            hits.append((verdict, line))
    # a wording names the fault; a bare reason name only its class; a condition without its
    # reason only its subject's: in that order
    hits.sort(key=lambda hit: (hit[0].pattern.startswith(GENERIC_CONDITION),
                               hit[0].pattern.startswith("reason-token:"),
                               hit[0].pattern.startswith(WHOLE_LINE)))
    # a reasonless condition says less than any line that names a reason in its layer
    named = {v.layer for v, _ in hits if not v.pattern.startswith(GENERIC_CONDITION)}
    hits = [(v, line) for v, line in hits
            if not (v.pattern.startswith(GENERIC_CONDITION) and v.layer in named)]
    # a whole line read as a wrapper wording says less than its paragraph read whole
    # (`Failed build model due to %s` over a line a terminal cut before the specific part)
    read_whole = [str(line) for v, line in hits if not v.pattern.startswith(WHOLE_LINE)]
    hits = [(v, line) for v, line in hits if not v.pattern.startswith(WHOLE_LINE)
            or not any(str(line).strip() in other for other in read_whole)]
    # an admission policy's refusal a terminal or an editor wrapped: its message and the
    # object it refused are read from the paragraph, not from the line that holds its name
    hits = [(v, line) for v, line in hits if not v.pattern.startswith(POLICY_DENIED) or not any(
        other.pattern.startswith(POLICY_DENIED) and str(line).strip() in str(whole)
        and len(str(whole)) > len(str(line)) for other, whole in hits)]
    hits = rbac_denial.reassign(hits, lines)  # a controller's ServiceAccount named: its own RBAC
    # an endpoint picker's kinds refused beside kinds no picker touches: one controller's
    # ServiceAccount (a pool-managing controller lists InferencePools too), not the picker's
    if any(v.cause == "controller_forbidden" for v, _ in hits):
        hits = [(v, line) for v, line in hits if v.pattern != "epp-forbidden"]
    out, seen = [], set()
    for verdict, line in hits:
        if verdict.cause in seen:
            continue
        seen.add(verdict.cause)
        generic = verdict.pattern.startswith(GENERIC_CONDITION)
        severity = "warning" if verdict.cause in WARNING_CAUSES else "error"
        out.append(finding(severity, verdict.cause, {"kind": "Text", "name": "paste"},
                           REASONLESS if generic else "the pasted output says so",
                           [str(line).strip()[:300]], verdict.hint or fix_for(verdict.cause),
                           basis="reported", confirm=_REASON_COMMAND if generic else ""))
    return out + informer_sync.sync_timeout_findings(lines)


# the scopes whose every condition is the object's own: a GatewayClass has only
# status.conditions (gateway-api v1.6.3 apis/v1/gatewayclass_types.go GatewayClassStatus);
# a Gateway's or ListenerSet's paste holds its listeners' conditions too, a route's and a
# pool's are per parent, so `kubectl get gateway` above a condition does not say whose it is
_WHOLE_STATUS = ("class",)


def _decided_conditions(lines, raw) -> dict[int, tuple[Verdict, str] | None]:
    """The lines of each condition pasted as text whose reason decides (RefNotPermitted), or
    of a policy's condition (any reason): its first line carries the condition's verdict and
    the condition as evidence, the others nothing (its message is not read on its own)."""
    out: dict[int, tuple[Verdict, str] | None] = {}
    cursor = 0
    for indices, cond in condition_blocks(lines or []):
        # its longest line (the message, most often) finds it in the paste as written
        at = _position_in(raw, max((str(lines[i]) for i in indices), key=len), cursor)
        cursor = at if at >= 0 else cursor
        if cond.get("status") == "True":
            continue
        # a policy's condition under its own `kubectl describe <kind>Policy` (Envoy Gateway's
        # EnvoyExtensionPolicy Accepted=False Invalid): its reasons are a policy's (GEP-713)
        whose = scope_above(raw, at) if at >= 0 else ""
        if whose == "policy":
            verdict = classify("policy", {"type": "Accepted", "status": "False", **cond})
        else:
            verdict = reason_verdict(cond["reason"], scope_of_text(cond.get("message", "")),
                                     cond.get("message", ""))
        if verdict is None and whose in _WHOLE_STATUS and cond.get("type") and \
                cond.get("status"):
            # a whole condition under the command that printed it (`kubectl get gatewayclass
            # X -o yaml`): its reason is read on that kind, as from the parsed object
            # (cilium/cilium#42956: a GatewayClass's Accepted=False InvalidParameters under
            # its `kubectl get gatewayclass` line, with nothing else naming the kind)
            verdict = classify(whose, cond)
        if verdict is None and _route_parent_condition(cond):
            # a whole condition whose message names a route's backendRef (EG's `Failed to
            # process route rule N backendRef M: ...`) is a route parent's, read as from the
            # parsed status (envoyproxy/gateway#6659: ResolvedRefs=False InvalidBackendTLS,
            # a reason no line rule names, pasted as an indented list item)
            verdict = classify("route", cond)
        if verdict is not None:
            out.update(dict.fromkeys(indices))
            out[min(indices)] = (verdict, cond_text(cond))
    return out


def _route_parent_condition(cond: dict[str, Any]) -> bool:
    """A condition with its type, status and reason whose message says it is a route
    parent's (messages.ROUTE_PARENT_TEXT); only a False one is a problem (classify)."""
    return bool(cond.get("type") and cond.get("status") and
                ROUTE_PARENT_TEXT.search(str(cond.get("message") or "")))


def _position_in(raw, line: str, start: int) -> int:
    """Where `line` stands in the paste as written, from `start` on (-1: not there)."""
    wanted = line.strip()
    return next((i for i in range(start, len(raw or [])) if str(raw[i]).strip() == wanted), -1)


def _refusals(lines) -> dict[int, tuple[Verdict, str] | None]:
    """The lines of each API validation refusal of a Gateway API object (a head line and the
    `* FIELD: ...` lines kubectl prints under it): its first line carries the verdict."""
    out: dict[int, tuple[Verdict, str] | None] = {}
    for indices, refusal in refusal_blocks(lines or []):
        verdict = verdict_of(refusal)
        if verdict is not None:
            out.update(dict.fromkeys(indices))
            out[min(indices)] = (verdict, refusal.quote)
    return out


def _decided_in_line(text: str) -> Verdict | None:
    """A line that holds a whole condition (a paragraph joined from its lines) whose reason
    decides."""
    for reason in reasons_named(text):
        verdict = reason_verdict(reason, scope_of_text(text), text)
        if verdict is not None:
            return verdict
    return None


# A condition quoted without its reason: the reason and message decide the fix.
REASONLESS = ("the paste quotes the controller's condition without its reason: the object is "
              "not accepted or not programmed; its reason and message say why")
_REASON_COMMAND = ("kubectl get gateway,httproute -A -o yaml (status.conditions, "
                   "status.listeners[].conditions, status.parents[].conditions)")


# a route parent's reasons: its message is about the parent, whatever words it uses
ROUTE_PARENT_REASONS = frozenset({"NoMatchingParent", "NotAllowedByListeners",
                                  "NoMatchingListenerHostname"})


WHOLE_LINE = "whole-line:"
# what the paste says that does not stop traffic by itself: the controller's status write
# refused leaves the status stale, the spec may still be served
WARNING_CAUSES = frozenset({"status_update_rejected"})


def _whole_line(text: str) -> Verdict | None:
    row = catalogue.whole_line(text)
    return Verdict(row.cause, row.layer, f"{WHOLE_LINE}{row.component}:{row.rid}") \
        if row is not None else None


def _verdict(row: catalogue.Row) -> Verdict:
    """A catalogue row (another version's or implementation's wording) as a verdict."""
    return Verdict(row.cause, row.layer, f"catalogue:{row.component}:{row.rid}")


def absent_crd_findings(absent, index) -> list[dict]:
    """Live mode: CRDs the API server does not serve. Gateway API missing is the answer by
    itself; an InferencePool group missing matters when a route points at that group."""
    absent = set(absent or ())
    out = []
    gw_missing = sorted(r for r in absent if r.endswith(".gateway.networking.k8s.io")
                        and r.split(".")[0] in ("gateways", "httproutes"))
    if gw_missing:
        verdict = absent_crd(gw_missing[0], gw_missing[0])
        out.append(finding("error", "crd_not_installed",
                           {"kind": "CustomResourceDefinition", "name": gw_missing[0]},
                           "the API server does not serve the Gateway API",
                           [f"kubectl get {r}: the server doesn't have this resource type"
                            for r in gw_missing], verdict.hint, basis="reported"))
    wanted = {}
    for route in index.objects:
        if route.get("kind") in ROUTE_STATUS_KINDS:
            for _, ref in backend_refs(route):
                # A pool of that name served under the other group: the route names the
                # wrong group (inference_api_version_mismatch), installing CRDs is no fix.
                if ref["kind"] == "InferencePool" and not _pool_in_other_group(index, ref):
                    wanted.setdefault(ref.get("group", ""), []).append(
                        f"{route['kind']} {meta(route, 'namespace')}/{meta(route, 'name')}")
    for group, routes in sorted(wanted.items()):
        resource = f"inferencepools.{group}"
        if resource not in absent:
            continue
        verdict = absent_crd(resource, resource)
        out.append(finding("error", "crd_not_installed",
                           {"kind": "CustomResourceDefinition", "name": resource},
                           f"{', '.join(sorted(set(routes))[:3])} point(s) at InferencePools "
                           f"of {group}, which the API server does not serve",
                           [f"kubectl get {resource}: the server doesn't have this resource "
                            "type"], verdict.hint, basis="reported"))
    return out
