"""Read Gateway API and InferencePool objects (plain dicts) into an index the rules query.

Field names follow the pinned CRDs: Gateway API v1.6.3 (apis/v1/*_types.go,
config/crd/standard/*.yaml) and GAIE v1.6.0 (api/v1/inferencepool_types.go).
"""
from __future__ import annotations

import fnmatch

from k8s_skillkit.selectors import SelectorError, selector_matches, set_matches

GW_GROUP = "gateway.networking.k8s.io"
GWX_GROUP = "gateway.networking.x-k8s.io"           # experimental kinds (XListenerSet, ...)
POOL_GROUP = "inference.networking.k8s.io"          # InferencePool v1 (GAIE >= v1.0)
ALPHA_GROUP = "inference.networking.x-k8s.io"       # v1alpha1/v1alpha2 pools, models, objectives

ROUTE_KINDS = ("HTTPRoute", "GRPCRoute")
# ListenerSet kind -> its API group: standard ListenerSet (Gateway API v1.5.0+) and the
# experimental XListenerSet (v1.3.0-v1.4.x), one schema under two names (rules_listenerset)
LISTENERSET_KINDS = {"ListenerSet": GW_GROUP, "XListenerSet": GWX_GROUP}
# Route kinds a listener accepts when allowedRoutes.kinds is empty (GatewaySpec docs:
# the implementation picks them from the protocol; HTTP/HTTPS carry HTTP and gRPC routes).
DEFAULT_KINDS = {"HTTP": {"HTTPRoute", "GRPCRoute"}, "HTTPS": {"HTTPRoute", "GRPCRoute"},
                 "TLS": {"TLSRoute"}, "TCP": {"TCPRoute"}, "UDP": {"UDPRoute"}}

# The API server sets this label to the namespace's name on every Namespace (Kubernetes 1.21+,
# GA 1.22: k8s.io/api core/v1 well_known_labels.go LabelMetadataName; kubernetes
# pkg/registry/core/namespace/strategy.go), so a selector on it alone needs no Namespace.
NAME_LABEL = "kubernetes.io/metadata.name"


def group_of(obj: dict) -> str:
    api = str(obj.get("apiVersion", ""))
    return api.rsplit("/", 1)[0] if "/" in api else ""


def version_of(obj: dict) -> str:
    return str(obj.get("apiVersion", "")).rsplit("/", 1)[-1]


def meta(obj: dict, key: str, default=""):
    return (obj.get("metadata") or {}).get(key) or default


def scoped(obj: dict) -> str:
    """`NAME -n NAMESPACE` for a kubectl command, or `NAME` when the object (a manifest)
    names no namespace: kubectl then uses the context's, as the apply did."""
    ns = meta(obj, "namespace")
    return f"{meta(obj, 'name')} -n {ns}" if ns else meta(obj, "name")


def ref_key(obj: dict) -> str:
    ns = meta(obj, "namespace")
    return f"{obj.get('kind', '')}/{ns + '/' if ns else ''}{meta(obj, 'name')}"


class Index:
    """The loaded objects, queried by kind; `dump.presence` says what the input can prove.

    A kind listed in full (live mode, or a `kind: List` covering the namespace) lets a lookup
    conclude "absent"; otherwise a missing object is only "not in the dump".
    """

    def __init__(self, dump):
        self.dump = dump
        self.objects = [o for o in dump if isinstance(o, dict)]

    def of_kind(self, kind: str, group: str | None = None) -> list[dict]:
        return [o for o in self.objects if o.get("kind") == kind
                and (group is None or group_of(o) == group)]

    def get(self, kind: str, namespace: str, name: str, group: str | None = None):
        """The object of that kind, namespace and name; a manifest pasted without
        metadata.namespace (it gets one when applied) stands for it in any namespace."""
        named = [o for o in self.of_kind(kind, group) if meta(o, "name") == name]
        for obj in named:
            if meta(obj, "namespace") == (namespace or ""):
                return obj
        unplaced = [o for o in named if not meta(o, "namespace")]
        return unplaced[0] if namespace and len(unplaced) == 1 else None

    def presence(self, kind: str, namespace: str, name: str):
        return self.dump.presence(kind, name, namespace)

    def listed(self, kind: str, namespace: str = "") -> bool:
        """True when the input holds every object of `kind` in `namespace`."""
        return self.dump.has_full_list(kind, namespace)

    def namespace_labels(self, name: str) -> dict | None:
        """Labels of a namespace; None when the Namespace is not in the input (unknown)."""
        ns = self.get("Namespace", "", name)
        if ns is None and not self.listed("Namespace"):
            return None
        labels = dict(meta(ns, "labels", {}) or {}) if ns else {}
        labels.setdefault(NAME_LABEL, name)  # set by the apiserver
        return labels

    def pods(self, namespace: str, match_labels: dict) -> list[dict]:
        return [p for p in self.of_kind("Pod") if meta(p, "namespace") == namespace
                and labels_match(match_labels, meta(p, "labels", {}) or {})
                and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]

    def events_about(self, kind: str, namespace: str, name: str) -> list[dict]:
        out = []
        for event in self.of_kind("Event"):
            ref = event.get("involvedObject") or event.get("regarding") or {}
            ev_ns = ref.get("namespace") or meta(event, "namespace")
            if ref.get("kind") == kind and ref.get("name") == name and \
                    (not ev_ns or ev_ns == namespace):
                out.append(event)
        return out


