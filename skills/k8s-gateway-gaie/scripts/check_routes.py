#!/usr/bin/env python3
"""Find why Gateway API routes and InferencePools drop traffic, live or from a dump."""
from __future__ import annotations

import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

from k8s_skillkit.cli import make_parser, run, shape_errors_as_input
from k8s_skillkit.dump import Dump
from k8s_skillkit.errors import InputError
from k8s_skillkit import fences
from k8s_skillkit.event_table import unwrap_free_text
from k8s_skillkit.findings import exit_code, finding, render_text
from k8s_skillkit.prose import ProseOnly, is_report, refuse_unless_report, report_lines
from k8s_skillkit.loading import (ResourceTypeAbsent, kubectl_get,
                                  parse_documents, parse_paste, read_text)

from _gw.messages import ROUTE_ONLY_REASONS, is_problem
from _gw.objects import (GW_GROUP, LISTENERSET_KINDS, ROUTE_KINDS, Index, backend_refs,
                         group_of, is_listenerset, listenerset_parent, meta, parent_refs)
from _gw.reported import absent_crd_findings, reported_findings, text_findings
from _gw import accepted_refused, catalogue, crd_versions, epp_config, nack, pasted_conditions
from _gw import attach_count, epp_datastore, fatal_log, host_header, manifest_mismatch, orphan_parents
from _gw.contradicts import spec_contradictions
from _gw import backend_tls_guess, deleted_object, istio_listener_names, listener_unique
from _gw import older_bundle, proxy_service, superseded
from _gw import channel_fields, leader_status, supported_kinds
from _gw import informer_sync, istio_vhosts, regex_match
from _gw import eg_envoy_secret
from k8s_skillkit.logged_events import events_from_logs
from _gw import prose as _gw_prose
from _gw.rules_class import check_gateway_class
from _gw.rules_objective import check_objective, is_llmd_objective
from _gw.rules_listenerset import check_listenerset
from _gw.rules_listenerset import reported as listenerset_reported
from _gw.rules_pool import (check_gateway, check_outdated, check_pool, fragment_findings,
                            is_alpha)
from _gw.rules_route import check_route
from _gw.verdict import merge

EPILOG = """examples:
  check_routes.py -n llm                  # live: routes + pools in namespace llm
  check_routes.py -A --json               # live: every namespace, machine-readable
  kubectl get gatewayclasses,gateways,httproutes,grpcroutes,referencegrants,inferencepools,\
      services,pods,namespaces,events -A -o yaml > dump.yaml && check_routes.py -f dump.yaml
  check_routes.py -f dump.yaml --route llm/chat   # one route (NAMESPACE/NAME or NAME)

Evidence first: the conditions a controller wrote (GatewayClass, Gateway, listeners, route
parents, InferencePool parents, policy ancestors; Envoy Gateway, Istio, GKE, NGINX Gateway
Fabric, kgateway, Cilium, Contour, Traefik, AWS, ...) and its Warning events are findings
with basis "reported" and come first;
what is deduced from the specs has basis "inferred", names the command that confirms it, and
never contradicts a controller. An object missing from a pasted dump is "not in the dump"
(info), unless the dump lists that kind in full (kind: List) or the check runs live.
Text lines in a paste (curl output, endpoint-picker logs) are read too.

causes (references/causes.md): crd_not_installed no_controller gateway_class_not_found
  gateway_class_not_accepted crd_version_unsupported manifest_api_mismatch
  controller_forbidden missing_permission admission_webhook_denied
  status_update_rejected controller_contradicts_spec gateway_no_address
  gateway_not_ready gateway_name_too_long
  listener_certificate_invalid listener_conflict listener_invalid xds_config_rejected
  parent_not_found
  not_allowed_by_listener hostname_mismatch route_hostname_conflict request_not_routed
  route_not_accepted
  backend_not_found backend_no_endpoints backend_health_check_failing
  ref_not_permitted port_mismatch
  unsupported_backend_kind backend_unresolved backend_target_type_mismatch stale_status
  inference_api_version_mismatch
  inference_pool_unsupported endpoint_picker_missing endpoint_picker_misconfigured
  pool_not_accepted pool_pods_not_ready pool_saturated pool_selects_no_pods
  pool_target_port_mismatch request_body_invalid no_timeouts listenerset_not_allowed
  listenerset_parent_not_accepted listenerset_invalid listenerset_not_reconciled
  objective_pool_not_found policy_target_not_found policy_conflicted policy_invalid
  (info: no_tls outdated_inference_api not_in_dump not_checked cause_unknown not_evaluated
  reconcile_after_delete proxy_not_provisioned control_plane_secret)
exit: 0 nothing wrong, 1 findings (warning or error), 2 bad usage/input."""

