"""The impersonation checks the service asks the apiserver for, without a cluster.

Expected attributes follow the apiserver's own filter (k8s.io/apiserver v0.37.2,
pkg/endpoints/filters/impersonation/impersonation.go: verb impersonate, core group, resource
users, or serviceaccounts in its namespace for a ServiceAccount's username, groups per group;
system:authenticated added unless an auth group is given). The real answers: the live test
test_a_front_door_acts_for_a_person_only_as_rbac_allows.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from agent.auth import Authenticator, AuthError, Caller


class ReviewRecorder:
    """Answers SubjectAccessReviews from a set of allowed (verb, group, resource, ns, name)."""

    def __init__(self, allowed: set[tuple]):
        self.allowed = allowed
        self.asked: list[tuple] = []
        self.authz = SimpleNamespace(create_subject_access_review=self._review)

    def call(self, fn, *args):
        return fn(*args)

    def _review(self, review):
        a = review.spec.resource_attributes
        key = (a.verb, a.group, a.resource, a.namespace or "", a.name or "")
        self.asked.append((review.spec.user, *key))
        return SimpleNamespace(status=SimpleNamespace(allowed=key in self.allowed))


DOOR = Caller("system:serviceaccount:ops:door", "u1", ("system:serviceaccounts",))


def test_a_user_is_checked_as_users_in_the_core_group():
    kube = ReviewRecorder({("impersonate", "", "users", "", "alice")})
    alice = Authenticator(kube, "agents").act_as(DOOR, "alice", [])
    assert kube.asked == [(DOOR.username, "impersonate", "", "users", "", "alice")]
    assert alice == Caller("alice", "", ("system:authenticated",), via=DOOR.username)
    assert alice.via == DOOR.username and alice.label == f"alice (via {DOOR.username})"


def test_a_serviceaccount_is_checked_in_its_namespace_and_gets_its_groups():
    kube = ReviewRecorder({("impersonate", "", "serviceaccounts", "ci", "deployer")})
    bot = Authenticator(kube, "agents").act_as(DOOR, "system:serviceaccount:ci:deployer", [])
    assert kube.asked[0][1:] == ("impersonate", "", "serviceaccounts", "ci", "deployer")
    assert bot.groups == ("system:serviceaccounts", "system:serviceaccounts:ci",
                          "system:authenticated")


def test_every_group_needs_its_own_right():
    kube = ReviewRecorder({("impersonate", "", "users", "", "alice"),
                           ("impersonate", "", "groups", "", "sre")})
    auth = Authenticator(kube, "agents")
    assert auth.act_as(DOOR, "alice", ["sre"]).groups == ("sre", "system:authenticated")
    with pytest.raises(AuthError) as refused:
        auth.act_as(DOOR, "alice", ["sre", "admins"])
    assert refused.value.status == 403 and str(refused.value) == \
        f"{DOOR.username} may not impersonate groups/admins"


def test_groups_without_a_user_are_a_bad_request_and_no_headers_change_nothing():
    auth = Authenticator(ReviewRecorder(set()), "agents")
    with pytest.raises(AuthError) as bad:
        auth.act_as(DOOR, "", ["sre"])
    assert bad.value.status == 400
    assert auth.act_as(DOOR, "", []) is DOOR


def test_the_impersonated_identity_is_what_the_service_then_checks():
    kube = ReviewRecorder({("impersonate", "", "users", "", "bob")})
    auth = Authenticator(kube, "agents")
    bob = auth.act_as(DOOR, "bob", [])
    with pytest.raises(AuthError) as refused:
        auth.authorize(bob, "approve", "proposals", "p-1")
    assert "bob may not approve proposals/p-1" in str(refused.value)
    assert kube.asked[-1] == ("bob", "approve", "agent.k8s-skills.io", "proposals", "agents",
                              "p-1")
