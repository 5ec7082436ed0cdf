"""A controller's fatal log line: the program exits right after it, so nothing it serves
(its GatewayClass, Gateways, routes) is reconciled until it starts again (no_controller).

Every Go logging library ends the process on its fatal level:
- zap `Logger.Fatal` "calls os.Exit(1), even if logging at FatalLevel is disabled"
  (go.uber.org/zap@v1.28.0 logger.go:288-294; logger.go:350-351 attaches
  zapcore.WriteThenFatal, zapcore/entry.go:185-198 `exit.With(1)`); its level is written
  `"fatal"` (zapcore/level.go:127-128, the production JSON encoder's LowercaseLevelEncoder)
  or `FATAL` (level.go:151-152, the development console encoder's CapitalLevelEncoder,
  config.go:211, fields tab-separated: zapcore/console_encoder.go:60);
- klog `Fatal` "prints stack trace(s), then calls OsExit(255)" (k8s.io/klog/v2@v2.140.0
  klog.go:1670-1686, klog.go:1003), its header `Fmmdd hh:mm:ss.uuuuuu PID file:line] `
  (internal/buffer/buffer.go:117-152, severity letters "IWEF": internal/severity/
  severity.go:39);
- logrus `Logger.Fatal` logs then `logger.Exit(1)` (github.com/sirupsen/logrus@v1.9.3
  logger.go:247-250), its level `fatal` (logrus.go:71-72: `level=fatal` in text, `"level":
  "fatal"` in JSON).
The AWS Gateway API controller ends so when its start-up configuration fails
(aws/aws-application-networking-k8s cmd/aws-application-networking-k8s/main.go:163@v2.1.3
`setupLog.Fatalf("init config failed: %s", err)`; aws/aws-application-networking-k8s#794).

A fatal message that names a cause another reader knows (a CRD not served, an RBAC denial)
is that reader's: this rule speaks only for the fatal lines nothing else explains. An error-
level line is no exit (the program may retry), so it is not read here; nor a fatal line of
the endpoint picker (it serves an InferencePool, not a GatewayClass).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from k8s_skillkit.findings import finding

# a level field that says fatal, in JSON (zap, logrus JSONFormatter) ...
_JSON_FATAL = re.compile(r'"level"\s*:\s*"fatal"', re.IGNORECASE)
_JSON_FIELD = r'"{key}"\s*:\s*"((?:[^"\\]|\\.)*)"'
# ... in logfmt (logrus TextFormatter, go-kit) ...
_LOGFMT_FATAL = re.compile(r'(?:^|\s)level="?fatal"?(?:\s|$)', re.IGNORECASE)
_LOGFMT_MSG = re.compile(r'(?:^|\s)msg=("(?:[^"\\]|\\.)*"|\S+)')
_LOGFMT_ERR = re.compile(r'(?:^|\s)(?:error|err)=("(?:[^"\\]|\\.)*"|\S+)')
# ... klog's header letter F ...
_KLOG_FATAL = re.compile(r"^\s*F\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w./-]+:\d+\] (?P<msg>.+)")
# ... and zap's console encoder (time, FATAL, then logger name, caller, message)
# (Istio's pkg/log writes it lowercase: `fatal`, pkg/log/config.go:90, exit: config.go:350)
_CONSOLE_FATAL = re.compile(r"^\s*\d{4}-\d\d-\d\dT\S+\s+fatal\s+(?P<msg>.+)", re.IGNORECASE)

# the endpoint picker named as the log's source (its Deployment is `<pool>-epp`)
_PICKER = re.compile(r"\bepp\b|endpoint[- ]?picker", re.IGNORECASE)
_LOGS_COMMAND = re.compile(r"\bkubectl\s+logs\s+(?P<args>.+)$")
_VALUED_FLAGS = {"-n", "--namespace", "-c", "--container", "--tail", "--since", "-l",
                 "--selector", "--since-time", "--context", "--limit-bytes"}
_JSON_BLOCK_LINES = 60


@dataclass
class Fatal:
    message: str   # the fatal message (and its error field), unescaped
    line: str      # the line (or record) as pasted


def records(lines: list[str]) -> list[Fatal]:
    """The fatal log records in pasted lines, in every form above (a JSON record on one line
    or pretty-printed over several)."""
    out: list[Fatal] = []
    texts = [str(line) for line in lines or []]
    i = 0
    while i < len(texts):
        text = texts[i]
        opened = text.strip()
        if opened.startswith("{") and not opened.endswith("}"):
            # a pretty-printed JSON record: read to its closing brace
            end = next((j for j in range(i + 1, min(len(texts), i + _JSON_BLOCK_LINES))
                        if texts[j].strip().endswith("}")), None)
            if end is not None:
                block = " ".join(t.strip() for t in texts[i:end + 1])
                record = _json_record(block)
                if record is not None:
                    out.append(record)
                i = end + 1
                continue
        record = _json_record(text) or _logfmt_record(text) or _prefixed_record(text)
        if record is not None:
            out.append(record)
        i += 1
    return out


def _json_record(text: str) -> Fatal | None:
    if not _JSON_FATAL.search(text):
        return None
    parts = [_json_field(text, key) for key in ("msg", "message", "error", "err")]
    said = [p for p in parts if p]
    return Fatal(": ".join(said), text.strip()) if said else None


def _json_field(text: str, key: str) -> str:
    match = re.search(_JSON_FIELD.format(key=key), text)
    if not match:
        return ""
    try:
        value = json.loads(f'"{match.group(1)}"')
    except ValueError:
        value = match.group(1)
    return " ".join(str(value).split())


def _logfmt_record(text: str) -> Fatal | None:
    if not _LOGFMT_FATAL.search(text):
        return None
    parts = [m.group(1) for m in (_LOGFMT_MSG.search(text), _LOGFMT_ERR.search(text)) if m]
    said = [" ".join(_unquote(p).split()) for p in parts]
    return Fatal(": ".join(s for s in said if s), text.strip()) if any(said) else None


def _unquote(value: str) -> str:
    if value.startswith('"'):
        try:
            return str(json.loads(value))
        except ValueError:
            return value.strip('"')
    return value


def _prefixed_record(text: str) -> Fatal | None:
    match = _KLOG_FATAL.match(text) or _CONSOLE_FATAL.match(text)
    return Fatal(" ".join(match.group("msg").split()), text.strip()) if match else None


def logs_source(lines: list[str]) -> tuple[str, str]:
    """The (namespace, target) of the first `kubectl logs` command in the paste."""
    for line in lines or []:
        match = _LOGS_COMMAND.search(str(line))
        if match is None:
            continue
        tokens, namespace, target = match.group("args").split(), "", ""
        skip = False
        for index, token in enumerate(tokens):
            if skip:
                skip = False
                continue
            if token in _VALUED_FLAGS:
                skip = True
                if token in ("-n", "--namespace") and index + 1 < len(tokens):
                    namespace = tokens[index + 1]
                continue
            if token.startswith("--namespace="):
                namespace = token.split("=", 1)[1]
            elif not token.startswith("-") and not target and token not in ("|", ">"):
                target = token
            elif token in ("|", ">", "&&", ";"):
                break
        return namespace, target
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
        if _PICKER.search(record.line) or claimed(record.message) or claimed(record.line):
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
