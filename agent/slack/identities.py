"""Who a Slack user is in Kubernetes: a ConfigMap whose keys are Slack user IDs and whose
values are Kubernetes usernames (what TokenReview says for that person: `alice`, or
`system:serviceaccount:ns:name`).

    apiVersion: v1
    kind: ConfigMap
    metadata: {name: k8s-agent-slack-users, namespace: k8s-agent}
    data:
      U07ALICE1: alice
      U07BOB001: bob

The mapping only names the person; what that person may do is cluster RBAC's answer (the
agent service's SubjectAccessReview for the impersonated user). The ConfigMap is re-read
after `ttl` seconds, so an edit takes effect without a restart.
"""
from __future__ import annotations

import re
import threading
import time
from typing import TYPE_CHECKING, Callable, Mapping

if TYPE_CHECKING:
    from kubernetes.client import CoreV1Api

SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,20}$")  # Slack user IDs: U… (W… on Enterprise Grid)


class IdentityError(ValueError):
    """The mapping itself is wrong (one line, names the key)."""


def parse(data: Mapping[str, str] | None) -> dict[str, str]:
    """{slack_id: kubernetes_user} from a ConfigMap's data, refusing bad entries.

    >>> parse({"U07ALICE1": " alice "})
    {'U07ALICE1': 'alice'}
    >>> try: parse({"alice": "alice"})
    ... except IdentityError as err: print(err)
    key 'alice' is not a Slack user ID (U… or W…)
    """
    out = {}
    for key, value in (data or {}).items():
        if not SLACK_ID.match(key):
            raise IdentityError(f"key {key!r} is not a Slack user ID (U… or W…)")
        user = str(value or "").strip()
        if not user or any(c.isspace() for c in user):
            raise IdentityError(f"{key}: {value!r} is not a Kubernetes username")
        if user.startswith("system:"):  # a person in Slack is never a system identity
            raise IdentityError(f"{key}: {user!r} is a system identity, not a person")
        out[key] = user
    return out


class Identities:
    """lookup(slack_id) -> Kubernetes username or None, from `load()` cached for `ttl` s."""

    def __init__(self, load: Callable[[], Mapping[str, str]], ttl: float = 15.0,
                 where: str = "the identity map"):
        self._load = load
        self.ttl = ttl
        self.where = where
        self._cached: tuple[float, dict[str, str]] | None = None
        self._lock = threading.Lock()

    def lookup(self, slack_id: str) -> str | None:
        return self._current().get(slack_id)

    def _current(self) -> dict[str, str]:
        with self._lock:
            if self._cached and time.monotonic() - self._cached[0] < self.ttl:
                return self._cached[1]
            mapping = parse(self._load())
            self._cached = (time.monotonic(), mapping)
            return mapping


def from_dict(data: Mapping[str, str]) -> Identities:
    return Identities(lambda: data, ttl=0, where="the given map")


def from_configmap(core_api: CoreV1Api, namespace: str, name: str, ttl: float = 15.0) -> Identities:
    """The ConfigMap `namespace/name`, read with `core_api` (a kubernetes CoreV1Api) under
    the app's own identity (which needs `get` on that one ConfigMap)."""
    def load() -> Mapping[str, str]:
        return core_api.read_namespaced_config_map(name, namespace).data or {}
    return Identities(load, ttl, where=f"ConfigMap {namespace}/{name}")
