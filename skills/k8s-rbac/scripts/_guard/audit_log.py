"""The agent's audit trail: one JSON line per command, and a summary a person can read.

Record fields: time, identity, command (credentials redacted), classification, reasons,
decision, signals (what the agent cited: the Bash tool's description, `# why:` comments,
or what the harness passes), guard_signals (what the guard saw), action (a sentence),
before (e.g. the replica count before a scale), result, source, id.

    >>> describe_action({"verb": "scale", "resources": ["deploy"], "names": ["web"],
    ...                  "namespace": "shop", "replicas": "5"})
    'scaled deployment/web in shop to 5'
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import subprocess

REDACT = [
    (re.compile(r"(--(?:token|password|client-key|kube-token)[= ])(\S+)"), r"\1***"),
    (re.compile(r"(--from-literal[= ][^=\s]+=)(\S+)"), r"\1***"),
    (re.compile(r"((?:authorization|Authorization):\s*(?:Bearer|Basic)\s+)(\S+)"), r"\1***"),
    (re.compile(r"((?:PASSWORD|TOKEN|SECRET)[A-Z_]*=)(\S+)"), r"\1***"),
]
SHORT_NAMES = {"deploy": "deployment", "sts": "statefulset", "ds": "daemonset",
               "rs": "replicaset", "po": "pod", "svc": "service", "ns": "namespace",
               "cm": "configmap", "no": "node", "pvc": "persistentvolumeclaim",
               "sa": "serviceaccount", "hpa": "horizontalpodautoscaler", "cj": "cronjob",
               "pdb": "poddisruptionbudget", "netpol": "networkpolicy", "ing": "ingress",
               "ingresses": "ingress", "policies": "policy", "networkpolicies": "networkpolicy",
               "resourceslices": "resourceslice", "deviceclasses": "deviceclass",
               "resourceclaims": "resourceclaim", "inferencepools": "inferencepool"}
PAST = {"scale": "scaled", "delete": "deleted", "apply": "applied", "create": "created",
        "patch": "patched", "edit": "edited", "replace": "replaced", "label": "labelled",
        "annotate": "annotated", "drain": "drained", "cordon": "cordoned",
        "uncordon": "uncordoned", "rollout": "rolled out", "set": "set", "taint": "tainted",
        "exec": "exec'd into", "uninstall": "uninstalled", "install": "installed",
        "upgrade": "upgraded", "rollback": "rolled back"}


def default_path() -> str:
    explicit = os.environ.get("K8S_SKILLS_AUDIT_LOG")
    if explicit:
        return explicit
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"),
                                                              ".local", "state")
    return os.path.join(state, "k8s-skills", "audit.jsonl")


def redact(command: str) -> str:
    for pattern, repl in REDACT:
        command = pattern.sub(repl, command)
    return _redact_secret_data(command) if "\n" in command else command


def _redact_secret_data(text: str) -> str:
    """Values under `data:` / `stringData:` in a heredoc manifest never reach the log."""
    out, depth = [], None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        if depth is not None and line.strip() and indent > depth:
            key, sep, _ = line.strip().partition(":")
            line = " " * indent + (f"{key}: ***" if sep else "***")
        elif line.strip():
            depth = None
        if re.match(r"^\s*(data|stringData):\s*$", line):
            depth = indent
        out.append(line)
    return "\n".join(out)


def now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds").replace(
        "+00:00", "Z")


def make_record(command: str, verdict: dict, identity: dict, signals=None,
                source: str = "cli", record_id: str = "", before: str = "") -> dict:
    facts = _main_facts(verdict)
    return {
        "time": now(), "id": record_id, "source": source, "identity": identity,
        "command": redact(command), "classification": verdict["class"],
        "reasons": verdict["reasons"], "decision": verdict["decision"],
        "signals": [s for s in (signals or []) if s],
        "guard_signals": verdict.get("signals", []),
        "action": describe_action(facts) if facts else "", "before": before,
        "result": "pending" if verdict["decision"] != "deny" else "blocked",
    }


def append(path: str, record: dict) -> None:
    """Append one line; the directory is created, the file is private to the user."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, sort_keys=True) + "\n")


def read(path: str) -> list[dict]:
    """Every record, in the shape `summarise` expects. A line that is not a JSON object (a
    torn last line after a crash, bytes that are not UTF-8) is kept as an `unreadable`
    marker, counted in the summary, never fatal and never silently dropped."""
    records = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line:
                continue
            try:
                value = json.loads(line)
            except (ValueError, RecursionError):
                value = None
            records.append(_shaped(value) if isinstance(value, dict) else
                           {"kind": "unreadable", "line": number})
    return records


_TEXT_FIELDS = ("time", "id", "source", "command", "classification", "decision", "action",
                "before", "result", "kind")
_LIST_FIELDS = ("reasons", "signals", "guard_signals")


def _shaped(record: dict) -> dict:
    """A record with text fields as text and list fields as lists of text, whatever a
    hand-edited or foreign line held (shown as written, not dropped)."""
    out = dict(record)
    for key in _TEXT_FIELDS:
        if key in out and not isinstance(out[key], str):
            out[key] = "" if out[key] is None else json.dumps(out[key], default=str)
    for key in _LIST_FIELDS:
        value = out.get(key)
        if key in out and not (isinstance(value, list) and all(isinstance(v, str)
                                                                for v in value)):
            items = value if isinstance(value, list) else [] if value is None else [value]
            out[key] = [v if isinstance(v, str) else json.dumps(v, default=str)
                        for v in items]
    identity = out.get("identity")
    out["identity"] = {str(k): v if isinstance(v, str) else json.dumps(v, default=str)
                       for k, v in identity.items()} if isinstance(identity, dict) else {}
    return out


