"""`k8s-skills agent slack`: the Slack ChatOps front door.

    # deployment: Socket Mode (an outbound WebSocket; no public endpoint)
    SLACK_BOT_TOKEN=xoxb-… SLACK_APP_TOKEN=xapp-… k8s-skills agent slack \\
        --agent-url http://k8s-agent:8080 --users-configmap k8s-agent/k8s-agent-slack-users
    # HTTP mode: Slack POSTs signed requests to http://HOST:PORT/slack/events
    SLACK_BOT_TOKEN=xoxb-… SLACK_SIGNING_SECRET=… k8s-skills agent slack --http --port 3000 …
"""
from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

import yaml

from harness.errors import UserError

if TYPE_CHECKING:
    from kubernetes.client import CoreV1Api

    from agent.slack.identities import Identities

SA_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token"
EPILOG = """identity: the app calls the agent service with its own token (--token-file,
default the pod's ServiceAccount token) and Impersonate-User: the Slack user's Kubernetes
name from the identity ConfigMap (data: {U07ALICE1: alice, ...}). Its ServiceAccount needs
verb impersonate on those users, and get on that ConfigMap; everything else (may this person
ask, may this person approve) is decided by the agent service's SubjectAccessReviews.
secrets (environment only): SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (HTTP mode),
SLACK_APP_TOKEN (Socket Mode)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("slack", help="Slack ChatOps: /k8s, mentions, approve/reject buttons",
                       description=__doc__.splitlines()[0], epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--http", action="store_true",
                   help="HTTP mode (signed requests to /slack/events) instead of Socket Mode")
    p.add_argument("--host", default="0.0.0.0", help="HTTP mode: listen address")
    p.add_argument("--port", type=int, default=3000, help="HTTP mode: listen port")
    p.add_argument("--agent-url", default=os.environ.get("K8S_AGENT_URL", ""),
                   help="the agent service (default $K8S_AGENT_URL)")
    p.add_argument("--token-file", default=os.environ.get("K8S_AGENT_TOKEN_FILE", SA_TOKEN),
                   help="this app's own Kubernetes token (default: the pod's ServiceAccount)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--users-configmap", metavar="NAMESPACE/NAME",
                       help="ConfigMap mapping Slack user IDs to Kubernetes usernames")
    where.add_argument("--users-file", metavar="PATH",
                       help="or a YAML file with the same mapping (local runs)")
    p.add_argument("--kubeconfig", default="", help="for reading the ConfigMap (default: "
                                                    "in-cluster, then $KUBECONFIG)")
    p.add_argument("--command", default="/k8s", help="the slash command's name")
    p.add_argument("--slack-api-url", default=os.environ.get("SLACK_API_URL", ""),
                   help="Web API base URL (default Slack's; tests point it at a stand-in)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from agent.slack.app import AgentDoor, build_app
    from agent.slack.serve import run_http, run_socket_mode
    bot_token = _secret("SLACK_BOT_TOKEN", "xoxb-")
    secret = _secret("SLACK_SIGNING_SECRET") if args.http else ""
    app_token = "" if args.http else _secret("SLACK_APP_TOKEN", "xapp-")
    if not args.agent_url:
        raise UserError("--agent-url (or $K8S_AGENT_URL) is required")
    if not os.path.isfile(args.token_file):
        raise UserError(f"token file {args.token_file} not found: give --token-file")
    app = build_app(identities=_identities(args), door=AgentDoor(args.agent_url,
                                                                 args.token_file),
                    signing_secret=secret or "socket-mode", bot_token=bot_token,
                    slack_api_url=args.slack_api_url, command=args.command)
    if args.http:
        run_http(app, args.host, args.port)
    else:
        run_socket_mode(app, app_token)
    return 0


def _secret(name: str, prefix: str = "") -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise UserError(f"${name} is not set")
    if prefix and not value.startswith(prefix):
        raise UserError(f"${name} does not look like a Slack {prefix}… token")
    return value


def _identities(args: argparse.Namespace) -> Identities:
    from agent.slack import identities
    if args.users_file:
        try:
            data = yaml.safe_load(open(args.users_file, encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            raise UserError(f"{args.users_file}: {err}") from None
        if not isinstance(data, dict):
            raise UserError(f"{args.users_file}: a mapping of Slack user ID: username")
        try:
            identities.parse(data)
        except identities.IdentityError as err:
            raise UserError(f"{args.users_file}: {err}") from None
        return identities.from_dict(data)
    namespace, _, name = args.users_configmap.partition("/")
    if not namespace or not name:
        raise UserError("--users-configmap is NAMESPACE/NAME")
    return identities.from_configmap(_core_api(args.kubeconfig), namespace, name)


def _core_api(kubeconfig: str) -> CoreV1Api:
    from kubernetes import client, config
    try:
        if kubeconfig:
            config.load_kube_config(kubeconfig)
        else:
            try:
                config.load_incluster_config()
            except config.ConfigException:
                config.load_kube_config()
    except (config.ConfigException, OSError) as err:
        raise UserError(f"cannot load Kubernetes credentials: {err}") from None
    return client.CoreV1Api()
