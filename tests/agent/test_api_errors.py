"""The API's refusals, without a cluster: each is one line of JSON with the right status.
(The same refusals against real TokenReview / SubjectAccessReview: test_agent_live.py.)"""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from agent.api import create_app
from agent.auth import AuthError, Caller, bearer_token
from agent.config import Settings
from agent.metrics import Metrics


class StubAuth:
    """Tokens 'asker' and 'approver'; anything else is unknown (as TokenReview would say)."""

    def authenticate(self, header):
        token = bearer_token(header)
        if token not in ("asker", "approver"):
            raise AuthError(401, "token not accepted by the Kubernetes API (TokenReview)")
        return Caller(token)

    def authorize(self, caller, verb, resource, name=""):
        if verb in ("approve", "reject") and caller.username != "approver":
            raise AuthError(403, f"{caller.username} may not {verb} {resource}/{name}")


class StubService:
    def __init__(self):
        self.settings = Settings(max_body_bytes=2048, max_question_chars=100)
        self.metrics = Metrics()
        self.auth = StubAuth()
        self.ready = True
        self.decided = []

    def decide(self, caller, name, approve, reason=""):
        self.decided.append((caller.username, name, approve))
        return {"name": name, "phase": "Approved" if approve else "Rejected"}


@pytest.fixture
def client():
    return TestClient(create_app(StubService()), raise_server_exceptions=False)


def one_line_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and "\n" not in body["error"] and body["error"]
    assert "Traceback" not in response.text
    return body["error"]


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = client.post("/v1/ask", json={"question": "why?"})
    assert "bearer token" in one_line_error(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_token_is_401(client):
    response = client.post("/v1/ask", json={"question": "why?"},
                           headers={"Authorization": "Bearer forged"})
    assert "TokenReview" in one_line_error(response, 401)


def test_no_right_is_403(client):
    response = client.post("/v1/proposals/p-1/approve",
                           headers={"Authorization": "Bearer asker"})
    assert "asker may not approve proposals/p-1" == one_line_error(response, 403)


def test_malformed_json_is_400(client):
    response = client.post("/v1/ask", content=b'{"question": "why', headers={
        "Authorization": "Bearer asker", "Content-Type": "application/json"})
    assert one_line_error(response, 400).startswith("malformed JSON body")


@pytest.mark.parametrize("body,where", [({}, "question"), ({"question": ""}, "question"),
                                        ({"question": "x", "sudo": True}, "sudo"),
                                        ({"question": "x", "conversation": "../etc"},
                                         "conversation"), ([1, 2], "body")])
def test_invalid_bodies_are_400_naming_the_field(client, body, where):
    response = client.post("/v1/ask", content=json.dumps(body), headers={
        "Authorization": "Bearer asker", "Content-Type": "application/json"})
    assert one_line_error(response, 400).startswith(where)


def test_oversized_bodies_are_413_declared_or_streamed(client):
    big = json.dumps({"question": "x" * 5000})
    response = client.post("/v1/ask", content=big, headers={
        "Authorization": "Bearer asker", "Content-Type": "application/json"})
    assert "over 2048 bytes" in one_line_error(response, 413)

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(10):
            yield b"x" * 1000
    response = client.post("/v1/ask", content=chunks(), headers={
        "Authorization": "Bearer asker", "Content-Type": "application/json"})
    assert "over 2048 bytes" in one_line_error(response, 413)


def test_a_question_over_the_limit_is_413(client):
    response = client.post("/v1/ask", json={"question": "y" * 101},
                           headers={"Authorization": "Bearer asker"})
    assert "over 100 characters" in one_line_error(response, 413)


def test_unknown_routes_and_methods_are_one_line_too(client):
    one_line_error(client.get("/v1/nothing"), 404)
    one_line_error(client.get("/v1/ask"), 405)


def test_authorized_approval_reaches_the_service(client):
    response = client.post("/v1/proposals/p-1/approve", json={"reason": "checked"},
                           headers={"Authorization": "Bearer approver"})
    assert response.status_code == 200 and response.json()["phase"] == "Approved"


def test_openapi_and_health_need_no_token(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/ask", "/v1/proposals/{name}/approve", "/healthz", "/readyz",
            "/metrics"} <= set(paths)
    assert client.get("/healthz").json() == {"status": "ok"}
    metrics = client.get("/metrics").text
    assert "k8s_agent_requests_total" in metrics and "k8s_agent_leader" in metrics


@pytest.mark.parametrize("header", ["Impersonate-Uid", "Impersonate-Extra-Scopes"])
def test_impersonation_headers_the_service_does_not_read_are_refused(client, header):
    response = client.get("/v1/whoami", headers={"Authorization": "Bearer asker",
                                                 "Impersonate-User": "alice", header: "x"})
    assert "is not supported" in one_line_error(response, 400)
