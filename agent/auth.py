"""Kubernetes-native auth for the API: TokenReview says who the caller is, a
SubjectAccessReview on the service's own API group says what they may do.

Rights (group agent.k8s-skills.io, in the service's namespace):
  create asks            POST /v1/ask
  get conversations      GET /v1/conversations/{id}
  list proposals         GET /v1/proposals      (get proposals for one)
  propose proposals      POST /v1/proposals     (a change submitted directly, e.g. over MCP)
  approve proposals      POST /v1/proposals/{name}/approve   (resourceName = the proposal)
  reject proposals       POST /v1/proposals/{name}/reject
  watch findings         GET /v1/findings/stream  (list findings for GET /v1/findings)

A front door (Slack, an MCP gateway) acts for a person the way kubectl --as does: it sends
Impersonate-User (and Impersonate-Group) and needs verb impersonate on users / groups /
serviceaccounts (core group) for that name, checked exactly as the apiserver's impersonation
filter checks it (k8s.io/apiserver pkg/endpoints/filters/impersonation); every other check then
runs for the impersonated identity, and the audit names both.

Answers are cached for a few seconds per (token digest, check) so a burst of requests does
not become a burst of reviews; the cache never holds the token itself.
"""
from __future__ import annotations
from typing import Any

import hashlib
import threading
import time
from dataclasses import dataclass, field

from kubernetes import client

from agent import API_GROUP
from agent.kube import Kube, KubeError

CACHE_SECONDS = 10.0
CACHE_MAX = 10000


@dataclass(frozen=True)
class Caller:
    username: str
    uid: str = ""
    groups: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    via: str = ""  # the front door that impersonates this identity, if any

    @property
    def label(self) -> str:
        """Who, for the audit log: `alice` or `alice (via system:serviceaccount:ns:slack)`."""
        return f"{self.username} (via {self.via})" if self.via else self.username


class AuthError(Exception):
    """status 401 (who are you) or 403 (you may not); the message is one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Authenticator:
    def __init__(self, kube: Kube, namespace: str, audiences: list[str] | None = None,
                 cache_seconds: float = CACHE_SECONDS) -> None:
        self.kube = kube
        self.namespace = namespace
        self.audiences = audiences or []
        self.cache_seconds = cache_seconds
        # (question, ...) -> (expiry, answer): a Caller (authn) or a bool (authz)
        self._cache: dict[tuple[object, ...], tuple[float, object]] = {}
        self._lock = threading.Lock()

    # --- the two questions ----------------------------------------------------------
    def authenticate(self, authorization: str | None) -> Caller:
        token = bearer_token(authorization)
        digest = hashlib.sha256(token.encode()).hexdigest()
        cached = self._get(("authn", digest))
        if isinstance(cached, Caller):
            return cached
        review = client.V1TokenReview(spec=client.V1TokenReviewSpec(
            token=token, audiences=self.audiences or None))
        try:
            result = self.kube.call(self.kube.authn.create_token_review, review)
        except KubeError as err:
            raise AuthError(503, f"cannot check the token: TokenReview failed: {err}") from err
        status = result.status
        if not status or not status.authenticated or not status.user:
            raise AuthError(401, "token not accepted by the Kubernetes API (TokenReview)")
        user = status.user
        caller = Caller(user.username or "", user.uid or "", tuple(user.groups or ()),
                        dict(user.extra or {}))
        self._put(("authn", digest), caller)
        return caller

    def authorize(self, caller: Caller, verb: str, resource: str, name: str = "") -> None:
        if not self._allowed(caller, verb, API_GROUP, resource, self.namespace, name):
            what = f"{resource}/{name}" if name else resource
            raise AuthError(403, f"{caller.username} may not {verb} {what} "
                                 f"({API_GROUP} in namespace {self.namespace})")

    def act_as(self, door: Caller, user: str, groups: list[str]) -> Caller:
        """The identity `door` impersonates (Impersonate-User / Impersonate-Group), after the
        apiserver's own checks: verb impersonate on users/<name> (serviceaccounts/<name> in
        its namespace for a ServiceAccount's username) and on groups/<name> for each group."""
        if not user:
            if groups:
                raise AuthError(400, "Impersonate-Group without Impersonate-User")
            return door
        sa = service_account(user)
        checks = [("serviceaccounts", sa[0], sa[1]) if sa else ("users", "", user)]
        checks += [("groups", "", group) for group in groups]
        for resource, namespace, name in checks:
            if not self._allowed(door, "impersonate", "", resource, namespace, name):
                raise AuthError(403, f"{door.username} may not impersonate {resource}/{name}")
        return Caller(user, "", impersonated_groups(user, groups, sa), via=door.username)

    def _allowed(self, caller: Caller, verb: str, group: str, resource: str, namespace: str,
                 name: str) -> bool:
        key = ("authz", caller.username, caller.uid, caller.groups, verb, group, resource,
               namespace, name)
        allowed = self._get(key)
        if isinstance(allowed, bool):
            return allowed
        allowed = self._review(caller, verb, group, resource, namespace, name)
        self._put(key, allowed)
        return allowed

    def _review(self, caller: Caller, verb: str, group: str, resource: str, namespace: str,
                name: str) -> bool:
        attrs = client.V1ResourceAttributes(group=group, resource=resource, verb=verb,
                                            namespace=namespace or None, name=name or None)
        spec = client.V1SubjectAccessReviewSpec(
            user=caller.username, uid=caller.uid or None, groups=list(caller.groups) or None,
            extra={k: list(v) for k, v in caller.extra.items()} or None,
            resource_attributes=attrs)
        try:
            result = self.kube.call(self.kube.authz.create_subject_access_review,
                                    client.V1SubjectAccessReview(spec=spec))
        except KubeError as err:
            raise AuthError(503, f"cannot check access: SubjectAccessReview failed: {err}") \
                from err
        return bool(result.status and result.status.allowed)

    # --- cache ------------------------------------------------------------------------
    def _get(self, key: tuple[object, ...]) -> object:
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[0] > time.monotonic():
                return hit[1]
            return None

    def _put(self, key: tuple[object, ...], value: object) -> None:
        with self._lock:
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
            self._cache[key] = (time.monotonic() + self.cache_seconds, value)


