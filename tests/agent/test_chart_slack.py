"""The chart's front doors: the Slack app (slack.enabled), rendered by the real helm, whose
identity may impersonate exactly the people its ConfigMap names and read that one ConfigMap
(the live test, test_slack_live.py, installs these objects and uses that identity as the
door); and the specialist team (claude.specialists)."""
from __future__ import annotations

import pytest

from agent import helm
from harness.errors import UserError

SLACK = {"enabled": True, "users": {"U0000ALICE": "alice", "U00000BOB": "bob",
                                    "U0000BOB2": "bob"},
         "botToken": "xoxb-1", "appToken": "xapp-1"}


@pytest.fixture(scope="module")
def render():
    helm.helm_path()
    return lambda values: helm.template("agent", "k8s-agent", values)


def _named(objects, kind, name):
    return next(o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name)


def test_off_by_default(render):
    assert not [o for o in render({}) if "slack" in o["metadata"]["name"]]


def test_the_slack_app_impersonates_only_the_mapped_people(render):
    objects = render({"slack": SLACK})
    role = _named(objects, "ClusterRole", "k8s-agent-agent-slack")
    assert role["rules"] == [{"apiGroups": [""], "resources": ["users"],
                              "verbs": ["impersonate"], "resourceNames": ["alice", "bob"]}]
    binding = _named(objects, "ClusterRoleBinding", "k8s-agent-agent-slack")
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "agent-slack",
                                    "namespace": "k8s-agent"}]
    reader = _named(objects, "Role", "agent-slack")
    assert reader["rules"] == [{"apiGroups": [""], "resources": ["configmaps"],
                                "verbs": ["get"], "resourceNames": ["agent-slack-users"]}]
    assert _named(objects, "ConfigMap", "agent-slack-users")["data"] == SLACK["users"]
    pod = _named(objects, "Deployment", "agent-slack")["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == "agent-slack"
    args = pod["containers"][0]["args"]
    assert args[:2] == ["agent", "slack"] and "--http" not in args  # Socket Mode
    assert args[args.index("--agent-url") + 1] == "http://agent.k8s-agent.svc:8080"
    assert args[args.index("--users-configmap") + 1] == "k8s-agent/agent-slack-users"
    policy = _named(objects, "NetworkPolicy", "agent")
    assert any(r.get("ports") == [{"port": 8080, "protocol": "TCP"}]
               for r in policy["spec"]["egress"])  # the app may reach the API


@pytest.mark.parametrize("values,message", [
    ({"enabled": True}, "slack.users maps Slack user IDs"),
    ({"enabled": True, "users": {"U0000ALICE": "alice"}}, "slack needs existingSecret"),
    ({**SLACK, "users": {"U0000ROOT1": "system:admin"}}, "is a system identity"),
])
def test_bad_slack_values_fail_with_one_line(render, values, message):
    with pytest.raises(UserError) as err:
        render({"slack": values})
    assert message in str(err.value) and "\n" not in str(err.value)


def test_the_specialist_team_is_a_setting_of_the_server(render):
    def env(values):
        server = _named(render(values), "Deployment", "agent-server")
        return {e["name"]: e.get("value") for e in
                server["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env({})["K8S_AGENT_SPECIALISTS"] == "false"
    assert env({"claude": {"specialists": True}})["K8S_AGENT_SPECIALISTS"] == "true"