# (resource, kind, required): required ones must answer, or the cluster is not reachable.
NAMESPACED = [("services", "Service", True), ("pods", "Pod", False),
              ("events", "Event", False),
              ("httproutes.gateway.networking.k8s.io", "HTTPRoute", False),
              ("grpcroutes.gateway.networking.k8s.io", "GRPCRoute", False),
              ("gateways.gateway.networking.k8s.io", "Gateway", False),
              ("referencegrants.gateway.networking.k8s.io", "ReferenceGrant", False),
              ("listenersets.gateway.networking.k8s.io", "ListenerSet", False),
              # Gateway API v1.3.0-v1.4.x experimental channel (v1.5.0 dropped it)
              ("xlistenersets.gateway.networking.x-k8s.io", "XListenerSet", False),
              ("inferencepools.inference.networking.k8s.io", "InferencePool", False),
              ("inferencepools.inference.networking.x-k8s.io", "InferencePool", False),
              ("inferencemodels.inference.networking.x-k8s.io", "InferenceModel", False),
              ("inferenceobjectives.inference.networking.x-k8s.io", "InferenceObjective", False),
              ("inferenceobjectives.llm-d.ai", "InferenceObjective", False),
              # an endpoint picker's EndpointPickerConfig (its --config-file) lives in one
              ("configmaps", "ConfigMap", False)]
CLUSTER = [("gatewayclasses.gateway.networking.k8s.io", "GatewayClass"),
           ("namespaces", "Namespace")]
FOREIGN = {"Service", "Gateway", "ReferenceGrant", "InferencePool", "Pod", "Event"}


def _fetch(resource, namespace, all_ns, required, notes, absent) -> Dump | None:
    """One live listing (marked full by the kit); None when an optional CRD is absent."""
    if resource in absent:
        return None
    try:
        return kubectl_get(resource, namespace=namespace, all_namespaces=all_ns)
    except ResourceTypeAbsent:
        if required:
            raise
        absent.append(resource)
        return None  # optional CRD not installed: nothing of that kind exists
    except InputError as err:
        if required:
            raise
        notes.append(f"skipped {resource}: {err}")  # e.g. Forbidden: proves nothing
        return None


def read_live(namespace: str | None, all_ns: bool, notes: list, absent: list) -> Dump:
    dump = Dump(live=True, forms=["live"])
    primary = None if all_ns else (namespace or "default")
    scopes, seen = [primary], set()
    while scopes:
        ns = scopes.pop(0)
        seen.add(ns)
        for resource, kind, required in NAMESPACED:
            if ns != primary and kind not in FOREIGN:
                continue  # a referenced namespace: only what the references can point at
            got = _fetch(resource, ns, ns is None, required, notes, absent)
            if got is not None:
                dump = dump + got
        if ns == primary and ns is not None:
            scopes += sorted(_referenced(dump) - seen - set(scopes))
    for resource, _kind in CLUSTER:
        got = _fetch(resource, None, False, False, notes, absent)
        if got is not None:
            dump = dump + got
    return dump


