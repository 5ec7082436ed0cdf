"""A loopback git smart-HTTP server (git http-backend behind http.server) for plugin tests.

Claude Code installs a marketplace added from a git URL by cloning it (shallow, so git's
dumb HTTP transport is refused) and copies the plugin into its cache: the path a user who
adds this repository from its forge takes. Serving a local bare repository this way lets a
test take that path with nothing leaving the machine. `file://` URLs are not accepted by
`claude plugin marketplace add` (2.1.332: "Invalid marketplace source format").
"""
from __future__ import annotations

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class GitHTTPServer:
    """Serves every bare repository under `root` at http://127.0.0.1:<port>/<name>.git."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.root))
        self._server.daemon_threads = True

    def url(self, repo: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/{repo}"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


def _handler(root: Path):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def do_GET(self):
            self._backend(b"")

        def do_POST(self):
            self._backend(self.rfile.read(int(self.headers.get("content-length") or 0)))

        def _backend(self, body: bytes) -> None:
            path, _, query = self.path.partition("?")
            env = {"GIT_PROJECT_ROOT": str(root), "GIT_HTTP_EXPORT_ALL": "1",
                   "PATH_INFO": path, "QUERY_STRING": query,
                   "REQUEST_METHOD": self.command, "REMOTE_ADDR": "127.0.0.1",
                   "CONTENT_TYPE": self.headers.get("content-type", ""),
                   "CONTENT_LENGTH": str(len(body)), "PATH": "/usr/bin:/bin"}
            if self.headers.get("git-protocol"):
                env["GIT_PROTOCOL"] = self.headers["git-protocol"]
            out = subprocess.run(["git", "http-backend"], input=body, env=env,
                                 capture_output=True, timeout=120).stdout
            head, _, payload = out.partition(b"\r\n\r\n")
            headers = [line.split(b":", 1) for line in head.split(b"\r\n") if b":" in line]
            status = next((int(v.split()[0]) for k, v in headers if k.lower() == b"status"), 200)
            self.send_response(status)
            for key, value in headers:
                if key.lower() != b"status":
                    self.send_header(key.decode(), value.strip().decode())
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
    return Handler
