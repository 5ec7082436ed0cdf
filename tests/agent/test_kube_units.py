"""agent.kube's answers when the apiserver's reply lacks a field the client models optional.

TokenRequestStatus.token and SelfSubjectReviewStatus.userInfo are optional in the Python
client's models (kubernetes.client.models); a reply without them must not become a
kubeconfig without a token (the model's shell would then run as anonymous).
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from kubernetes import client

from agent.kube import KubeError, mint_token


class TokenKube:
    def __init__(self, status: client.V1TokenRequestStatus | None) -> None:
        self.status = status
        self.core = SimpleNamespace(create_namespaced_service_account_token=self._create)

    def call(self, fn, *args):
        return fn(*args)

    def _create(self, name, namespace, body):
        return client.AuthenticationV1TokenRequest(spec=body.spec, status=self.status)


def test_mint_token_returns_the_token():
    status = client.V1TokenRequestStatus(token="t0ken",
                                         expiration_timestamp="2026-12-02T18:00:00Z")
    assert mint_token(TokenKube(status), "agent", "reader") == "t0ken"


def test_mint_token_without_a_token_is_an_error():
    with pytest.raises(KubeError, match="agent/reader came back without a token"):
        mint_token(TokenKube(None), "agent", "reader")