def bearer_token(authorization: str | None) -> str:
    """The token of an `Authorization: Bearer <token>` header.

    >>> bearer_token("Bearer abc")
    'abc'
    >>> bearer_token(None)
    Traceback (most recent call last):
    ...
    agent.auth.AuthError: no bearer token: send Authorization: Bearer <Kubernetes token>
    """
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > 16384:
        raise AuthError(401, "no bearer token: send Authorization: Bearer <Kubernetes token>")
    return token.strip()


def service_account(username: str) -> tuple[str, str] | None:
    """(namespace, name) of a ServiceAccount's username, as the apiserver splits it.

    >>> service_account("system:serviceaccount:ops:slack")
    ('ops', 'slack')
    >>> service_account("alice") is None, service_account("system:serviceaccount:ops") is None
    (True, True)
    """
    parts = username.split(":")
    if len(parts) == 4 and parts[:2] == ["system", "serviceaccount"] and all(parts[2:]):
        return parts[2], parts[3]
    return None


def impersonated_groups(user: str, groups: list[str], sa: tuple[str, str] | None
                        ) -> tuple[str, ...]:
    """The groups the apiserver gives an impersonated user: the requested ones, or a
    ServiceAccount's fixed two when none are requested, plus system:authenticated
    (system:unauthenticated for system:anonymous) unless one of them is already there.

    >>> impersonated_groups("alice", ["sre"], None)
    ('sre', 'system:authenticated')
    >>> impersonated_groups("system:serviceaccount:ops:bot", [], ("ops", "bot"))
    ('system:serviceaccounts', 'system:serviceaccounts:ops', 'system:authenticated')
    >>> impersonated_groups("system:anonymous", [], None)
    ('system:unauthenticated',)
    """
    result = list(groups)
    if sa and not groups:
        result = ["system:serviceaccounts", f"system:serviceaccounts:{sa[0]}"]
    if user == "system:anonymous":
        extra = [] if "system:unauthenticated" in result else ["system:unauthenticated"]
    else:
        marked = {"system:authenticated", "system:unauthenticated"} & set(result)
        extra = [] if marked else ["system:authenticated"]
    return tuple(result + extra)