def _referenced(objects) -> set[str]:
    out = set()
    for obj in objects:
        if obj.get("kind") in ROUTE_KINDS:
            out |= {r["namespace"] for r in parent_refs(obj)}
            out |= {r["namespace"] for _, r in backend_refs(obj)}
    return out


def _in_scope(obj, args) -> bool:
    if args.route:
        return True  # narrowed by _related
    if args.file or args.all_namespaces:
        return not args.namespace or meta(obj, "namespace") in (args.namespace, "")
    return meta(obj, "namespace") in (args.namespace or "default", "")


def _related(index: Index, route_arg: str) -> set[tuple]:
    """The route named by --route, its parents (and their classes) and backends."""
    ns, _, name = route_arg.rpartition("/")
    keep = set()
    for route in index.objects:
        if route.get("kind") not in ROUTE_KINDS or meta(route, "name") != name or (
                ns and meta(route, "namespace") != ns):
            continue
        keep.add((route["kind"], meta(route, "namespace"), name))
        for ref in parent_refs(route):
            gw_ns, gw_name = ref["namespace"], ref["name"]
            if LISTENERSET_KINDS.get(ref["kind"]) == ref["group"]:
                # a ListenerSet parent: it, and the Gateway its listeners join
                keep.add((ref["kind"], ref["namespace"], ref["name"]))
                ls = index.get(ref["kind"], ref["namespace"], ref["name"], ref["group"])
                gw_ns, gw_name = listenerset_parent(ls) if ls is not None else ("", "")
            keep.add(("Gateway", gw_ns, gw_name))
            gw = index.get("Gateway", gw_ns, gw_name)
            if gw is not None:
                keep.add(("GatewayClass", "", (gw.get("spec") or {}).get("gatewayClassName")))
        for _, ref in backend_refs(route):
            keep.add((ref["kind"], ref["namespace"], ref["name"]))
    return keep


def inferred_findings(index: Index, args) -> tuple[list[dict], dict]:
    findings, counts = [], {"routes": 0, "pools": 0, "gateways": 0}
    for obj in index.objects:
        kind = obj.get("kind")
        if not _in_scope(obj, args) or obj.get("_source") == "fragment":
            continue  # a pasted status block has no spec to infer from
        if kind in ROUTE_KINDS and group_of(obj) == GW_GROUP:
            counts["routes"] += 1
            findings += check_route(index, obj)
        elif kind == "InferencePool":
            counts["pools"] += 1
            findings += check_pool(index, obj)
        elif is_alpha(obj):
            findings += check_outdated(obj)
        elif is_listenerset(obj):
            findings += check_listenerset(index, obj)
        elif is_llmd_objective(obj):
            findings += check_objective(index, obj)
        elif kind in ("ConfigMap", epp_config.KIND):
            findings += epp_config.check(obj)
        elif kind == "GatewayClass" and group_of(obj) == GW_GROUP:
            findings += check_gateway_class(index, obj)
        elif kind == "Gateway" and group_of(obj) == GW_GROUP:
            counts["gateways"] += 1
            findings += check_gateway(index, obj)
    findings += fragment_findings(getattr(index.dump, "fragments", []))
    return findings, counts


