"""grant_denied.py: a pasted Forbidden -> the least Role/RoleBinding, in every wording.

The messages are real pastes from public threads (URL on each) or built exactly as the
apiserver formats them (the helpers in test_rbac_denials.py name the upstream function). The
expected rule is what the message asked for: its verb, API group and resource (the
authorizer's RequestInfo), matched by kubernetes v1.37.2 pkg/apis/rbac/v1/
evaluation_helpers.go — `pods/log` is its own resource, resourceNames only for a named object.
The live test (tests/live/test_rbac_live.py) has the real apiserver confirm the grant.
"""
from __future__ import annotations

import json

import pytest
import yaml

from _rbac.denials import parse
from _rbac.grant import access_review, merge_rules, plan, rule_for
from tests.skills.k8s_rbac.test_rbac_denials import forbidden_1_9, forbidden_1_11

SA = "system:serviceaccount:ml:trainer"
# https://github.com/apache/airflow/pull/13630 (the Status body from the thread)
AIRFLOW = ('HTTP response body: b\'{"kind":"Status","apiVersion":"v1","metadata":{},"status":'
           '"Failure","message":"pods is forbidden: User \\\\"system:serviceaccount:airflow:'
           'airflow-webserver\\\\" cannot list resource \\\\"pods/log\\\\" in API group \\\\"'
           '\\\\" in the namespace \\\\"airflow\\\\"","reason":"Forbidden","details":{"kind":'
           '"pods"},"code":403}\\n\'')


def one(text):
    denials = parse(text)
    assert len(denials) == 1, denials
    return denials[0]


@pytest.mark.parametrize("make", [forbidden_1_11, forbidden_1_9])
@pytest.mark.parametrize("resource, group, namespace, verb", [
    ("pods", "", "ml", "list"), ("pods/log", "", "ml", "get"),
    ("deployments/scale", "apps", "ml", "patch"), ("nodes", "", "", "list"),
    ("workloads", "kueue.x-k8s.io", "ml", "watch"), ("clusterqueues", "kueue.x-k8s.io", "", "get"),
])
def test_rule_is_exactly_the_request_in_both_wordings(make, resource, group, namespace, verb):
    grants, refused = plan(parse(make(SA, verb, resource, group, namespace)))
    assert refused == [] and len(grants) == 1
    grant = grants[0]
    assert grant.namespace == namespace          # "" = ClusterRole at the cluster scope
    assert grant.rules == [{"apiGroups": [group], "resources": [resource], "verbs": [verb]}]


def test_named_object_limits_the_rule_to_it():
    # apimachinery NewForbidden: `pods "web-0" is forbidden: ...` names the object.
    text = ('Error from server (Forbidden): pods "web-0" is forbidden: User "bob" cannot get '
            'resource "pods/log" in API group "" in the namespace "shop"')
    assert rule_for(one(text)) == {"apiGroups": [""], "resources": ["pods/log"],
                                   "resourceNames": ["web-0"], "verbs": ["get"]}
    assert "resourceNames" not in rule_for(one(text), by_name=False)


def test_1_6_suffix_names_the_object():
    # kubernetes v1.6-1.9 kubectl: `. (get deployments.extensions web)`
    text = ('Error from server (Forbidden): User "alice" cannot get deployments.extensions/scale'
            ' in the namespace "x". (get deployments.extensions web)')
    assert rule_for(one(text)) == {"apiGroups": ["extensions"], "resources":
                                   ["deployments/scale"], "resourceNames": ["web"],
                                   "verbs": ["get"]}


def test_status_body_from_a_log_is_read():
    grants, _ = plan(parse(AIRFLOW))
    assert [(g.namespace, g.rules) for g in grants] == [
        ("airflow", [{"apiGroups": [""], "resources": ["pods/log"], "verbs": ["list"]}])]


def test_service_account_becomes_a_service_account_subject(script):
    proc = script("grant_denied.py", "--denied", forbidden_1_11(SA, "list", "pods", "", "data"))
    assert proc.code == 0, proc.err
    role, binding = list(yaml.safe_load_all(proc.out))
    assert (role["kind"], role["metadata"]["namespace"]) == ("Role", "data")
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "trainer",
                                    "namespace": "ml"}]
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                  "name": role["metadata"]["name"]}


def test_cluster_scope_user_gets_cluster_role(script):
    text = forbidden_1_11("jane@example.com", "list", "pods", "")
    proc = script("grant_denied.py", "--denied", text, "--json")
    assert proc.code == 0, proc.err
    role, binding = json.loads(proc.out)["objects"]
    assert (role["kind"], binding["kind"]) == ("ClusterRole", "ClusterRoleBinding")
    assert binding["subjects"] == [{"kind": "User", "name": "jane@example.com",
                                    "apiGroup": "rbac.authorization.k8s.io"}]
    assert any("namespaced but was asked at the cluster scope" in n
               for n in json.loads(proc.out)["notes"])


