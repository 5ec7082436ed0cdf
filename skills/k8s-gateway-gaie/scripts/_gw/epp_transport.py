"""The gateway's ext_proc stream to the endpoint picker closed by the picker's side.

Envoy's `upstream connect error or disconnect/reset before headers. reset reason: <reason>`
does not say which upstream failed: the route's model server, or the ext_proc gRPC stream to
the endpoint picker (Envoy's gRPC client runs on its own router, so the picker's stream fails
with the same text). The reason tells how: `connection failure` = nothing accepted the
connection; `connection termination` = a connection was opened, then closed by the peer
before any answer (envoy data/accesslog/v3 ResponseFlags upstream_connection_termination,
go-control-plane envoy@v1.37.0 data/accesslog/v3/accesslog.pb.go:877; the reason string of
envoy source/common/http/utility.cc resetReasonToString). A closed-at-once connection to a
port that listens is two sides that speak different transports: the gateway sends TLS (or
mesh mTLS) to a picker that serves plain gRPC (`--secure-serving=false`), or plaintext to a
picker that serves TLS (the GAIE default, cmd/epp/runner/runner.go:85@v1.0.2 `secure-serving`
defaults to true, which is why the inferencepool chart renders an Istio DestinationRule with
tls.mode SIMPLE, insecureSkipVerify: true: config/charts/inferencepool/templates/istio.yaml
@v1.0.2).

So this reading needs both in the paste: the reset reason `connection termination`, and the
ext_proc filter or its gRPC cluster in an InferencePool/endpoint-picker context. With only
the reason, the model server is as likely the peer, and the old reading stays.
"""
from __future__ import annotations

import re

# (Envoy's reason string is exactly this; "connection failure" is another reading)
_TERMINATION = re.compile(r"reset reason: connection termination\b", re.IGNORECASE)
# the ext_proc filter (envoy.filters.http.ext_proc) or a sentence/config naming it
EXT_PROC = re.compile(r"\bext[_-]?proc\b|\bextproc\b", re.IGNORECASE)

CONFIRM = ("istioctl proxy-config cluster <gateway pod> -n <gateway namespace> --fqdn "
           "<endpoint picker Service FQDN> -o json (a transportSocket means the gateway sends "
           "TLS; compare with the picker's --secure-serving flag)")
FIX = ("the endpoint picker closes the gateway's ext_proc connection: the two disagree on TLS. "
       "The picker serves TLS by default (--secure-serving=true, self-signed): then the "
       "gateway must originate TLS without verifying it (Istio: a DestinationRule for the "
       "picker's Service host with trafficPolicy.tls.mode SIMPLE and insecureSkipVerify: true, "
       "as the inferencepool chart renders). A picker started with --secure-serving=false "
       "serves plain gRPC: then tls.mode DISABLE for that host, and no mesh mTLS toward it")
MESSAGE = ("the paste shows the gateway calling the endpoint picker over ext_proc and the "
           "connection closed by the peer before any answer (reset reason: connection "
           "termination): the gateway and the picker do not share a transport (TLS vs plain "
           "gRPC)")


def closed_by_picker(evidence: list[str], ext_proc: list[str], inference: bool) -> bool:
    """True when an upstream-reset finding's evidence says `connection termination` and the
    paste shows the ext_proc hop to an endpoint picker.

    >>> closed_by_picker(["upstream connect error or disconnect/reset before headers. "
    ...                   "reset reason: connection termination"],
    ...                  ['"name": "envoy.filters.http.ext_proc",'], True)
    True
    >>> closed_by_picker(["... reset reason: connection failure"], ["ext_proc"], True)
    False
    """
    return bool(ext_proc) and inference and any(_TERMINATION.search(str(e)) for e in evidence)
