#!/usr/bin/env python3
"""Print Gateway API / InferencePool YAML for exposing and routing LLM serving traffic."""
from __future__ import annotations

import argparse
import os
import sys

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "_shared"))

import yaml

from k8s_skillkit.cli import make_parser, run
from k8s_skillkit.errors import InputError

from _gw import build as b

EPILOG = """examples:
  # app team: model llama-3-8b behind an existing platform Gateway, TLS, 30 s, 2 retries
  make_route.py expose llama-3-8b -n llm --gateway infra/inference-gw --path /api/v1/chat \\
      --tls --timeout 30s --retries 2
  # route by model name (header set by body-based routing) or by tenant header
  make_route.py route chat -n llm --gateway infra/inference-gw \\
      --header-route X-Gateway-Model-Name:llama-3-8b=pool/llama \\
      --header-route X-Gateway-Model-Name:mistral-7b=pool/mistral --timeout 300s
  make_route.py route chat -n llm --gateway infra/gw --header-route x-tenant:acme=pool/acme
  # same conversation -> same backend (KV-cache reuse): see the printed notes
  make_route.py route chat -n llm --gateway infra/gw --backend svc/vllm:8000 \\
      --session-header x-session-id --channel experimental
  make_route.py pool llama -n llm --selector app=llama --port 8000 --epp llama-epp
  make_route.py gateway inference-gw -n infra --class eg --tls-secret gw-cert \\
      --allow-namespaces selector:gateway-access=llm        # platform team
  make_route.py grant -n models --from-namespace llm --to-kind InferencePool
  make_route.py backend-tls vllm-tls -n llm --service vllm --hostname vllm.llm.svc \\
      --ca-configmap vllm-ca
  make_route.py ... | kubectl apply --dry-run=server -f -     # always dry-run first

Backends: pool/NAME (InferencePool, no port), svc/[NS/]NAME:PORT, optional =WEIGHT.
Standard channel by default: retry and sessionPersistence are experimental-channel fields;
without --channel experimental they are left out and a note says what to use instead.
Rate limits, consistent hashing and similar have no Gateway API field: the notes name the
implementation resources. Notes go to stdout as YAML comments (and to "notes" in --json).
exit: 0 YAML printed, 2 bad usage/input."""


def _pairs(text: str | None, what: str) -> dict:
    out = {}
    for item in filter(None, (text or "").split(",")):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"{what} {item!r}: expected KEY=VALUE")
        out[key.strip()] = value.strip()
    return out


def _parent(args) -> dict:
    ns, name = b.ns_name(args.gateway, args.namespace, "gateway")
    ref = {"name": name}
    if ns != args.namespace:
        ref["namespace"] = ns
    section = args.section or ("https" if getattr(args, "tls", False) else None)
    if section:
        ref["sectionName"] = section
    return ref


def _matches(args, header=None) -> list[dict]:
    match = {}
    if args.path:
        if not args.path.startswith("/"):
            raise InputError(f"--path {args.path!r}: must start with /")
        match["path"] = {"type": args.path_type, "value": args.path}
    if header:
        name, value = header
        match["headers"] = [{"type": "Exact", "name": name, "value": value}]
    if args.method:
        match["method"] = args.method
    return [match] if match else []


def _header_rules(args) -> list[tuple[tuple[str, str] | None, list[str]]]:
    rules = []
    for item in args.header_route or []:
        head, sep, backend = item.partition("=")
        name, colon, value = head.partition(":")
        if not sep or not colon or not b._HEADER.match(name) or not value:
            raise InputError(f"--header-route {item!r}: expected HEADER:VALUE=BACKEND")
        rules.append(((name, value), [backend]))
    if args.backend:
        rules.append((None, args.backend))
    if not rules:
        raise InputError("route: give --backend and/or --header-route")
    return rules


def _timeouts(args, notes, grpc) -> dict:
    out = {}
    if args.timeout:
        out["request"] = args.timeout
    if args.backend_timeout:
        out["backendRequest"] = args.backend_timeout
    if out and args.timeout and args.backend_timeout and b.duration_seconds(
            args.backend_timeout, "--backend-timeout") > b.duration_seconds(args.timeout,
                                                                             "--timeout"):
        raise InputError("--backend-timeout: cannot be longer than --timeout (CRD rule)")
    for key, value in out.items():
        b.duration_seconds(value, f"--{key}")
    if out and grpc:
        notes.append("GRPCRoute has no timeouts field (v1.6.3): set the timeout with an "
                     "implementation policy (Envoy Gateway BackendTrafficPolicy spec.timeout, "
                     "Istio VirtualService timeout, kgateway TrafficPolicy)")
        return {}
    if not out and not grpc:
        notes.append("no --timeout: request timeout is implementation-specific (Envoy-based "
                     "gateways often cut at 15 s); LLM streams need e.g. --timeout 300s")
    return out


