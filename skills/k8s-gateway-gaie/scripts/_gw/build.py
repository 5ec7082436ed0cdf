"""Builders for Gateway API v1.6 and InferencePool v1 objects (plain dicts).

Every field emitted here exists in the pinned CRDs: gateway-api v1.6.3 config/crd/standard
(experimental only for rules[].retry and rules[].sessionPersistence) and GAIE v1.6.0
config/crd/bases/inference.networking.k8s.io_inferencepools.yaml.
"""
from __future__ import annotations

import re

from k8s_skillkit.errors import InputError

GW_API = "gateway.networking.k8s.io/v1"
GRANT_API = "gateway.networking.k8s.io/v1beta1"  # storage version; v1 also served from v1.5
POOL_API = "inference.networking.k8s.io/v1"
GW_GROUP, POOL_GROUP = "gateway.networking.k8s.io", "inference.networking.k8s.io"
MODEL_HEADER = "X-Gateway-Model-Name"  # set from the body's "model" by body-based routing

_DURATION = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$")   # GEP-2257, as in the CRD pattern
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")


def check_name(value: str, what: str) -> str:
    if not value or len(value) > 63 or not _NAME.match(value):
        raise InputError(f"{what} {value!r}: must be a DNS label (lowercase a-z0-9 and -)")
    return value


def duration_seconds(value: str, what: str) -> float:
    if not _DURATION.match(value or ""):
        raise InputError(f"{what} {value!r}: not a Gateway API duration (e.g. 30s, 5m, 1h30m)")
    total = 0.0
    for number, unit in re.findall(r"([0-9]+)(ms|h|m|s)", value):
        total += int(number) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    return total


def ns_name(text: str, default_ns: str, what: str) -> tuple[str, str]:
    ns, _, name = text.rpartition("/")
    return check_name(ns or default_ns, f"{what} namespace"), check_name(name, what)


def parse_backend(text: str, default_ns: str) -> dict:
    """'pool/NAME', 'svc/NAME:PORT' or 'svc/NS/NAME:PORT', optional '=WEIGHT'.

    >>> parse_backend("svc/llama:8000=90", "llm")["weight"]
    90
    """
    spec, _, weight = text.partition("=")
    kind, _, rest = spec.partition("/")
    if kind not in ("pool", "svc") or not rest:
        raise InputError(f"backend {text!r}: expected pool/NAME or svc/[NS/]NAME:PORT[=WEIGHT]")
    ref = {}
    if kind == "svc":
        target, _, port = rest.rpartition(":")
        if not target or not port.isdigit() or not 0 < int(port) < 65536:
            raise InputError(f"backend {text!r}: a Service backend needs :PORT (1-65535)")
        ns, name = ns_name(target, default_ns, "backend")
        ref.update(name=name, port=int(port))
    else:
        ns, name = ns_name(rest, default_ns, "pool")
        ref.update(group=POOL_GROUP, kind="InferencePool", name=name)
    if ns != default_ns:
        ref["namespace"] = ns
    if weight:
        if not weight.isdigit() or int(weight) > 1000000:
            raise InputError(f"backend {text!r}: weight must be an integer 0-1000000")
        ref["weight"] = int(weight)
    return ref


def gateway(name, namespace, gw_class, hostname=None, tls_secret=None, http=True,
            allow="Same", selector=None) -> dict:
    allowed = {"namespaces": {"from": allow}}
    if allow == "Selector":
        allowed["namespaces"]["selector"] = {"matchLabels": selector or {}}
    listeners = []
    if http:
        listeners.append({"name": "http", "protocol": "HTTP", "port": 80,
                          "allowedRoutes": allowed})
    if tls_secret:
        listeners.append({"name": "https", "protocol": "HTTPS", "port": 443,
                          "tls": {"mode": "Terminate",
                                  "certificateRefs": [{"kind": "Secret", "name": tls_secret}]},
                          "allowedRoutes": allowed})
    if hostname:
        for li in listeners:
            li["hostname"] = hostname
    if not listeners:
        raise InputError("gateway: no listener left (--no-http needs --tls-secret)")
    return {"apiVersion": GW_API, "kind": "Gateway",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"gatewayClassName": gw_class, "listeners": listeners}}


def pool(name, namespace, selector: dict, ports: list[int], epp: str | None, epp_port=9002,
         failure_mode=None, app_protocol=None) -> dict:
    if not selector:
        raise InputError("pool: --selector KEY=VALUE is required (matchLabels of the model "
                         "server pods)")
    if not 1 <= len(ports) <= 8 or len(set(ports)) != len(ports):
        raise InputError("pool: 1 to 8 distinct --port values (spec.targetPorts)")
    spec = {"selector": {"matchLabels": selector},
            "targetPorts": [{"number": p} for p in ports]}
    if app_protocol:
        spec["appProtocol"] = app_protocol
    if epp:
        ref = {"name": epp, "port": {"number": epp_port}}
        if failure_mode:
            ref["failureMode"] = failure_mode
        spec["endpointPickerRef"] = ref
    return {"apiVersion": POOL_API, "kind": "InferencePool",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def grant(name, namespace, from_kind, from_ns, to_kind, to_name=None) -> dict:
    to = {"group": POOL_GROUP if to_kind == "InferencePool" else "", "kind": to_kind}
    if to_name:
        to["name"] = to_name
    return {"apiVersion": GRANT_API, "kind": "ReferenceGrant",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"from": [{"group": GW_GROUP, "kind": from_kind, "namespace": from_ns}],
                     "to": [to]}}


def backend_tls(name, namespace, service, hostname, ca_configmap=None, well_known=False) -> dict:
    validation = {"hostname": hostname}
    if well_known:
        validation["wellKnownCACertificates"] = "System"
    elif ca_configmap:
        validation["caCertificateRefs"] = [{"group": "", "kind": "ConfigMap",
                                            "name": ca_configmap}]
    else:
        raise InputError("backend-tls: --ca-configmap NAME or --well-known-ca is required")
    return {"apiVersion": GW_API, "kind": "BackendTLSPolicy",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": service}],
                     "validation": validation}}
