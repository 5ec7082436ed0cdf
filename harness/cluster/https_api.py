"""The apiserver over HTTPS from Python, with a kubeconfig's certificate files.

`cluster up` polls and applies a few objects on its critical path; a kubectl process costs
about 50 ms of CPU and 0.1-0.3 s of wall time each (start-up, and for an apply the
discovery and OpenAPI reads), a request on a kept SSL context a few milliseconds.
For kubeconfigs whose cluster and user name files (the ones kwokctl writes).
"""
from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from harness import yamlio
from harness.errors import UserError


class HttpsApi:
    def __init__(self, kubeconfig: Path, timeout: float = 30):
        config = yamlio.load(Path(kubeconfig).read_text())
        cluster, user = config["clusters"][0]["cluster"], config["users"][0]["user"]
        self.server = cluster["server"].rstrip("/")
        self.timeout = timeout
        context = ssl.create_default_context(cafile=cluster["certificate-authority"])
        context.load_cert_chain(user["client-certificate"], user["client-key"])
        # loopback: no proxy from the environment
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                   urllib.request.HTTPSHandler(context=context))
        self._resources: dict[str, list[dict[str, Any]]] = {}

    def get(self, path: str) -> tuple[int, Any]:
        """(HTTP status, JSON body or None). Raises OSError when nothing answers."""
        return self._send(urllib.request.Request(self.server + path))

    def delete(self, path: str) -> int:
        """DELETE; the HTTP status (404: it was not there)."""
        return self._send(urllib.request.Request(self.server + path, method="DELETE"))[0]

    def ok(self, path: str) -> bool:
        return self.get(path)[0] == 200

    def apply(self, objects: list[dict[str, Any]], field_manager: str) -> None:
        """Server-side apply, one PATCH per object, conflicts forced (as `kubectl apply
        --server-side --force-conflicts --field-manager=...`); the server validates."""
        for obj in objects:
            url = self.server + self._object_path(obj) + "?" + urllib.parse.urlencode(
                {"fieldManager": field_manager, "force": "true"})
            request = urllib.request.Request(
                url, data=json.dumps(obj).encode(), method="PATCH",
                headers={"Content-Type": "application/apply-patch+yaml"})  # JSON is YAML
            status, body = self._send(request)
            if status != 200 and status != 201:
                message = body.get("message") if isinstance(body, dict) else body
                raise UserError(f"apply of {obj['kind']} {obj['metadata']['name']} failed: "
                                f"HTTP {status}: {message}")

    def _object_path(self, obj: dict[str, Any]) -> str:
        """The object's URL path, its resource name and scope from the group version's
        discovery document (read once per group version)."""
        group_version, kind = obj["apiVersion"], obj["kind"]
        base = f"/api/{group_version}" if "/" not in group_version else \
            f"/apis/{group_version}"
        if group_version not in self._resources:
            status, body = self.get(base)
            if status != 200 or not isinstance(body, dict):
                raise UserError(f"the apiserver does not serve {group_version} (HTTP {status})")
            self._resources[group_version] = body.get("resources") or []
        for resource in self._resources[group_version]:
            if resource.get("kind") == kind and "/" not in resource["name"]:
                meta = obj["metadata"]
                scope = f"/namespaces/{meta.get('namespace') or 'default'}" \
                    if resource.get("namespaced") else ""
                return f"{base}{scope}/{resource['name']}/{meta['name']}"
        raise UserError(f"the apiserver serves no kind {kind} in {group_version}")

    def _send(self, request: urllib.request.Request) -> tuple[int, Any]:
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, _json_or_none(response.read())
        except urllib.error.HTTPError as err:
            return err.code, _json_or_none(err.read())


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body.decode(errors="replace")[:400] or None