def diagnose(index: Index, args, absent=()) -> tuple[list[dict], dict]:
    inferred, counts = inferred_findings(index, args)
    reported = [f for f in reported_findings(index) if _object_in_scope(f["object"], args)]
    reported += [f for f in listenerset_reported(index) if _object_in_scope(f["object"], args)]
    reported += [f for f in attach_count.findings(index) if _object_in_scope(f["object"], args)]
    reported += orphan_parents.fragment_findings(getattr(index.dump, "fragments", []))
    # the prose rules read the paste as written (commands and prose the kit sets aside too)
    raw = getattr(index.dump, "raw_lines", None)
    lines = with_paragraphs(_text_lines(index.dump), raw)
    raw = raw or lines
    reported += text_findings(lines, raw) + absent_crd_findings(absent, index)
    # a controller's fatal log line no reader above explains: it exits (_gw/fatal_log.py)
    reported += fatal_log.findings(raw, _claimed)
    # a controller that lost its lease and skips status writes since (_gw/leader_status.py)
    reported += leader_status.findings(raw)
    # the picker's "no pods available" says the pool has no endpoint, not why (_gw/epp_datastore)
    reported, empty_pool = epp_datastore.split(reported, inferred)
    reported = nack.empty_listeners(reported, index, lines)
    reported, from_text = _gw_prose.apply(reported, index, raw)
    findings = merge(reported, inferred + empty_pool + from_text
                     + crd_versions.unserved_findings(raw, index)
                     + host_header.findings(raw, index, reported)
                     + accepted_refused.contradictions(raw, reported)
                     + manifest_mismatch.findings(raw, index)
                     # (inferred: an informer timeout, istiod's empty listener, a bad regex)
                     + informer_sync.findings(raw) + istio_vhosts.findings(raw, index)
                     + regex_match.findings(index)
                     # (info: Envoy Gateway's own TLS secret, never a listener's)
                     + eg_envoy_secret.findings(raw))
    findings = merge(spec_contradictions(findings, index, raw), [])  # (re-ranked: now warnings)
    findings = superseded.reclassify(findings, raw, index.of_kind("CustomResourceDefinition"))
    findings = older_bundle.reclassify(findings, raw, index)
    findings = deleted_object.reclassify(findings, raw, index)
    findings = proxy_service.reclassify(findings, index)
    findings = listener_unique.reclassify(findings, raw, index)
    findings = istio_listener_names.reclassify(findings, index)
    findings = channel_fields.reclassify(findings)
    findings += backend_tls_guess.findings(raw, index, findings)
    # (the paste's text, not the objects' fields)
    findings += _gw_prose.unexplained(findings, lines)
    if not findings and not any(counts.values()):
        findings += _rows_only(index) or _status_only(index) or \
            _report_beside_other_objects(index, raw) or _conditions_only(index) or \
            supported_kinds.findings(raw)
    if args.route:
        keep = _related(index, args.route)
        findings = [f for f in findings if f["object"]["kind"] == "CustomResourceDefinition"
                    or (f["object"]["kind"], f["object"]["namespace"],
                        f["object"]["name"]) in keep]
        counts = {"routes": sum(k[0] in ROUTE_KINDS for k in keep),
                  "pools": sum(k[0] == "InferencePool" for k in keep),
                  "gateways": sum(k[0] == "Gateway" for k in keep)}
    return findings, counts


_ROW_KINDS = ("Gateway", "GatewayClass", "InferencePool") + tuple(ROUTE_KINDS)


def _rows_only(index: Index) -> list[dict]:
    """Gateway API objects the paste shows only as `kubectl get` rows, nothing else checked:
    a row holds no status conditions and no spec, so nothing can be said to look right."""
    rows = [o for o in index.objects if o.get("_source") == "table" and o.get("kind") in _ROW_KINDS]
    if not rows:
        return []
    named = [f"{o.get('kind')} {meta(o, 'namespace') + '/' if meta(o, 'namespace') else ''}"
             f"{meta(o, 'name')}" for o in rows[:3]]
    first = rows[0]
    ns = meta(first, "namespace")
    command = (f"kubectl get {str(first.get('kind')).lower()} {meta(first, 'name')}"
               + (f" -n {ns}" if ns else "") + " -o yaml")
    return [finding("info", "not_evaluated", {"kind": str(first.get("kind")),
                                               "name": meta(first, "name"), "namespace": ns},
                    "the cause cannot be told from this paste: it shows Gateway API objects only "
                    "as `kubectl get` rows, which hold neither their spec nor their status "
                    "conditions", [f"{n} (a table row)" for n in named],
                    f"paste what these print: {command} (status.conditions, status.parents), "
                    "and the same for the Gateway and the route's backends",
                    basis="inferred", confirm=command)]