def _main_facts(verdict: dict) -> dict:
    """Facts of the command that matters most in the line (the worst one)."""
    order = {"read": 0, "write": 1, "destructive": 2}
    cmds = [c for c in verdict.get("commands", []) if c.get("facts", {}).get("verb")]
    if not cmds:
        return {}
    return max(cmds, key=lambda c: order.get(c["class"], 0))["facts"]


def describe_action(facts: dict) -> str:
    verb = facts.get("verb", "")
    if facts.get("program") == "helm":
        release = facts.get("release") or "?"
        return f"{PAST.get(verb, verb)} helm release {release}" + _in(facts)
    names = facts.get("names") or []
    kinds = [SHORT_NAMES.get(k, k.rstrip("s") if k.endswith("s") and k not in ("ingress",)
                             else k) for k in facts.get("resources") or []]
    kind = kinds[0] if kinds else ""
    if kinds and names:
        what = ", ".join(f"{kind}/{n}" if "/" not in n else n for n in names[:3])
    elif kinds:
        what = ",".join(kinds)
    else:
        what = ", ".join(facts.get("kinds") or []) or "objects from a manifest"
    text = f"{PAST.get(verb, verb)} {what}{_in(facts)}"
    if verb == "scale" and facts.get("replicas"):
        text += f" to {facts['replicas']}"
    return text


def _in(facts: dict) -> str:
    if facts.get("all_namespaces"):
        return " in all namespaces"
    return f" in {facts['namespace']}" if facts.get("namespace") else ""


SAFE_WORD = re.compile(r"[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")


def lookup_before(verdict: dict, timeout: float = 5, env: dict | None = None) -> str:
    """The replica count before a `kubectl scale`, read live (best effort, else '').

    Call it only once the command is approved (the guard allowed it): it runs kubectl with
    the agent's own kubeconfig and context, never one the command names (a kubeconfig
    written by the agent could run an exec plugin), and only with names that are plain
    Kubernetes names, after `--`."""
    facts = _main_facts(verdict)
    if facts.get("verb") != "scale" or not facts.get("names") or facts.get("targets") or \
            not shutil.which("kubectl"):
        return ""
    kind = (facts.get("resources") or ["deployment"])[0]
    name = facts["names"][0]
    if "/" in name:
        kind, _, name = name.partition("/")
    namespace = facts.get("namespace") or ""
    if not all(SAFE_WORD.fullmatch(w) for w in (kind, name) + ((namespace,) if namespace
                                                               else ())):
        return ""
    cmd = ["kubectl", "get", "-o", "jsonpath={.spec.replicas}"]
    if namespace:
        cmd += ["-n", namespace]
    cmd += ["--", f"{kind}/{name}"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=env, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


# --- summary ---------------------------------------------------------------------

def summarise(records: list[dict], include_reads: bool = False) -> dict:
    """Join results onto their commands; count decisions; one sentence per change."""
    results = {r["id"]: r for r in records if r.get("kind") == "result" and r.get("id")}
    commands = [r for r in records if r.get("kind") not in ("result", "unreadable")]
    counts = {"commands": len(commands), "by_decision": {}, "by_class": {},
              "unreadable_lines": sum(1 for r in records if r.get("kind") == "unreadable")}
    lines = []
    for rec in commands:
        counts["by_decision"][rec.get("decision", "?")] = \
            counts["by_decision"].get(rec.get("decision", "?"), 0) + 1
        counts["by_class"][rec.get("classification", "?")] = \
            counts["by_class"].get(rec.get("classification", "?"), 0) + 1
        result = results.get(rec.get("id"), {}).get("result") or rec.get("result", "")
        if rec.get("classification") == "read" and not include_reads and \
                rec.get("decision") == "allow":
            continue
        lines.append({"time": rec.get("time", ""), "who": _who(rec.get("identity") or {}),
                      "sentence": sentence(rec), "decision": rec.get("decision", ""),
                      "classification": rec.get("classification", ""), "result": result})
    return {"counts": counts, "actions": lines}


def sentence(rec: dict) -> str:
    action = rec.get("action") or rec.get("command", "")
    before = rec.get("before")
    if before and " to " in action and rec.get("action"):
        head, _, tail = action.rpartition(" to ")
        action = f"{head} from {before} to {tail}"
    cited = "; ".join(rec.get("signals") or [])
    return f"{action} citing {cited}" if cited else action


def _who(identity: dict) -> str:
    parts = [identity.get("agent", ""), identity.get("session", "")[:8],
             identity.get("user", ""), identity.get("context", "")]
    return ":".join(p for p in parts if p) or "unknown"


def render(summary: dict) -> str:
    c = summary["counts"]
    dec = ", ".join(f"{k} {v}" for k, v in sorted(c["by_decision"].items())) or "none"
    cls = ", ".join(f"{k} {v}" for k, v in sorted(c["by_class"].items())) or "none"
    lines = [f"{c['commands']} commands ({cls}); decisions: {dec}"]
    if c.get("unreadable_lines"):
        lines.append(f"{c['unreadable_lines']} lines of the log are not records "
                     "(torn or edited): read the file itself")
    for a in summary["actions"]:
        result = f", {a['result']}" if a["result"] else ""
        lines.append(f"{a['time']} {a['who']}: {a['sentence']} "
                     f"[{a['classification']}, {a['decision']}{result}]")
    return "\n".join(lines)
