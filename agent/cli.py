"""`k8s-skills agent`: run the in-cluster SRE agent, or talk to one.

    k8s-skills agent serve --namespace k8s-agent --reader-serviceaccount k8s-agent-reader
    k8s-skills agent applier --namespace k8s-agent --mode semi-autonomous
    k8s-skills agent ask "why is train-b pending in team-a?"
    k8s-skills agent proposals
    k8s-skills agent approve p-3f2a9c1b7d --reason "p95 confirmed on the dashboard"
"""
from __future__ import annotations

import json
import os
import sys

from harness.errors import UserError

EPILOG = """server side (each flag also reads K8S_AGENT_<FLAG>, e.g. K8S_AGENT_MODE):
  serve     the API (ask as server-sent events, conversations, proposals, health,
            metrics); every replica serves every request, one Lease-elected leader also
            runs the proactive watcher
  applier   applies approved proposals with its own narrow identity: fresh server-side
            dry-run, apply, verify with the skill that diagnosed it, audit, Event
client side (token: --token, --token-file, $K8S_AGENT_TOKEN, the kubeconfig user's token):
  ask "QUESTION"          stream the answer with its evidence
  conversation ID         a conversation's summary
  proposals [--phase P]   list proposals; show NAME for one
  approve NAME / reject NAME --reason TEXT

modes: advisory (default: read-only advice, nothing applied), semi-autonomous (changes only
through approved proposals), operator (--auto-apply-namespaces/--auto-apply-kinds applied
without approval, everything else proposed).
"""


def register(groups) -> None:
    parser = groups.add_parser("agent", help="the in-cluster SRE agent service and its client",
                               description=__doc__.splitlines()[0], epilog=EPILOG,
                               formatter_class=_raw())
    sub = parser.add_subparsers(dest="agent_command", metavar="SUBCOMMAND", required=True)
    _serve_parser(sub)
    _applier_parser(sub)
    _client_parsers(sub)


def _raw():
    import argparse
    return argparse.RawDescriptionHelpFormatter


def _server_flags(p) -> None:
    p.add_argument("--mode", choices=("advisory", "semi-autonomous", "operator"),
                   help="advisory (default) | semi-autonomous | operator")
    p.add_argument("--namespace", help="where state (Proposals, Conversations, Findings) and "
                                       "the Lease live (default k8s-agent)")
    p.add_argument("--kubeconfig", help="this process's own identity (default: in-cluster "
                                        "ServiceAccount)")
    p.add_argument("--identity", help="this replica's name in the Lease (default host-pid)")
    p.add_argument("--workdir", help="the agent's folders (default: a new temporary folder)")
    p.add_argument("--skills-dir", help="built skill bundles (default: build from skills/)")
    p.add_argument("--audit-log", help="JSON Lines audit log (default: $K8S_SKILLS_AUDIT_LOG "
                                       "or ~/.local/state/k8s-skills/audit.jsonl)")
    p.add_argument("--auto-apply-namespaces", type=_csv, metavar="NS[,NS]",
                   help="operator mode: namespaces whose proposals need no approval")
    p.add_argument("--auto-apply-kinds", type=_csv, metavar="KIND[,KIND]",
                   help="operator mode: kinds (e.g. Deployment) that need no approval")


def _serve_parser(sub) -> None:
    p = sub.add_parser("serve", help="run the API (and, when elected, the watcher)",
                       formatter_class=_raw(), epilog=EPILOG)
    _server_flags(p)
    p.add_argument("--host", help="listen address (default 127.0.0.1; 0.0.0.0 in a pod)")
    p.add_argument("--port", type=int, help="listen port (default 8080)")
    p.add_argument("--reader-kubeconfig", help="kubeconfig of the model's read-only kubectl")
    p.add_argument("--reader-serviceaccount", help="or: mint tokens for this read-only "
                                                   "ServiceAccount in --namespace")
    p.add_argument("--backend", choices=("anthropic", "bedrock", "vertex"),
                   help="where Claude runs (default anthropic; see agent/backends.py)")
    p.add_argument("--model", help="model name passed to Claude Code")
    p.add_argument("--scripted", action="store_true", default=None,
                   help="a local fake API plays the model: every answer is labelled scripted")
    p.add_argument("--max-turns", type=int, help="model turns per ask (default 12)")
    p.add_argument("--no-watcher", dest="watcher", action="store_false", default=None,
                   help="never run the proactive watcher, even when elected")
    p.add_argument("--lease-duration", type=int, help="seconds (default 15)")
    p.add_argument("--pending-minutes", type=float,
                   help="how long a problem lasts before it is a finding (default 5)")
    p.add_argument("--summary-tokens-per-hour", type=int,
                   help="Claude's budget for summarising findings (default 20000)")
    p.set_defaults(handler=run_serve)