def _status_only(index: Index) -> list[dict]:
    """Status blocks pasted without their objects whose conditions report no failure:
    nothing else was checked (no spec, no parent, no backend), so nothing "looks right"."""
    frags = [o for o in index.objects if o.get("_source") == "fragment"]
    if not frags:
        return []
    said = [f"{c.get('type')}={c.get('status')}" for o in frags
            for c in _conditions_of(o.get("status") or {}) if c.get("type")]
    kind = str(frags[0].get("kind"))
    # (a parent status does not say which route kind it belongs to)
    what = "route" if kind in ROUTE_KINDS else kind
    command = ("kubectl get httproute,grpcroute -A -o yaml" if what == "route" else
               f"kubectl get {kind.lower()} -A -o yaml")
    return [finding("info", "not_evaluated", {"kind": kind, "name": "", "namespace": ""},
                    "only a status was pasted, and its conditions report no failure"
                    + (f" ({', '.join(said[:6])})" if said else "") + ": without the "
                    "object's spec, its Gateway and its backends nothing else was checked",
                    [f"a {what} status without its object"],
                    f"paste the whole objects: {command}, and the Gateway it names (its "
                    "listeners and their conditions)", basis="inferred", confirm=command)]


def _conditions_only(index: Index) -> list[dict[str, object]]:
    """A conditions list pasted alone whose types do not tell whose it is (Accepted,
    Programmed and ResolvedRefs are on every Gateway API kind) and whose reasons no rule
    reads: nothing was checked, so nothing "looks right"."""
    if not getattr(index.dump, "conditions_paste", False):
        return []
    command = "kubectl get gatewayclass,gateway,httproute,grpcroute -A -o yaml"
    return [finding("info", "not_evaluated", {"kind": "Text", "name": "paste"},
                    "only status conditions were pasted, without the object they belong to: "
                    "neither its kind nor the cause can be told from them",
                    ["a conditions list without its object"],
                    f"paste the whole object: {command} (the one these conditions are on)",
                    basis="inferred", confirm=command)]


def _conditions_of(status: dict) -> list[dict]:
    parents = [p for p in status.get("parents") or [] if isinstance(p, dict)]
    listeners = [lst for lst in status.get("listeners") or [] if isinstance(lst, dict)]
    return [c for holder in [status] + parents + listeners
            for c in holder.get("conditions") or [] if isinstance(c, dict)]


_GATEWAY_GROUPS = ("gateway.networking.k8s.io", "gateway.networking.x-k8s.io",
                   "inference.networking.k8s.io", "inference.networking.x-k8s.io")


def _report_beside_other_objects(index: Index, raw: list[str]) -> list[dict]:
    """A report in words pasted with objects this skill does not check (a Pod, a Deployment)
    and no Gateway API object: nothing was checked, so nothing "looks right"; the report is
    answered as a report (not_evaluated, and what to paste)."""
    if any(group_of(o) in _GATEWAY_GROUPS or o.get("kind") in _ROW_KINDS
           for o in index.objects):
        return []
    text = "\n".join(str(line) for line in raw)
    if not is_report(text.splitlines(), _gw_prose.GATEWAY_TALK):
        return []
    return [ProseOnly("the paste", report_lines(text.splitlines()), _ASKS).finding()]


def _object_in_scope(ref: dict, args) -> bool:
    if args.route:
        return True
    return _in_scope({"metadata": {"namespace": ref.get("namespace", "")}}, args)