def _retry(args, notes) -> dict:
    if not args.retries:
        return {}
    retry = {"attempts": args.retries}
    if args.retry_codes:
        try:
            retry["codes"] = [int(c) for c in args.retry_codes.split(",") if c.strip()]
        except ValueError as err:
            raise InputError(f"--retry-codes {args.retry_codes!r}: HTTP status codes, "
                             "comma-separated") from err
        if any(not 400 <= c <= 599 for c in retry["codes"]):
            raise InputError("--retry-codes: codes must be 400-599 (CRD range)")
    if args.retry_backoff:
        b.duration_seconds(args.retry_backoff, "--retry-backoff")
        retry["backoff"] = args.retry_backoff
    if args.channel == "experimental":
        notes.append("rules[].retry is an EXPERIMENTAL-channel field (Support: Extended): the "
                     "cluster needs the experimental HTTPRoute CRD and an implementation "
                     "supporting it")
        return retry
    notes.append(f"{args.retries} retries NOT emitted: HTTPRoute rules[].retry exists only in "
                 "the experimental channel. Either rerun with --channel experimental, or use "
                 "your implementation's policy: Envoy Gateway BackendTrafficPolicy (spec.retry), "
                 "Istio VirtualService (retries), kgateway TrafficPolicy. Retrying a "
                 "non-idempotent LLM generation doubles GPU work: prefer retryable codes 503/429")
    return {}


def _session(args, notes, pool_backends) -> dict:
    if not args.session_header:
        return {}
    if pool_backends:
        notes.append("KV-cache reuse with InferencePool backends is the endpoint picker's "
                     "job: its prefix-cache scorer (prefix-cache-scorer) sends requests "
                     "sharing a prompt prefix to the replica that holds it; llm-d's router "
                     "adds session affinity. sessionPersistence on the route would fight the "
                     "picker, so it is not emitted")
        return {}
    session = {"type": "Header", "sessionName": args.session_header}
    if args.channel == "experimental":
        notes.append("rules[].sessionPersistence is EXPERIMENTAL (type Header: Support "
                     "Extended). Header-based persistence keys on the session token the "
                     "gateway issues in that header")
        return session
    notes.append(f"same-backend-per-conversation NOT emitted: sessionPersistence is "
                 "experimental-channel only. Rerun with --channel experimental, or hash on "
                 f"the header {args.session_header} with an implementation policy: Envoy "
                 "Gateway BackendTrafficPolicy loadBalancer type ConsistentHash (header), "
                 "Istio DestinationRule trafficPolicy.loadBalancer.consistentHash."
                 "httpHeaderName. For InferencePool backends use the EPP prefix-cache scorer")
    return {}


def build_route(args) -> tuple[list[dict], list[str]]:
    notes: list[str] = []
    grpc = args.grpc
    rules, grants = [], []
    all_refs = []
    for header, backends in _header_rules(args):
        refs = [b.parse_backend(x, args.namespace) for x in backends]
        all_refs += refs
        rule = {"matches": _matches(args, header) if not grpc else _grpc_matches(args, header)}
        if not rule["matches"]:
            del rule["matches"]
        rule["backendRefs"] = refs
        rules.append(rule)
    pools = any(r.get("kind") == "InferencePool" for r in all_refs)
    extra = {}
    if not grpc:
        extra.update({k: v for k, v in (("timeouts", _timeouts(args, notes, grpc)),
                                        ("retry", _retry(args, notes)),
                                        ("sessionPersistence", _session(args, notes, pools)))
                      if v})
    else:
        _timeouts(args, notes, grpc)
    for rule in rules:
        rule.update(extra)
    kind = "GRPCRoute" if grpc else "HTTPRoute"
    spec = {"parentRefs": [_parent(args)], "rules": rules}
    if args.hostname:
        spec["hostnames"] = args.hostname
    route = {"apiVersion": b.GW_API, "kind": kind,
             "metadata": {"name": b.check_name(args.name, "route"), "namespace": args.namespace},
             "spec": spec}
    for ref in all_refs:
        if ref.get("namespace"):
            grants.append(b.grant(f"allow-{args.namespace}-{kind.lower()}", ref["namespace"],
                                  kind, args.namespace, ref.get("kind", "Service"), ref["name"]))
            notes.append(f"backend {ref['name']} is in namespace {ref['namespace']}: the "
                         "ReferenceGrant below belongs to (and is applied by) that namespace")
    notes += _common_notes(args, pools)
    return [route] + _dedupe(grants), notes


