"""A small client of the agent's API (standard library only): what `k8s-skills agent ask`,
`proposals`, `approve` and `reject` use, and what the tests drive replicas with."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from http.client import HTTPResponse
from typing import Any, Iterable, Iterator

import yaml

from harness.errors import UserError

SA_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class AgentClient:
    def __init__(self, url: str, token: str = "", timeout: float = 600, act_as: str = "") -> None:
        """`act_as`: a front door's token acting for this user (Impersonate-User; the
        token's identity needs verb impersonate on that user, as for kubectl --as)."""
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.act_as = act_as

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None,
                 accept: str = "application/json") -> HTTPResponse:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": accept}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.act_as:
            headers["Impersonate-User"] = self.act_as
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers=headers)
        try:
            response: HTTPResponse = urllib.request.urlopen(request, timeout=self.timeout)
            return response  # an http(s) URL: urlopen's answer is an HTTPResponse
        except urllib.error.HTTPError as err:
            raise ApiError(err.code, _error_text(err)) from None
        except (urllib.error.URLError, OSError) as err:
            raise UserError(f"cannot reach the agent at {self.url}: "
                            f"{getattr(err, 'reason', err)}") from None

    def get(self, path: str) -> dict[str, Any]:
        with self._request("GET", path) as response:
            answer: dict[str, Any] = json.loads(response.read())  # the API answers objects
            return answer

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        with self._request("POST", path, body if body is not None else {}) as response:
            answer: dict[str, Any] = json.loads(response.read())
            return answer

    def ask(self, question: str, conversation: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
        """(event, data) pairs of the answer's server-sent events, as they arrive."""
        body = {"question": question}
        if conversation:
            body["conversation"] = conversation
        with self._request("POST", "/v1/ask", body, accept="text/event-stream") as response:
            yield from parse_sse(response)


def parse_sse(lines: Iterable[bytes]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Server-sent events from an iterable of byte lines.

    >>> list(parse_sse([b"event: done", b"data: {\\"a\\": 1}", b""]))
    [('done', {'a': 1})]
    """
    data: list[str] = []
    event = "message"
    for raw in lines:
        line = raw.decode("utf-8").rstrip("\r\n")
        if not line:
            if data:
                yield event, json.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    if data:
        yield event, json.loads("\n".join(data))


def _error_text(err: urllib.error.HTTPError) -> str:
    try:
        return json.loads(err.read() or b"{}").get("error") or err.reason
    except ValueError:
        return str(err.reason)


def find_token(explicit: str = "", token_file: str = "") -> str:
    """--token, --token-file, $K8S_AGENT_TOKEN, the current kubeconfig user's static token,
    or the pod's ServiceAccount token; '' when none (the API then answers 401)."""
    if explicit:
        return explicit
    for path in (token_file, os.environ.get("K8S_AGENT_TOKEN_FILE", "")):
        if path:
            try:
                return Path(path).read_text().strip()
            except OSError as err:
                raise UserError(f"token file {path}: {err.strerror}") from None
    if os.environ.get("K8S_AGENT_TOKEN"):
        return os.environ["K8S_AGENT_TOKEN"]
    token = _kubeconfig_token()
    if token:
        return token
    return Path(SA_TOKEN).read_text().strip() if Path(SA_TOKEN).is_file() else ""


def _kubeconfig_token() -> str:
    path = (os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config"))
    path = path.split(os.pathsep)[0]
    try:
        doc = yaml.safe_load(Path(path).read_text()) or {}
    except (OSError, yaml.YAMLError):
        return ""
    contexts = {c.get("name"): c.get("context") or {} for c in doc.get("contexts") or []}
    user = contexts.get(doc.get("current-context"), {}).get("user")
    for entry in doc.get("users") or []:
        if entry.get("name") == user:
            return str((entry.get("user") or {}).get("token") or "")
    return ""