def render(findings, counts, notes, verbose) -> str:
    by = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    head = (f"checked {counts['routes']} route(s), {counts['pools']} InferencePool(s), "
            f"{counts['gateways']} Gateway(s): {by['error']} error(s), {by['warning']} "
            f"warning(s), {by['info']} info")
    shown = findings if verbose else [f for f in findings if f["severity"] != "info"][:20]
    lines = [head]
    if shown:
        lines.append(render_text(shown))
    hidden = len(findings) - len(shown)
    if hidden:
        lines.append(f"({hidden} more, mostly info/not_in_dump: --verbose shows all)")
    if not findings:
        lines.append("no problems found: attachment, backends, pools, timeouts and TLS look right")
    return "\n".join(lines)


def _text_lines(dump) -> list[str]:
    """Pasted lines that are not objects (a terminal's hard wrap joined back), and JSON log
    lines (zap/logr: msg, error)."""
    texts = [str(line) for line in getattr(dump, "texts", []) or []]
    lines: list[str] = []
    for group in _raw_runs(texts, getattr(dump, "raw_lines", None)):
        lines += unwrap_free_text(group)
    for obj in dump:
        if isinstance(obj, dict) and (not obj.get("kind") or _log_record(obj)):
            lines.append(" ".join(str(obj[k]) for k in ("msg", "message", "error", "err")
                                  if obj.get(k)))
    return lines


def _log_record(obj: dict) -> bool:
    """A structured log line, not an object: controller-runtime's source.Kind logs the kind it
    watches as a field (`"kind":"ListenerSet.gateway.networking.k8s.io"`) beside msg and level,
    with no apiVersion or metadata (sigs.k8s.io/controller-runtime v0.24.1
    pkg/internal/source/kind.go:77-78)."""
    return bool(obj.get("msg") and not obj.get("apiVersion") and not obj.get("metadata"))


def _route_reasons(parents: list[dict]) -> bool:
    """A parent status whose conditions use a reason only Routes have (a status pasted
    without its controllerName, e.g. trimmed to the failing condition)."""
    return any(isinstance(c, dict) and str(c.get("reason") or "") in ROUTE_ONLY_REASONS
               for p in parents for c in p.get("conditions") or [])


def status_objects(fragments) -> list[dict]:
    """`status:` blocks pasted without their object (cut from `kubectl get -o yaml`), as
    partial objects of the kind their shape proves: route parent statuses name a
    controllerName (gateway-api RouteParentStatus, v0.4+) or a reason only routes use
    (BackendNotFound, NotAllowedByListeners, ...), InferencePool v1 parent statuses do not; `listeners` / `addresses` are a Gateway's. Anything else stays text."""
    out = []
    for frag in fragments or []:
        status = _status_of(frag)
        if status is None:
            continue
        parents = [p for p in status.get("parents") or [] if isinstance(p, dict)]
        if parents:
            kind = "HTTPRoute" if any(p.get("controllerName") for p in parents) or \
                _route_reasons(parents) else "InferencePool"
        elif status.get("listeners") or status.get("addresses"):
            kind = "Gateway"
        else:
            continue
        out.append({"kind": kind, "metadata": {"name": "(pasted status)", "namespace": ""},
                    "status": status, "_source": "fragment"})
    return out


def _status_of(frag) -> dict | None:
    """A fragment's `status:` block, or the fragment itself when it is a status printed alone
    (`kubectl get httproute X -o jsonpath='{.status}'`: `{"parents": [...]}`)."""
    if not isinstance(frag, dict):
        return None
    if isinstance(frag.get("status"), dict):
        return frag["status"]
    parents = frag.get("parents")
    alone = isinstance(parents, list) and any(isinstance(p, dict) and (
        "conditions" in p or "parentRef" in p) for p in parents)
    return frag if alone or isinstance(frag.get("listeners"), list) else None