def _grpc_matches(args, header) -> list[dict]:
    match = {}
    if header:
        match["headers"] = [{"type": "Exact", "name": header[0], "value": header[1]}]
    if args.grpc_service:
        match["method"] = {"type": "Exact", "service": args.grpc_service}
    return [match] if match else []


def _common_notes(args, pools) -> list[str]:
    notes = []
    if any((r or "").startswith(b.MODEL_HEADER + ":") for r in args.header_route or []):
        notes.append(f"{b.MODEL_HEADER} is set from the request body's \"model\" by body-based "
                     "routing (BBR; moved to llm-d-inference-payload-processor in GAIE v1.6) "
                     "or sent by clients; without it these rules never match")
    if getattr(args, "tls", False):
        notes.append("--tls attaches to the Gateway listener named 'https' (sectionName): the "
                     "platform team owns it (make_route.py gateway --tls-secret ...)")
    if args.rate_limit:
        notes.append(f"rate limit {args.rate_limit} NOT emitted: Gateway API has no rate-limit "
                     "field. Use Envoy Gateway BackendTrafficPolicy (spec.rateLimit), kgateway "
                     "TrafficPolicy (rate limiting), or Kuadrant RateLimitPolicy, attached to "
                     "this route via targetRefs")
    if pools:
        notes.append("InferencePool backendRefs carry no port: the pool's targetPorts decide")
    return notes


def _dedupe(objs):
    seen, out = set(), []
    for o in objs:
        key = (o["metadata"]["namespace"], o["metadata"]["name"])
        if key not in seen:
            seen.add(key)
            out.append(o)
    return out


def build_expose(args) -> tuple[list[dict], list[str]]:
    model = b.check_name(args.name, "model")
    selector = _pairs(args.selector, "--selector") or {"app": model}
    epp = None if args.no_epp else (args.epp or f"{model}-epp")
    objs = [b.pool(model, args.namespace, selector, args.port or [8000], epp, args.epp_port,
                   args.failure_mode)]
    args.backend = [f"pool/{model}"]
    args.header_route = args.header_route or []
    if args.path is None:
        args.path = "/"
    route, notes = build_route(args)
    objs += route + _objectives(args, model)
    notes += _pool_notes(epp, args) + _objective_notes(args)
    if args.gateway_class:
        ns, name = b.ns_name(args.gateway, args.namespace, "gateway")
        objs.insert(0, b.gateway(name, ns, args.gateway_class, None, args.tls_secret,
                                 allow="All"))
        notes.append(f"Gateway {ns}/{name} is platform-owned: apply it separately (it admits "
                     "routes from All namespaces here; narrow with make_route.py gateway "
                     "--allow-namespaces selector:KEY=VALUE)")
        if args.tls and not args.tls_secret:
            raise InputError("--tls with --gateway-class needs --tls-secret SECRET")
    return objs, notes


def _objectives(args, pool: str) -> list[dict]:
    """InferenceObjective per --objective NAME=PRIORITY (llm-d-router v0.10.0
    apix/v1alpha2/inferenceobjective_types.go: spec.priority int32, spec.poolRef.name)."""
    out = []
    for item in getattr(args, "objective", None) or []:
        name, sep, prio = item.partition("=")
        try:
            priority = int(prio)
        except ValueError:
            raise InputError(f"--objective {item!r}: expected NAME=PRIORITY (an integer)") \
                from None
        if not sep or not -2**31 <= priority < 2**31:
            raise InputError(f"--objective {item!r}: expected NAME=PRIORITY (an int32)")
        out.append({"apiVersion": "llm-d.ai/v1alpha2", "kind": "InferenceObjective",
                    "metadata": {"name": b.check_name(name, "objective"),
                                 "namespace": args.namespace},
                    "spec": {"priority": priority, "poolRef": {"name": pool}}})
    return out


