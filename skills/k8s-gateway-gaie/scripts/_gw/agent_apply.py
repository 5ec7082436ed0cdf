"""NGINX Gateway Fabric's data plane (nginx-agent) failing to apply the config it was sent.

From NGINX Gateway Fabric 2.0 the control plane sends the generated nginx config to the agent
in each data plane pod over gRPC; the agent writes the files, reloads nginx and answers. When
the apply fails it restores the files it backed up and answers failure (nginx/agent
internal/nginx/nginx_plugin.go:417 `Failed to apply config changes, rolling back`, :426/:486
the response message `Config apply failed, rolling back config`@3e5f6db0), and the control
plane logs that answer (nginx/nginx-gateway-fabric internal/controller/handler.go:567
`Failed to update NGINX configuration`@e55bfe33; quoted together in NGF's own longevity results
tests/results/longevity/2.6.0/2.6.0-oss.md@e55bfe33). nginx then keeps serving the previous
config (stale upstream addresses: `no live upstreams`, 502/504) while the statuses describe
the new one: xds_config_rejected (nginx/nginx-gateway-fabric#5330: an agent reconnect race,
`rpc error: code = NotFound desc = connection not found`, fixed for 2.7.0).

`Failed to update NGINX configuration` alone is the control plane's wrapper of any failed
apply, so it is read too: whatever the error after it, the data plane did not take the
config.
"""
from __future__ import annotations

from _gw.messages import _p

_APPLY_FAILED = (r"\bConfig apply failed, rolling back config\b|\bFailed to apply config "
                 r"changes, rolling back\b|\bFailed to update NGINX configuration\b")
_HINT = ("the NGINX data plane did not take the configuration the control plane sent (the "
         "agent restored its previous files): nginx keeps serving the old config (old upstream "
         "addresses: 502/504, `no live upstreams`) while the Gateway API statuses describe the "
         "new one. The error after the message names why (a file the agent could not fetch, "
         "`connection not found` during an agent reconnect, an nginx -t failure); restart the "
         "data plane pod to force a full resend, and upgrade NGINX Gateway Fabric when the "
         "error is the agent's connection (nginx/nginx-gateway-fabric#5330, fixed for 2.7.0)")

PATTERNS = (
    _p("ngf-agent-apply-failed", _APPLY_FAILED, "xds_config_rejected", "listener", ("text",),
       hint=_HINT),
)