def _load(path: str) -> Dump:
    """Objects in any form the kit reads; a text-only paste (EPP logs, curl output) is kept
    when it holds lines this skill knows, else refused with the kit's one-line reason."""
    text, label = read_text(path)
    # a message or log line a terminal cut at its width is read whole (kit event_table)
    lines = unwrap_free_text(text.splitlines())
    try:
        dump = parse_paste(text, label)
    except InputError as err:
        # log lines the kit takes for YAML (zap console format: tab-separated, JSON fields),
        # or a report in prose and markdown
        if not (_knows_text(lines) or events_from_logs(lines)):
            raise refuse_unless_report(text, label, str(err), _ASKS, _gw_prose.GATEWAY_TALK)
        dump = Dump(texts=lines, forms=["text"])
        dump.raw_lines = lines  # type: ignore[attr-defined]
        dump.extend(events_from_logs(lines))
        return dump
    dump.raw_lines = lines  # type: ignore[attr-defined]
    _read_conditions(dump, text)
    _flat_describe_conditions(dump)
    dump.extend(status_objects(dump.fragments))
    dump.extend(events_from_logs(lines))
    if not any(o.get("kind") for o in dump if isinstance(o, dict)) and \
            not _knows_text(_text_lines(dump)) and not _knows_text(lines) and \
            not fragment_findings(dump.fragments) and \
            not getattr(dump, "conditions_paste", False):
        try:
            parse_documents(text, label)  # raises the kit's one-line InputError ...
        except InputError as err:
            raise refuse_unless_report(text, label, str(err), _ASKS,
                                       _gw_prose.GATEWAY_TALK) from err
        raise refuse_unless_report(text, label, f"{label}: no Kubernetes objects (kind) and no "
                                   "gateway or endpoint picker message this script knows",
                                   _ASKS, _gw_prose.GATEWAY_TALK)  # ... or this one
    return dump


def _read_conditions(dump: Dump, text: str) -> None:
    """Conditions a paste holds outside their place: a conditions list copied alone (read as
    the status of the kind its types prove, else left to the text rules), or conditions the
    paste's indentation put inside a spec list (moved back to the object's status)."""
    for obj in dump:
        if isinstance(obj, dict) and group_of(obj) in _GATEWAY_GROUPS:
            pasted_conditions.lift_misplaced(obj)
    if any(o.get("kind") for o in dump if isinstance(o, dict)):
        return
    lists = pasted_conditions.condition_lists(text)
    dump.conditions_paste = bool(lists)  # type: ignore[attr-defined]
    listed = pasted_conditions.status_objects(lists)
    if listed:  # read as a status, not as loose lines as well
        dump.extend(listed)
        dump.texts = []


def _flat_describe_conditions(dump: Dump) -> None:
    """A `kubectl describe` pasted with its indentation lost reads flat: a condition's
    `Status: False` lands on the object, beside its reason and message, which are read as
    the `Reason: message` line users copy (the object keeps no status)."""
    for obj in dump:
        if isinstance(obj, dict) and not isinstance(obj.get("status", {}), dict):
            cond = {k: obj.get(k) for k in ("type", "reason", "message")}
            if is_problem({**cond, "status": str(obj.pop("status"))}) and cond["reason"] \
                    and cond["message"]:
                dump.texts.append(f"{cond['reason']}: {cond['message']}")


# what decides a gateway fault a report only describes in words
_ASKS = ("kubectl get gatewayclass,gateway,httproute,grpcroute -A -o yaml (their status "
         "conditions)", "kubectl get events -A --field-selector type=Warning",
         "the gateway controller's log")


def with_paragraphs(lines: list[str], raw: list[str] | None = None) -> list[str]:
    """The lines, then each run of 2+ non-blank lines joined into one: a message or a
    sentence hard-wrapped by a terminal, a mail client or an issue editor is read whole
    (a wrapped wording matches no line on its own). A fence line ends a run: prose and the
    code block under it are not one sentence (their backticks would pair across them).
    With the paste as written (`raw`), lines it shows apart (a blank line or a fence the kit
    set aside between them: an issue's numbered step around a fenced status) are no run."""
    out, run = list(lines), []
    texts = [str(line) for line in lines]
    places = _raw_places(texts, raw) + [None]
    for index, (line, mark) in enumerate(zip(texts + [""], fences.marks(texts) + ["text"])):
        apart = index and places[index] is not None and places[index - 1] is not None and \
            places[index] != places[index - 1] + 1
        if apart and len(run) > 1:
            out.append(" ".join(run))
        if apart:
            run = []
        if line.strip() and mark != "fence":
            run.append(line.strip())
            continue
        if len(run) > 1:
            out.append(" ".join(run))
        run = []
    return out