def labels_match(match_labels: dict, labels: dict) -> bool:
    """InferencePool selector (v1 matchLabels, v1alpha2 plain map): every pair equal. An
    empty map selects nothing here: a pool must name its pods (the v1 CRD requires labels)."""
    return bool(match_labels) and set_matches(match_labels, labels)


def name_label_only(selector: dict | None, namespace: str) -> dict | None:
    """The labels that decide `selector` for `namespace` when the selector reads only
    kubernetes.io/metadata.name (None when it reads any other key: those need the Namespace).

    >>> name_label_only({"matchExpressions": [{"key": NAME_LABEL, "operator": "In",
    ...                  "values": ["default"]}]}, "db")
    {'kubernetes.io/metadata.name': 'db'}
    >>> name_label_only({"matchLabels": {"team": "a"}}, "db") is None
    True
    """
    if not isinstance(selector, dict):
        return None
    keys = set((selector.get("matchLabels") or {}).keys()) | {
        e.get("key") for e in selector.get("matchExpressions") or [] if isinstance(e, dict)}
    return {NAME_LABEL: namespace} if keys == {NAME_LABEL} else None


def namespace_selected(selector: dict | None, labels: dict) -> bool | None:
    """allowedRoutes.namespaces.selector (metav1.LabelSelector); None when it is invalid."""
    try:
        return selector_matches(selector, labels)
    except SelectorError:
        return None


def hostnames_intersect(listener_host: str | None, route_hosts: list[str]) -> bool:
    """Gateway API hostname matching: empty matches all; '*.x' matches any deeper label.

    >>> hostnames_intersect("*.example.com", ["llm.example.com"])
    True
    >>> hostnames_intersect("api.example.com", ["llm.example.com"])
    False
    """
    if not listener_host or not route_hosts:
        return True
    return any(_host_pair(listener_host, h) for h in route_hosts)


def _host_pair(a: str, b: str) -> bool:
    if a == b:
        return True
    for wild, other in ((a, b), (b, a)):
        if wild.startswith("*.") and (other.endswith(wild[1:]) or (
                other.startswith("*.") and fnmatch.fnmatch(other[2:], "*" + wild[1:]))):
            return True
    return False


def parent_refs(route: dict) -> list[dict]:
    """spec.parentRefs with defaults filled (group gateway.networking.k8s.io, kind Gateway)."""
    out = []
    for ref in (route.get("spec") or {}).get("parentRefs") or []:
        out.append({"group": ref.get("group", GW_GROUP) or "", "kind": ref.get("kind", "Gateway"),
                    "namespace": ref.get("namespace") or meta(route, "namespace"),
                    "name": ref.get("name", ""), "sectionName": ref.get("sectionName"),
                    "port": ref.get("port")})
    return out


def backend_refs(route: dict):
    """Yield (rule_index, ref) for every rule backendRef, defaults filled (core Service)."""
    for index, rule in enumerate((route.get("spec") or {}).get("rules") or []):
        for ref in rule.get("backendRefs") or []:
            yield index, {"group": ref.get("group", "") or "", "kind": ref.get("kind", "Service"),
                          "namespace": ref.get("namespace") or meta(route, "namespace"),
                          "name": ref.get("name", ""), "port": ref.get("port"),
                          "weight": ref.get("weight")}


def describe_ref(ref: dict) -> str:
    plain = ref.get("group") in ("", None, GW_GROUP, POOL_GROUP)
    kind = ref["kind"] if plain else f"{ref['kind']}.{ref['group']}"
    port = f":{ref['port']}" if ref.get("port") else ""
    section = f" sectionName={ref['sectionName']}" if ref.get("sectionName") else ""
    return f"{kind} {ref['namespace']}/{ref['name']}{port}{section}"


def status_parent(route: dict, ref: dict) -> dict | None:
    """The status entry a controller wrote for this parentRef, if any (`status.parents[]`
    since gateway-api v0.4, `status.gateways[].gatewayRef` in v0.3)."""
    status = route.get("status") or {}
    for entry in (status.get("parents") or []) + (status.get("gateways") or []):
        pref = entry.get("parentRef") or entry.get("gatewayRef") or {}
        # kind and group too: a Gateway and a ListenerSet may share a name (the
        # gateway-api v1.6.1 conformance ListenerSetDualParentRefIndependence route has one
        # status entry per parentRef, judged independently)
        if (pref.get("name") == ref["name"]
                and (pref.get("kind") or "Gateway") == ref.get("kind", "Gateway")
                and (GW_GROUP if pref.get("group") is None else pref["group"])
                == ref.get("group", GW_GROUP)
                and (pref.get("namespace") or meta(route, "namespace")) == ref["namespace"]
                and pref.get("sectionName") == ref.get("sectionName")
                and pref.get("port") == ref.get("port")):
            return entry
    return None


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def is_current(obj: dict, cond: dict) -> bool:
    """False for a condition written for an older spec (observedGeneration < generation)."""
    observed, generation = _as_int(cond.get("observedGeneration")), \
        _as_int(meta(obj, "generation", None))
    return observed is None or not generation or observed >= generation


