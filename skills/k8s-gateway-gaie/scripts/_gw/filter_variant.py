"""A controller written in Rust refusing a route filter type its Gateway API bindings lack.

serde's enum deserializer names an unknown tag `unknown variant `<tag>`, expected one of
`<A>`, `<B>`, ...` (serde src/de/mod.rs Error::unknown_variant); a log that prints the error
through Display may drop the backticks (`unknown variant CORS, expected one of
RequestHeaderModifier, ...`). When the expected list is the HTTPRouteFilter types, the
program's bindings predate a filter type the installed CRDs allow (CORS, added in Gateway API
v1.3): Linkerd's policy controller, built on Gateway API v1.2.1 types, could not list
HTTPRoutes at all (its watch restarted forever, linkerd/linkerd2#14741, fixed by #14844) and
its validating webhook refused such routes at admission (linkerd/linkerd2#14986, fixed by
#15118). Either way the filter is one the controller does not support: unsupported_filter
(the webhook's refusal is read by match_denial first; nothing was stored).
"""
from __future__ import annotations

from _gw.messages import _p

# the Gateway API v1.0-v1.2 HTTPRouteFilter types (gateway-api apis/v1/httproute_types.go
# HTTPRouteFilterType): an expected list naming one of them is the filter enum
_FILTER_TYPES = (r"(?:RequestHeaderModifier|ResponseHeaderModifier|RequestMirror|"
                 r"RequestRedirect|URLRewrite|ExtensionRef)")
_UNKNOWN_FILTER = (r"\bunknown variant `?(?P<name>\w+)`?, expected one of\b[`\w, ]{0,120}?`?"
                   + _FILTER_TYPES + r"\b")
_HINT = ("the controller cannot read the route's filter type {name}: its Gateway API types are "
         "older than the installed CRDs, which allow it. Remove that filter (or use one the "
         "controller lists), or upgrade the controller to a release built for the installed "
         "Gateway API version (Linkerd: the release with linkerd/linkerd2#14844 and #15118 "
         "skips what it cannot read); until then it may not serve, or may refuse, routes "
         "that use it")

PATTERNS = (
    _p("serde-unknown-filter-variant", _UNKNOWN_FILTER, "unsupported_filter", "attach",
       ("text",), hint=_HINT),
)