def _raw_runs(texts: list[str], raw: list[str] | None) -> list[list[str]]:
    """The text lines in runs the paste shows together: the kit's texts drop blank lines and
    fences, and a line a terminal would have cut (80 columns or more) is no cut when a fence
    or a blank line stood after it (an issue's numbered step around a fenced status)."""
    runs: list[list[str]] = []
    places = _raw_places(texts, raw)
    for index, text in enumerate(texts):
        if not runs or (places[index] is not None and places[index - 1] is not None and
                        places[index] != places[index - 1] + 1):
            runs.append([])
        runs[-1].append(text)
    return runs


# how far past the last text line its next one is looked for in the paste as written (the
# lines the kit sets aside between two texts: blank lines, fences, a command, an object)
_RAW_LOOKAHEAD = 64


def _raw_places(texts: list[str], raw: list[str] | None) -> list[int | None]:
    """Each text line's index in the paste as written (in order), None where it is not one
    raw line (a wrap joined back, a log record's fields, tabs the kit re-aligned)."""
    places: list[int | None] = []
    cursor = 0
    for text in texts:
        end = min(len(raw or []), cursor + _RAW_LOOKAHEAD)
        found = next((i for i in range(cursor, end) if text.strip() and
                      text.strip() in str(raw[i])), None) if raw else None
        places.append(found)
        cursor = found + 1 if found is not None else cursor
    return places


def _claimed(text: str) -> bool:
    """A reader of this skill finds a cause in the text (a fatal message it explains)."""
    return bool(text_findings(with_paragraphs([text])))


def _knows_text(lines: list[str]) -> bool:
    """Lines with a wording this skill reads: a gateway or endpoint-picker message, a
    controller's fatal log line, or a sentence the prose rules read."""
    if fatal_log.findings(lines, _claimed) or leader_status.findings(lines) or \
            supported_kinds.blocks(lines) or istio_vhosts.in_text(lines) or \
            eg_envoy_secret.in_text(lines):
        return True
    lines = with_paragraphs(lines)
    return bool(text_findings(lines) or _gw_prose.prose_findings(_gw_prose.read(lines))
                or any(catalogue.read_line(line) or catalogue.whole_line(line)
                       for line in lines)
                or _gw_prose.reports_failure(lines) or host_header.in_text(lines))


@shape_errors_as_input
def body(args):
    notes: list[str] = []
    absent: list[str] = []
    if args.file:
        dump = _load(args.file)
    else:
        dump = read_live(args.namespace, args.all_namespaces, notes, absent)
    findings, counts = diagnose(Index(dump), args, absent)
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    payload = {"summary": counts, "findings": findings, "notes": notes}
    return payload, render(findings, counts, notes, args.verbose), exit_code(findings)


def main(argv=None) -> int:
    parser = make_parser("Check Gateway API routes (HTTPRoute, GRPCRoute), Gateways and "
                         "InferencePools for the mistakes that silently drop traffic: what "
                         "the controllers reported first, then what the specs imply.",
                         epilog=EPILOG)
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("-n", "--namespace", help="namespace to check (live default: default)")
    scope.add_argument("-A", "--all-namespaces", action="store_true", help="every namespace")
    parser.add_argument("-f", "--file", help="kubectl get -o yaml|json dump; - for stdin")
    parser.add_argument("--route", help="only this route: NAMESPACE/NAME or NAME")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show every finding, info included")
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
