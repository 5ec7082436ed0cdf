"""The local OCI registries: CNCF Distribution's `registry`, built from its Go module.

Two processes per cluster, both on the host end of the real node's link (reachable from
the node, never from beyond the machine): a public one that every registry host resolves
to, and a private one whose every request needs credentials (Distribution's htpasswd auth
covers a whole registry, hence the second process). Their storage is a copy of the one
`k8s-skills cluster build` filled by pushing the OCI layout of images.py over HTTP.
"""
from __future__ import annotations
from typing import Any

import base64
import json
import os
import secrets
import shutil
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import bcrypt

from harness import yamlio
from harness.cluster import images, procs
from harness.errors import UserError

PUBLIC_PORT = 5000
PRIVATE_PORT = 5001
USERNAME = "k8s-skills"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def header(self) -> str:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return f"Basic {token}"

    def docker_config(self, registry_host: str) -> str:
        """The .dockerconfigjson of a kubernetes.io/dockerconfigjson Secret."""
        auth = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return json.dumps({"auths": {registry_host: {
            "username": self.username, "password": self.password, "auth": auth}}})


def new_credentials() -> Credentials:
    return Credentials(USERNAME, secrets.token_urlsafe(18))


def write_credentials(path: Path, creds: Credentials) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps({"username": creds.username, "password": creds.password}))


def read_credentials(path: Path) -> Credentials:
    doc = json.loads(path.read_text())
    return Credentials(doc["username"], doc["password"])


def config(storage: Path, address: str, htpasswd: Path | None = None) -> dict[str, Any]:
    doc = {
        "version": 0.1,
        "log": {"level": "warn", "formatter": "text"},
        "storage": {"filesystem": {"rootdirectory": str(storage)},
                    "maintenance": {"uploadpurging": {"enabled": False}}},
        "http": {"addr": address, "secret": secrets.token_hex(16)},
        # A storage health check would write to storage every few seconds; nothing to gain.
        "health": {"storagedriver": {"enabled": False}},
    }
    if htpasswd is not None:
        doc["auth"] = {"htpasswd": {"realm": "k8s-skills", "path": str(htpasswd)}}
    return doc


def write_htpasswd(path: Path, creds: Credentials) -> None:
    # Distribution accepts only bcrypt entries; cost 6 keeps start-up fast on loopback.
    hashed = bcrypt.hashpw(creds.password.encode(), bcrypt.gensalt(rounds=6)).decode()
    path.write_text(f"{creds.username}:{hashed}\n")
    path.chmod(0o600)


def start(binary: Path, folder: Path, name: str, doc: dict[str, Any]) -> int:
    """Start one registry whose files live in `folder`; returns its pid."""
    folder.mkdir(parents=True, exist_ok=True)
    config_path = folder / f"{name}.yaml"
    config_path.write_text(yamlio.dump_all([doc]))
    # Distribution exports traces with OTLP to localhost unless told otherwise.
    env = {**os.environ, "OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none",
           "OTEL_LOGS_EXPORTER": "none"}
    return procs.start_background([str(binary), "serve", str(config_path)],
                                  folder / f"{name}.log", env)


def wait_ready(base_url: str, pid: int, log_path: Path, timeout: float = 20) -> None:
    def answers() -> bool:
        if not procs.is_alive(pid):
            raise procs.StopWaiting(f"the registry at {base_url} exited: "
                                    f"{_last_line(log_path)}")
        try:
            urllib.request.urlopen(f"{base_url}/v2/", timeout=1)
        except urllib.error.HTTPError as err:
            return err.code == 401   # the private registry answers, asking for credentials
        return True
    try:
        procs.wait_until(answers, timeout, interval=0.05, what=f"the registry at {base_url}")
    except TimeoutError as err:
        raise UserError(f"{err}; log: {log_path}") from err


def copy_storage(source: Path, target: Path) -> None:
    """A cluster's registry gets its own copy: pushes to it never touch the cache."""
    shutil.copytree(source, target, symlinks=True)


# -- pushing an OCI layout over the registry HTTP API ------------------------------------
class Pusher:
    def __init__(self, base_url: str, creds: Credentials | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.creds = creds
        self.where: dict[str, str] = {}   # blob digest -> a repository that has it

    def push_layout(self, root: Path, private: bool) -> int:
        """Push every manifest of the layout whose privacy matches; returns how many."""
        count = 0
        for reference, tag, desc in images.read_layout(root):
            is_private = reference.startswith(images.PRIVATE_HOST + "/")
            if is_private != private:
                continue
            repository = reference.removeprefix(images.PRIVATE_HOST + "/")
            manifest = images.blob_path(root, desc["digest"]).read_bytes()
            doc = json.loads(manifest)
            for blob in [doc["config"]] + doc["layers"]:
                self._push_blob(root, repository, blob["digest"])
            self._request("PUT", f"/v2/{repository}/manifests/{tag}", manifest,
                          {"Content-Type": desc["mediaType"]}, expect=(201,))
            count += 1
        return count

    def _push_blob(self, root: Path, repository: str, digest: str) -> None:
        if self._request("HEAD", f"/v2/{repository}/blobs/{digest}", expect=(200, 404)) == 200:
            return
        path = f"/v2/{repository}/blobs/uploads/"
        if digest in self.where:   # cross-repository mount: no second upload of the bytes
            query = urllib.parse.urlencode({"mount": digest, "from": self.where[digest]})
            if self._request("POST", f"{path}?{query}", b"", expect=(201, 202)) == 201:
                return
        location = str(self._request("POST", path, b"", expect=(202,), want_location=True))
        joiner = "&" if "?" in location else "?"
        self._request("PUT", f"{location}{joiner}digest={urllib.parse.quote(digest)}",
                      images.blob_path(root, digest).read_bytes(),
                      {"Content-Type": "application/octet-stream"}, expect=(201,))
        self.where[digest] = repository

    def _request(self, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, Any] | None = None, expect: tuple[int, ...] = (200,),
                 want_location: bool = False) -> int | str:
        url = path if path.startswith("http") else self.base_url + path
        request = urllib.request.Request(url, data=body, method=method,
                                         headers=dict(headers or {}))
        if self.creds:
            request.add_header("Authorization", self.creds.header())
        status: int
        location: str
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as err:
            status, location = err.code, err.headers.get("Location", "")
            if status not in expect:
                detail = err.read()[:300].decode(errors="replace")
                raise UserError(f"registry {method} {path}: HTTP {status} {detail}") from err
        if status not in expect:
            raise UserError(f"registry {method} {path}: unexpected HTTP {status}")
        if want_location:
            return urllib.parse.urljoin(self.base_url + "/", location)
        return status


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "no log"
    return lines[-1][:300] if lines else "no output"