def test_non_resource_url_gets_non_resource_rule():
    text = 'Error from server (Forbidden): User "prom" cannot get path "/metrics"'
    grants, _ = plan(parse(text))
    assert grants[0].namespace == "" and grants[0].rules == [
        {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]


@pytest.mark.parametrize("user", ["system:anonymous", "system:node:gpu-1", "system:node"])
def test_anonymous_and_nodes_are_never_granted(script, user):
    proc = script("grant_denied.py", "--denied", forbidden_1_11(user, "get", "nodes", ""))
    assert proc.code == 1
    assert "kind:" not in proc.out and "not granted" in proc.out


def test_missing_cluster_role_reason_is_noted():
    # kubernetes v1.37.2 plugin/pkg/auth/authorizer/rbac/rbac.go appends the resolver's errors
    text = forbidden_1_11(SA, "list", "pods", "", "ml",
                          'RBAC: clusterrole.rbac.authorization.k8s.io "view-pods" not found')
    grants, _ = plan(parse(text))
    assert any("ClusterRole view-pods does not exist" in n for n in grants[0].notes)


def test_merge_never_widens():
    rules = [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]},
             {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
             {"apiGroups": [""], "resources": ["services"], "verbs": ["list"]},
             {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["list"]}]
    merged = merge_rules(rules)
    granted = {(g, r, v) for rule in merged for g in rule["apiGroups"]
               for r in rule["resources"] for v in rule["verbs"]}
    asked = {(g, r, v) for rule in rules for g in rule["apiGroups"]
             for r in rule["resources"] for v in rule["verbs"]}
    assert granted == asked


def test_escalating_verb_is_flagged():
    text = forbidden_1_11(SA, "impersonate", "serviceaccounts", "", "ml")
    grants, _ = plan(parse(text))
    assert any("privilege escalation" in n for n in grants[0].notes)


def test_access_review_asks_the_same_question():
    text = ('Error from server (Forbidden): pods "web-0" is forbidden: User "%s" cannot create '
            'resource "pods/exec" in API group "" in the namespace "ml"' % SA)
    spec = access_review(one(text))["spec"]
    assert spec["user"] == SA
    assert {"system:serviceaccounts", "system:serviceaccounts:ml",
            "system:authenticated"} <= set(spec["groups"])
    assert spec["resourceAttributes"] == {"verb": "create", "group": "", "resource": "pods",
                                          "subresource": "exec", "namespace": "ml",
                                          "name": "web-0"}


def test_can_i_answer_is_a_denial(script, tmp_path):
    # kubectl v0.37.2 pkg/cmd/auth/cani.go prints "no" for a denied question
    paste = tmp_path / "p.txt"
    paste.write_text("$ kubectl auth can-i list jobs.batch -n ml "
                     "--as=system:serviceaccount:ml:trainer\nno\n")
    proc = script("grant_denied.py", "-f", str(paste), "--json")
    assert proc.code == 0, proc.err
    role = json.loads(proc.out)["objects"][0]
    assert role["rules"] == [{"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["list"]}]


@pytest.mark.parametrize("args", [[], ["--denied", "something went wrong"],
                                  ["--denied", forbidden_1_11(SA, "list", "pods", "", "a"),
                                   "--denied", forbidden_1_11(SA, "list", "pods", "", "b"),
                                   "--name", "x"]])
def test_bad_input_is_one_line_exit_2(script, args):
    proc = script("grant_denied.py", *args)
    assert proc.code == 2
    assert proc.err.startswith("error: ") and proc.err.count("\n") == 1


def test_each_error_of_a_paste_keeps_its_own_object():
    # Three errors as the v1.37.2 apiserver printed them in one terminal (captured from the
    # local cluster by tests/live/test_rbac_grant_live.py): the configmap's name belongs to
    # the configmap request only, the nodes list names no object.
    paste = "\n".join([
        'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:d:r" '
        'cannot list resource "pods" in API group "" in the namespace "d"',
        'Error from server (Forbidden): configmaps "cfg-a" is forbidden: User "system:'
        'serviceaccount:d:r" cannot get resource "configmaps" in API group "" in the '
        'namespace "d"',
        'Error from server (Forbidden): nodes is forbidden: User "system:serviceaccount:d:r" '
        'cannot list resource "nodes" in API group "" at the cluster scope'])
    assert [d.name for d in parse(paste)] == ["", "cfg-a", ""]
