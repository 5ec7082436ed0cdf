"""POST /v1/proposals on the agent service (the route propose_change calls), without a
cluster: the status of each outcome. Real TokenReview / SubjectAccessReview and the stored
Proposal: tests/mcp/test_mcp_live.py."""
from __future__ import annotations

from fastapi.testclient import TestClient

from agent.api import create_app
from agent.auth import AuthError, Caller, bearer_token
from agent.config import Settings
from agent.metrics import Metrics
from agent.proposals import proposal_spec

BODY = {"summary": "trainer: 1 GPU", "reason": "Insufficient nvidia.com/gpu",
        "target": {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "shop",
                   "name": "trainer"},
        "patch": {"spec": {"replicas": 1}}, "evidence": ["FailedScheduling"]}


class Auth:
    def authenticate(self, header):
        return Caller(bearer_token(header))

    def authorize(self, caller, verb, resource, name=""):
        if (verb, resource) == ("propose", "proposals") and caller.username != "bob":
            raise AuthError(403, f"{caller.username} may not {verb} {resource}")


class Service:
    def __init__(self):
        self.settings = Settings(max_body_bytes=65536)
        self.metrics = Metrics()
        self.auth = Auth()
        self.ready = True
        self.stored = []

    def propose(self, caller, conversation, args):
        spec = proposal_spec(args, caller.username, conversation)  # the real checks
        self.stored.append(spec)
        return {"name": "p-1", "phase": "Proposed", "spec": spec}


def post(service, body, token="bob"):
    client = TestClient(create_app(service))
    return client.post("/v1/proposals", json=body, headers={"Authorization": f"Bearer {token}"})


def test_a_proposal_is_stored_for_the_caller():
    service = Service()
    response = post(service, BODY)
    assert response.status_code == 201
    assert response.json()["spec"]["requestedBy"] == "bob"
    assert service.stored[0]["action"] == "patch"


def test_refusals_are_one_line():
    service = Service()
    assert post(service, BODY, token="mallory").json() == {
        "error": "mallory may not propose proposals"}
    secret = {**BODY, "target": {**BODY["target"], "kind": "Secret", "apiVersion": "v1"}}
    response = post(service, secret)
    assert response.status_code == 400 and "never changes RBAC" in response.json()["error"]
    both = {**BODY, "manifest": {"apiVersion": "apps/v1"}}
    assert post(service, both).status_code == 400
    extra = {**BODY, "apply_now": True}
    assert post(service, extra).status_code == 400
    assert TestClient(create_app(service)).post("/v1/proposals", json=BODY).status_code == 401
    assert service.stored == []
