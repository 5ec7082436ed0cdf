"""`cluster status`'s liveness probe: a 401/403 means "up" only when the component itself
refused (a Kubernetes `Status` object); the same code from anything else on the path is not.

Bodies: the apiserver's anonymous refusal as a user pasted it (real-world corpus case
kubeadm-apiserver-root-anonymous-forbidden), and the egress filter's answer captured when a
killed controller's address was probed (tests/evals/resources/health/egress-deny-403.txt)."""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from harness.cluster.health import probe

ROOT = Path(__file__).resolve().parents[2]
APISERVER_403 = b"""{
  "kind": "Status",
  "apiVersion": "v1",
  "metadata": {},
  "status": "Failure",
  "message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/\\"",
  "reason": "Forbidden",
  "details": {},
  "code": 403
}"""


def _egress_filter_403() -> bytes:
    text = (ROOT / "tests/evals/resources/health/egress-deny-403.txt").read_bytes()
    return text.split(b"\r\n\r\n", 1)[1]


def _serve(code: int, body: bytes, content_type: str):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            self.send_response(code)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("code, body, content_type, expected", [
    (200, b"ok", "text/plain", "ok"),
    (403, APISERVER_403, "application/json", "ok"),
    (401, APISERVER_403.replace(b"403", b"401"), "application/json", "ok"),
    (403, _egress_filter_403(), "text/plain", "HTTP 403"),
    (500, b"[-]etcd failed", "text/plain", "HTTP 500"),
])
def test_probe_counts_a_refusal_as_up_only_when_the_component_wrote_it(code, body,
                                                                       content_type, expected):
    server = _serve(code, body, content_type)
    try:
        assert probe(f"http://127.0.0.1:{server.server_address[1]}/healthz") == expected
    finally:
        server.shutdown()


def test_a_closed_port_is_unreachable():
    server = _serve(200, b"ok", "text/plain")
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    assert probe(f"http://127.0.0.1:{port}/healthz").startswith("unreachable")