def current_conditions(obj: dict, entry: dict | None) -> tuple[dict, str]:
    """Conditions by type from a status entry, and a note when they are stale.

    A condition whose observedGeneration is older than metadata.generation describes an
    earlier spec; it is ignored so the verdict comes from the objects instead.
    """
    if not entry:
        return {}, ""
    conds, stale = {}, []
    for cond in entry.get("conditions") or []:
        if not isinstance(cond, dict):
            continue
        if not is_current(obj, cond):
            stale.append(f"{cond.get('type')} (observedGeneration "
                         f"{cond.get('observedGeneration')} < {meta(obj, 'generation')})")
            continue
        conds[cond.get("type")] = cond
    note = f"stale status ignored: {', '.join(stale)}" if stale else ""
    return conds, note


def cond_text(cond: dict) -> str:
    msg = " ".join(str(cond.get("message", "")).split())
    if len(msg) > 400:
        msg = msg[:397] + "..."
    head = (f"{cond.get('type')}={cond.get('status')}" if "type" in cond or "status" in cond
            else "(Type and Status cut from the paste)")
    return f"status {head} reason={cond.get('reason')}" + (f": {msg}" if msg else "")


def pod_ready(pod: dict) -> bool | None:
    """The pod's Ready condition; None when the input carries no conditions (unknown)."""
    conds = (pod.get("status") or {}).get("conditions") or []
    for cond in conds:
        if isinstance(cond, dict) and cond.get("type") == "Ready":
            return str(cond.get("status")) == "True"
    return None


def pod_waiting(pod: dict) -> str:
    """A short 'container: reason' for containers that are not running, from status."""
    out = []
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        state = cs.get("state") or {}
        for key in ("waiting", "terminated"):
            if state.get(key):
                out.append(f"{cs.get('name')}: {state[key].get('reason') or key}")
    return ", ".join(out)


def service_ports(svc: dict) -> list[int]:
    return [p.get("port") for p in (svc.get("spec") or {}).get("ports") or []]


def container_ports(pod: dict) -> set[int]:
    spec = pod.get("spec") or {}
    out = set()
    for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        for port in c.get("ports") or []:
            if isinstance(port.get("containerPort"), int):
                out.add(port["containerPort"])
    return out


def pool_ports(pool: dict) -> list[int]:
    return [p.get("number") for p in (pool.get("spec") or {}).get("targetPorts") or []]


def grant_allows(index: Index, from_kind: str, from_ns: str, to_group: str, to_kind: str,
                 to_ns: str, to_name: str) -> dict | None:
    """A ReferenceGrant in to_ns letting from_kind objects in from_ns refer to the target."""
    for grant in index.of_kind("ReferenceGrant"):
        if meta(grant, "namespace") != to_ns:
            continue
        spec = grant.get("spec") or {}
        froms = any(f.get("group") == GW_GROUP and f.get("kind") == from_kind
                    and f.get("namespace") == from_ns for f in spec.get("from") or [])
        tos = any((t.get("group") or "") == to_group and t.get("kind") == to_kind
                  and (not t.get("name") or t.get("name") == to_name)
                  for t in spec.get("to") or [])
        if froms and tos:
            return grant
    return None


def is_listenerset(obj: dict) -> bool:
    """A ListenerSet or XListenerSet of its own API group (the inferred rules need a spec)."""
    return LISTENERSET_KINDS.get(str(obj.get("kind"))) == group_of(obj)


def listenerset_parent(ls: dict) -> tuple[str, str]:
    """(namespace, name) of the Gateway a ListenerSet's spec.parentRef names."""
    ref = (ls.get("spec") or {}).get("parentRef") or {}
    return ref.get("namespace") or meta(ls, "namespace"), ref.get("name", "")


def holding_listener(index, gateway: dict, section: str) -> list[str]:
    """ListenerSets (either kind) naming `gateway` as parent that define a listener named
    `section`: a route whose Gateway parentRef uses that sectionName attaches to nothing
    (gateway-api v1.6.1 conformance ListenerSetGatewayParentSectionNameNotFound: Accepted=
    False NoMatchingParent; GEP-1713 'Gateway parents and sectionName')."""
    key = (meta(gateway, "namespace"), meta(gateway, "name"))
    out = []
    for ls in (o for o in index.objects if is_listenerset(o)):
        if listenerset_parent(ls) == key and any(li.get("name") == section for li in
                                      (ls.get("spec") or {}).get("listeners") or []
                                      if isinstance(li, dict)):
            out.append(f"{ls['kind']} {meta(ls, 'namespace')}/{meta(ls, 'name')}")
    return sorted(out)
