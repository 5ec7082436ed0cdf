"""A controller's fatal log line: the program exits right after it, so nothing it serves
(its GatewayClass, Gateways, routes) is reconciled until it starts again (no_controller).
The records themselves (zap, klog, logrus, CoreDNS, a Go panic) are the kit's
(k8s_skillkit/fatal_log.py, with the upstream citations). The AWS Gateway API controller ends
so when its start-up configuration fails (aws/aws-application-networking-k8s
cmd/aws-application-networking-k8s/main.go:163@v2.1.3 `setupLog.Fatalf("init config failed:
%s", err)`; aws/aws-application-networking-k8s#794).

A fatal message that names a cause another reader knows (a CRD not served, an RBAC denial)
is that reader's: this rule speaks only for the fatal lines nothing else explains. An error-
level line is no exit (the program may retry), so it is not read here; nor a fatal line of
the endpoint picker (it serves an InferencePool, not a GatewayClass).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from k8s_skillkit.fatal_log import Fatal, records
from k8s_skillkit.findings import finding
from k8s_skillkit.paste import command_of

# the endpoint picker named as the log's source (its Deployment is `<pool>-epp`)
_PICKER = re.compile(r"\bepp\b|endpoint[- ]?picker", re.IGNORECASE)


def logs_source(lines: list[str]) -> tuple[str, str]:
    """The (namespace, target) of the first `kubectl logs` command in the paste."""
    for line in lines or []:
        command = command_of(str(line))
        if command is not None and command.verb in ("logs", "log"):
            return command.namespace, command.target
    return "", ""


FIX = ("read the fatal message: it says what the controller needs at start (its "
       "configuration, credentials, a reachable API or metadata endpoint, a flag); the "
       "controller exits on it and is down until it starts, so no GatewayClass, Gateway or "
       "route it serves is reconciled meanwhile: fix what the message names, then watch it "
       "start (its restarts stop, the GatewayClass reports Accepted=True)")


def findings(lines: list[str], claimed: Callable[[str], bool]) -> list[dict[str, Any]]:
    """One no_controller finding for the first fatal record no other reader explains
    (`claimed`: a reader of this skill finds a cause in the text)."""
    namespace, target = logs_source(lines)
    if _PICKER.search(target):
        return []
    for record in records(lines):
        # a panic is the controller tripping over what it reconciles: the object's fault,
        # which the other rules read (a nil EPP reference, an unsupported field), not a
        # controller that cannot start
        if record.panic or _PICKER.search(record.line) or claimed(record.message) or \
                claimed(record.line):
            continue
        return [_finding(record, namespace, target)]
    return []


def _finding(record: Fatal, namespace: str, target: str) -> dict[str, Any]:
    ns = f" -n {namespace}" if namespace else ""
    pod = target if target and "/" not in target else ""
    if pod:
        confirm = (f"kubectl get pod {pod}{ns} (STATUS CrashLoopBackOff, RESTARTS growing); "
                   f"kubectl logs {pod}{ns} --previous")
    else:
        confirm = (f"kubectl get pods{ns or ' -A'} (the controller's STATUS and RESTARTS); "
                   f"kubectl logs {target or '<controller pod>'}{ns} --previous")
    who = f"pod {namespace + '/' if namespace else ''}{pod}" if pod else "the controller"
    evidence = [f"fatal: {record.message[:300]}"]
    if target:
        evidence.append(f"from kubectl logs {target}{ns}")
    return finding("error", "no_controller", {"kind": "Text", "name": "paste"},
                   f"{who} logged a fatal error, and a fatal log call ends the process: the "
                   "controller is down, so nothing it serves is reconciled until it starts",
                   evidence, FIX, basis="reported", confirm=confirm)