def _objective_notes(args) -> list[str]:
    if not getattr(args, "objective", None):
        return []
    return ["InferenceObjective is read by the llm-d router's endpoint picker (llm-d.ai, "
            "v0.9+; GAIE <= v1.5 EPPs read inference.networking.x-k8s.io/v1alpha2): a "
            "request picks one with header x-llm-d-inference-objective: NAME (no header = "
            "priority 0); higher priority is served first, negative is shed first"]


def _pool_notes(epp, args) -> list[str]:
    if not epp:
        return ["no endpointPickerRef: optional since GAIE v1.6.0 but most implementations "
                "still require it (Accepted=False, reason EndpointPickerRefMissing)"]
    return [f"endpointPickerRef -> Service {epp} port {args.epp_port}: deploy the endpoint "
            "picker (GAIE >= v1.6: the llm-d router, with --pool-name/--pool-namespace of this "
            "pool; GAIE <= v1.5: its EPP image). failureMode defaults to FailClose (requests "
            "fail while the EPP is down); FailOpen keeps serving with gateway balancing"]


def build_simple(args) -> tuple[list[dict], list[str]]:
    cmd = args.cmd
    if cmd == "gateway":
        allow, selector = _allow(args.allow_namespaces)
        return [b.gateway(b.check_name(args.name, "gateway"), args.namespace, args.gw_class,
                          args.hostname, args.tls_secret, not args.no_http, allow, selector)], []
    if cmd == "pool":
        epp = None if args.no_epp else (args.epp or f"{args.name}-epp")
        obj = b.pool(b.check_name(args.name, "pool"), args.namespace,
                     _pairs(args.selector, "--selector"), args.port or [8000], epp,
                     args.epp_port, args.failure_mode, args.app_protocol)
        return [obj] + _objectives(args, args.name), _pool_notes(epp, args) + \
            _objective_notes(args)
    if cmd == "grant":
        name = args.name or f"allow-{args.from_namespace}-{args.from_kind.lower()}"
        return [b.grant(name, args.namespace, args.from_kind, args.from_namespace,
                        args.to_kind, args.to_name)], []
    return [b.backend_tls(b.check_name(args.name, "policy"), args.namespace, args.service,
                          args.hostname, args.ca_configmap, args.well_known_ca)], []


def _allow(text: str) -> tuple[str, dict | None]:
    if text in ("same", "all", "none"):
        return text.capitalize(), None
    if text.startswith("selector:"):
        return "Selector", _pairs(text[len("selector:"):], "--allow-namespaces")
    raise InputError(f"--allow-namespaces {text!r}: same | all | none | selector:KEY=VALUE")


def body(args):
    if args.cmd in ("route", "expose"):
        objs, notes = (build_route if args.cmd == "route" else build_expose)(args)
    else:
        objs, notes = build_simple(args)
    text = "".join(f"# NOTE: {n}\n" for n in notes) + yaml.safe_dump_all(objs, sort_keys=False)
    return {"channel": getattr(args, "channel", "standard"), "objects": objs,
            "notes": notes}, text.rstrip("\n"), 0


def _route_args(p, expose=False):
    p.add_argument("--gateway", required=True, help="parent Gateway [NAMESPACE/]NAME")
    p.add_argument("--section", help="listener name (parentRefs[].sectionName)")
    p.add_argument("--hostname", action="append", help="spec.hostnames entry (repeatable)")
    p.add_argument("--path", help="path match value, e.g. /api/v1/chat")
    p.add_argument("--path-type", default="PathPrefix", choices=["PathPrefix", "Exact"])
    p.add_argument("--method", help="HTTP method match, e.g. POST")
    if not expose:
        p.add_argument("--backend", action="append",
                       help="pool/NAME or svc/[NS/]NAME:PORT[=WEIGHT] (repeatable: weights)")
        p.add_argument("--grpc", action="store_true", help="write a GRPCRoute")
        p.add_argument("--grpc-service", help="GRPCRoute method match service, e.g. pkg.Svc")
    p.add_argument("--header-route", action="append",
                   help="HEADER:VALUE=BACKEND, one rule per entry (model name, tenant)")
    p.add_argument("--timeout", help="rules[].timeouts.request, e.g. 300s")
    p.add_argument("--backend-timeout", help="rules[].timeouts.backendRequest")
    p.add_argument("--retries", type=int, help="retry attempts (experimental channel)")
    p.add_argument("--retry-codes", help="comma list, e.g. 503,429")
    p.add_argument("--retry-backoff", help="e.g. 500ms")
    p.add_argument("--session-header", help="same backend per value of this header")
    p.add_argument("--rate-limit", help="e.g. 100/s: printed as an implementation note")
    p.add_argument("--tls", action="store_true", help="attach to the Gateway's 'https' listener")
    p.add_argument("--channel", default="standard", choices=["standard", "experimental"],
                   help="CRD channel installed in the cluster (default standard)")


