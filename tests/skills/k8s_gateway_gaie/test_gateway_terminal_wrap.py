"""A paste copied from a console that hard-wraps (every long line cut at one width, inside
words too) is read as the user's own lines: check_routes joins the pieces back (kit
event_table.unwrap_free_text) before it matches messages and prose (issue 12)."""
from __future__ import annotations

# kubernetes-sigs/gateway-api#1275: GKE's event for a listener whose pre-shared certificate
# does not exist, pasted in a ```yaml fence (tests/resources/real-world/gateway/
# gke-listener-pre-shared-cert-missing-event); established cause: the listener's certificate.
GKE_EVENT = ('Warning  SYNC    24s (x5 over 8m26s)  sc-gateway-controller  failed to translate '
             'Gateway "default/{{managedCertName}}": Error GWCER105: Listener "https" is '
             'invalid, err: SslCertificate "global/sslCertificates/{{managedCertName}}" does '
             'not exist.')
GKE_PASTE = ["which results in the Gateway logging the following event/error:", "```yaml",
             GKE_EVENT, "```"]

# cert-manager/website#2193 (real-world gateway/certmanager-http01-route-not-allowed-same-
# namespace): prose; established cause: the listener's allowedRoutes default (Same).
PROSE = ("The Gateway HTTP listener in the ListenerSet example was missing allowedRoutes, "
         "which defaults to Same namespace. Without it, cert-manager's HTTP-01 challenge "
         "HTTPRoute (created in the application namespace) won't attach to the listener and "
         "the challenge will fail.")
PROSE_PASTE = ["fix: add allowedRoutes to Gateway HTTP listener in ListenerSet example", "",
               PROSE]


def _cut(lines: list[str], width: int) -> str:
    out = []
    for line in lines:
        out += [line[i:i + width] for i in range(0, len(line), width)] or [""]
    return "\n".join(out) + "\n"


def _first_cause(gw_run, tmp_path, text: str) -> str:
    path = tmp_path / "paste.txt"
    path.write_text(text)
    result = gw_run("check_routes", "-f", str(path), "--json")
    assert result.code == 1, result.err
    return result.doc["findings"][0]["cause"]


def test_an_event_cut_by_the_terminal_is_read_whole(gw_run, tmp_path):
    assert _first_cause(gw_run, tmp_path, "\n".join(GKE_PASTE)) == "listener_certificate_invalid"
    for width in (80, 100):
        assert _first_cause(gw_run, tmp_path, _cut(GKE_PASTE, width)) == \
            "listener_certificate_invalid"


def test_prose_cut_by_the_terminal_is_read_whole(gw_run, tmp_path):
    for width in (80, 100):
        assert _first_cause(gw_run, tmp_path, _cut(PROSE_PASTE, width)) == \
            "not_allowed_by_listener"
