"""API clients for one identity: a kubeconfig file (tests, out-of-cluster) or the pod's
ServiceAccount (in-cluster). Each process of the service is exactly one identity.

ApiException is turned into KubeError at this boundary, with the apiserver's own message.
"""
from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import yaml
from kubernetes import client, config
import urllib3
from kubernetes.client.exceptions import ApiException

from harness.errors import UserError

if TYPE_CHECKING:  # imported on first use (discovery is slow)
    from kubernetes.dynamic import DynamicClient

P = ParamSpec("P")
T = TypeVar("T")


class KubeError(Exception):
    def __init__(self, status: int, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


def kube_error(err: ApiException) -> KubeError:
    try:
        body = json.loads(err.body or "{}")
    except (TypeError, ValueError):
        body = {}
    message = body.get("message") or str(err.reason or err)
    return KubeError(int(err.status or 0), message, body.get("reason", ""))


class Kube:
    """Typed clients sharing one ApiClient; `default=True` also makes it the process-wide
    default (the client library's leader election reads only that)."""

    def __init__(self, kubeconfig: str = "", default: bool = False) -> None:
        self.configuration = client.Configuration()
        try:
            if kubeconfig:
                config.load_kube_config(config_file=kubeconfig,
                                        client_configuration=self.configuration)
            else:
                config.load_incluster_config(client_configuration=self.configuration)
        except (config.ConfigException, OSError) as err:
            where = kubeconfig or "the in-cluster ServiceAccount"
            raise UserError(f"cannot load Kubernetes credentials from {where}: {err}") from err
        self.kubeconfig = kubeconfig
        if default:
            client.Configuration.set_default(self.configuration)
        self.api = client.ApiClient(self.configuration)
        self.core = client.CoreV1Api(self.api)
        self.custom = client.CustomObjectsApi(self.api)
        self.authn = client.AuthenticationV1Api(self.api)
        self.authz = client.AuthorizationV1Api(self.api)
        self.coordination = client.CoordinationV1Api(self.api)
        self.events = client.EventsV1Api(self.api)
        self._dynamic: DynamicClient | None = None

    @property
    def dynamic(self) -> DynamicClient:
        """The dynamic client (discovery on first use; the applier needs any kind)."""
        if self._dynamic is None:
            from kubernetes.dynamic import DynamicClient
            self._dynamic = DynamicClient(self.api)
        return self._dynamic

    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """fn(*args) with ApiException turned into KubeError."""
        try:
            return fn(*args, **kwargs)
        except ApiException as err:
            raise kube_error(err) from err

    def raw_get(self, path: str, params: list[tuple[str, str]] | None = None,
                timeout: float | tuple[float, float] = 60) -> urllib3.BaseHTTPResponse:
        """GET `path` unparsed: the urllib3 response, streamable (lists and watches of plain
        dicts, without the typed models' cost). ApiException on a non-2xx answer."""
        method, url, headers, _, _ = self.api.param_serialize(
            "GET", path, query_params=params or [], header_params={"Accept": "application/json"},
            auth_settings=["BearerToken"])
        response = self.api.call_api(method, url, header_params=headers,
                                     _request_timeout=timeout)
        if not 200 <= response.status <= 299:
            body = response.read()
            raise ApiException(status=response.status, reason=response.reason, body=body)
        raw: urllib3.BaseHTTPResponse = response.response  # RESTResponse wraps urllib3's
        return raw

    def whoami(self) -> str:
        review = self.call(self.authn.create_self_subject_review,
                           client.V1SelfSubjectReview())
        username = review.status.user_info.username if review.status and \
            review.status.user_info else None
        if not username:
            raise KubeError(0, "the SelfSubjectReview came back without a username")
        return str(username)


def token_kubeconfig(kube: Kube, token: str, path: Path) -> Path:
    """A kubeconfig for `token` against the same apiserver and CA as `kube` (mode 0600)."""
    cfg = kube.configuration
    cluster = {"server": cfg.host}
    if cfg.ssl_ca_cert:
        cluster["certificate-authority-data"] = base64.b64encode(
            Path(cfg.ssl_ca_cert).read_bytes()).decode()
    doc = {"apiVersion": "v1", "kind": "Config", "current-context": "agent-reader",
           "clusters": [{"name": "cluster", "cluster": cluster}],
           "users": [{"name": "agent-reader", "user": {"token": token}}],
           "contexts": [{"name": "agent-reader",
                         "context": {"cluster": "cluster", "user": "agent-reader"}}]}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kubeconfig-")
    with os.fdopen(fd, "w") as handle:
        yaml.safe_dump(doc, handle)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def mint_token(kube: Kube, namespace: str, serviceaccount: str, seconds: int = 3600) -> str:
    """A short-lived token for `serviceaccount` (TokenRequest; the chart grants the service
    `create serviceaccounts/token` on that one name only)."""
    request = client.AuthenticationV1TokenRequest(
        spec=client.V1TokenRequestSpec(audiences=[], expiration_seconds=seconds))
    result = kube.call(kube.core.create_namespaced_service_account_token, serviceaccount,
                       namespace, request)
    token = result.status.token if result.status else None
    if not token:  # a kubeconfig without one would run the model's shell as anonymous
        raise KubeError(0, f"the TokenRequest for serviceaccount {namespace}/{serviceaccount} "
                           "came back without a token")
    return str(token)