def _pool_args(p):
    p.add_argument("--selector", help="pod labels KEY=VALUE[,KEY=VALUE] (matchLabels)")
    p.add_argument("--port", type=int, action="append", help="model server port (repeatable)")
    p.add_argument("--epp", help="endpoint picker Service (default NAME-epp)")
    p.add_argument("--epp-port", type=int, default=9002, help="EPP Service port (default 9002)")
    p.add_argument("--failure-mode", choices=["FailOpen", "FailClose"])
    p.add_argument("--no-epp", action="store_true", help="omit endpointPickerRef")
    p.add_argument("--objective", action="append", metavar="NAME=PRIORITY",
                   help="also print an llm-d InferenceObjective (llm-d.ai/v1alpha2) for the "
                        "pool; negative = sheddable (repeatable)")


def _command_args(subs) -> None:
    _route_args(subs["route"])
    _route_args(subs["expose"], expose=True)
    _pool_args(subs["expose"])
    subs["expose"].set_defaults(grpc=False, grpc_service=None)
    subs["expose"].add_argument("--gateway-class", help="also print the Gateway (platform)")
    subs["expose"].add_argument("--tls-secret", help="with --gateway-class: HTTPS cert Secret")
    _pool_args(subs["pool"])
    subs["pool"].add_argument("--app-protocol", choices=["http", "kubernetes.io/h2c"])
    g = subs["gateway"]
    g.add_argument("--class", dest="gw_class", required=True, help="gatewayClassName")
    g.add_argument("--hostname", help="listener hostname, e.g. *.llm.example.com")
    g.add_argument("--tls-secret", help="HTTPS listener with this certificate Secret")
    g.add_argument("--no-http", action="store_true", help="HTTPS listener only")
    g.add_argument("--allow-namespaces", default="same",
                   help="same | all | none | selector:KEY=VALUE (route namespaces admitted)")
    r = subs["grant"]
    r.add_argument("--from-namespace", required=True, help="namespace of the routes")
    r.add_argument("--from-kind", default="HTTPRoute", choices=["HTTPRoute", "GRPCRoute",
                                                                "Gateway"])
    r.add_argument("--to-kind", required=True, choices=["Service", "InferencePool", "Secret"])
    r.add_argument("--to-name", help="only this object (default: any of the kind)")
    t = subs["backend-tls"]
    t.add_argument("--service", required=True)
    t.add_argument("--hostname", required=True, help="SNI / certificate hostname")
    t.add_argument("--ca-configmap", help="ConfigMap with ca.crt")
    t.add_argument("--well-known-ca", action="store_true", help="use system CAs")


def main(argv=None) -> int:
    parser = make_parser("Print Gateway, HTTPRoute/GRPCRoute, ReferenceGrant, BackendTLSPolicy "
                         "and InferencePool YAML (standard channel unless told otherwise).",
                         epilog=EPILOG)
    sub = parser.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    helps = {"expose": "model -> InferencePool + route (+ Gateway with --gateway-class)",
             "route": "HTTPRoute/GRPCRoute", "pool": "InferencePool",
             "gateway": "Gateway (platform team)", "grant": "ReferenceGrant",
             "backend-tls": "BackendTLSPolicy"}
    subs = {}
    for cmd, text in helps.items():
        p = sub.add_parser(cmd, help=text, description=text)
        p.add_argument("name", nargs="?" if cmd == "grant" else None, help="object name")
        p.add_argument("-n", "--namespace", required=True)
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                       help="one JSON document")
        subs[cmd] = p
    _command_args(subs)
    return run(parser, argv, body)


if __name__ == "__main__":
    sys.exit(main())