def _applier_parser(sub) -> None:
    p = sub.add_parser("applier", help="apply approved proposals with a narrow identity",
                       formatter_class=_raw(), epilog=EPILOG)
    _server_flags(p)
    p.add_argument("--verify-timeout", type=float, default=120.0,
                   help="seconds to wait for the verifying skill to come back clean")
    p.set_defaults(handler=run_applier)


def _client_parsers(sub) -> None:
    def client_flags(p):
        p.add_argument("--url", default=os.environ.get("K8S_AGENT_URL", "http://127.0.0.1:8080"),
                       help="the agent's address (default $K8S_AGENT_URL or 127.0.0.1:8080)")
        p.add_argument("--token", default="", help="bearer token (prefer --token-file)")
        p.add_argument("--token-file", default="", help="file holding the bearer token")
        p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("ask", help="ask a question; the answer streams with its evidence")
    p.add_argument("question")
    p.add_argument("--conversation", default="", help="continue this conversation")
    p.add_argument("--quiet", action="store_true", help="only the answer")
    client_flags(p)
    p.set_defaults(handler=run_ask)
    p = sub.add_parser("conversation", help="show a conversation")
    p.add_argument("id")
    client_flags(p)
    p.set_defaults(handler=lambda a: _show(a, f"/v1/conversations/{a.id}"))
    p = sub.add_parser("proposals", help="list proposals")
    p.add_argument("--phase", default="", help="only this phase (e.g. AwaitingApproval)")
    client_flags(p)
    p.set_defaults(handler=run_proposals)
    p = sub.add_parser("show", help="show one proposal (diff, dry-run, history)")
    p.add_argument("name")
    client_flags(p)
    p.set_defaults(handler=lambda a: _show(a, f"/v1/proposals/{a.name}"))
    for verb in ("approve", "reject"):
        p = sub.add_parser(verb, help=f"{verb} a proposal")
        p.add_argument("name")
        p.add_argument("--reason", default="", help="why (recorded in the audit log)")
        client_flags(p)
        p.set_defaults(handler=run_decide, verb=verb)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def settings_from(args):
    from agent.config import from_env
    keys = ("mode", "namespace", "kubeconfig", "identity", "workdir", "skills_dir",
            "audit_log", "auto_apply_namespaces", "auto_apply_kinds", "host", "port",
            "reader_kubeconfig", "reader_serviceaccount", "backend", "model", "scripted",
            "max_turns", "watcher", "lease_duration", "pending_minutes",
            "summary_tokens_per_hour")
    return from_env({k: getattr(args, k, None) for k in keys})


# --- server commands ----------------------------------------------------------------------
def run_serve(args) -> int:
    from agent.server import serve
    return serve(settings_from(args))


def run_applier(args) -> int:
    from agent.applier import run_forever
    return run_forever(settings_from(args), verify_timeout=args.verify_timeout)


# --- client commands ----------------------------------------------------------------------
def _client(args):
    from agent.client import AgentClient, find_token
    return AgentClient(args.url, find_token(args.token, args.token_file))


def _api(call):
    from agent.client import ApiError
    try:
        return call()
    except ApiError as err:
        raise UserError(f"the agent answered {err.status}: {err.message}") from None


def run_ask(args) -> int:
    from agent.render import render_event
    client = _client(args)
    final = {}
    for event, data in _api(lambda: list(client.ask(args.question, args.conversation))
                            if args.json else client.ask(args.question, args.conversation)):
        if args.json:
            print(json.dumps({"event": event, "data": data}))
        elif not args.quiet or event == "done":
            text = render_event(event, data, quiet=args.quiet)
            if text:
                print(text, flush=True)
        if event == "done":
            final = data
    return 1 if not final or final.get("error") else 0


def run_proposals(args) -> int:
    from agent.render import render_proposals
    client = _client(args)
    path = "/v1/proposals" + (f"?phase={args.phase}" if args.phase else "")
    data = _api(lambda: client.get(path))
    print(json.dumps(data, indent=2) if args.json else render_proposals(data["proposals"]))
    return 0


def run_decide(args) -> int:
    from agent.render import render_proposal
    client = _client(args)
    data = _api(lambda: client.post(f"/v1/proposals/{args.name}/{args.verb}",
                                    {"reason": args.reason}))
    print(json.dumps(data, indent=2) if args.json else render_proposal(data))
    return 0


def _show(args, path: str) -> int:
    from agent.render import render_proposal
    data = _api(lambda: _client(args).get(path))
    if args.json or "turns" in data:
        print(json.dumps(data, indent=2))
    else:
        print(render_proposal(data))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(1)
