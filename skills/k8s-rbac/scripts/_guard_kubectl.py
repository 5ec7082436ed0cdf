"""What a kubectl (or helm) invocation does to a cluster: read, write or destructive.

Pure functions over argv; the caller resolves aliases and wrappers first.

    >>> judge_kubectl(["delete", "pods", "--all", "-n", "web"]).cls
    'destructive'
    >>> judge_kubectl(["get", "pods", "-A"]).cls
    'read'
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML is the one allowed dependency
    yaml = None

CLASSES = ("read", "write", "destructive")
DECISIONS = ("allow", "ask", "deny")


@dataclass
class Verdict:
    """The judgement of one command: class, the decision floor its signals demand, why."""

    cls: str = "read"
    reasons: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    floor: str = "allow"
    dry_run: str = ""
    facts: dict = field(default_factory=dict)
    decided: str = ""   # set for wrappers whose inner commands were decided one by one

    def raise_to(self, cls: str, reason: str, signal: str = "") -> None:
        if CLASSES.index(cls) > CLASSES.index(self.cls):
            self.cls = cls
        self.note(reason, signal)

    def need(self, decision: str, reason: str, signal: str = "") -> None:
        if DECISIONS.index(decision) > DECISIONS.index(self.floor):
            self.floor = decision
        self.note(reason, signal)

    def note(self, reason: str, signal: str = "") -> None:
        if reason and reason not in self.reasons:
            self.reasons.append(reason)
        if signal and signal not in self.signals:
            self.signals.append(signal)

    def merge(self, other: "Verdict") -> None:
        self.raise_to(other.cls, "")
        self.need(other.floor, "")
        if other.decided and other is not self:
            self.need(other.decided, "")  # never below what the wrapped commands needed
        for reason in other.reasons:
            self.note(reason)
        for signal in other.signals:
            self.note("", signal)


# Flags whose value is the next word (when not written --flag=value).
GLOBAL_VALUE = {"-n", "--namespace", "--context", "--cluster", "--user", "--kubeconfig",
                "-s", "--server", "--token", "--as", "--as-group", "--as-uid",
                "--certificate-authority", "--client-certificate", "--client-key",
                "--request-timeout", "--tls-server-name", "--username", "--password",
                "--cache-dir", "-v", "--v", "--log-file", "--profile", "--profile-output"}
VALUE_FLAGS = GLOBAL_VALUE | {
    "-l", "--selector", "-o", "--output", "-f", "--filename", "-c", "--container",
    "--field-selector", "--sort-by", "--template", "-k", "--kustomize", "--type", "-p",
    "--patch", "--patch-file", "--replicas", "--timeout", "--grace-period", "--image",
    "--for", "--to-revision", "--chunk-size", "--since", "--since-time", "--tail",
    "-L", "--label-columns", "--subresource", "--raw", "--field-manager",
    "--prune-allowlist", "--current-replicas", "--resource-version", "--overrides",
    "--port", "--target-port", "--name", "--min", "--max", "--cpu-percent", "--cascade",
    "--pod-selector", "--address", "--api-group", "--namespaces", "--duration",
    "--audience", "--bound-object-kind", "--bound-object-name", "--from-literal",
    "--from-file", "--from-env-file", "--docker-server", "--docker-username",
    "--docker-password", "--docker-email", "--cert", "--key", "--clusterrole", "--role",
    "--serviceaccount", "--group", "--verb", "--resource", "--resource-name",
    "--aggregation-rule", "--non-resource-url", "--schedule", "--restart", "--env",
    "--labels", "--protocol", "--external-ip", "--load-balancer-ip", "--session-affinity",
    "--cluster-ip", "--limits", "--requests", "--generator", "--attach", "--target",
    "--profile", "--copy-to", "--set-image", "--local", "--selector-label",
    "--delete-emptydir-data", "--pod-running-timeout", "--retries", "--show-kind",
    "--show-managed-fields", "--template-file", "--watch-only", "--validate",
}
BOOL_VALUE_FLAGS = {"--local", "--attach", "--validate", "--delete-emptydir-data",
                    "--show-kind", "--show-managed-fields", "--watch-only"}
VERB_BOOLEAN_SHORT = {"logs": {"-f", "-p"}, "exec": {"-i", "-t"}, "attach": {"-i", "-t"},
                      "run": {"-i", "-t"}, "debug": {"-i", "-t"}}

READ_VERBS = {"get", "describe", "logs", "top", "explain", "api-resources", "api-versions",
              "version", "cluster-info", "events", "diff", "wait", "completion", "options",
              "kustomize", "help", "plugin", "whoami"}
WRITE_VERBS = {"apply", "create", "edit", "patch", "replace", "set", "label", "annotate",
               "scale", "autoscale", "expose", "run", "exec", "attach", "cp", "port-forward",
               "proxy", "debug", "uncordon", "taint", "rollout", "certificate", "alpha"}
DESTRUCTIVE_VERBS = {"delete", "drain", "cordon"}
DRY_RUN_VERBS = {"apply", "create", "delete", "patch", "replace", "label", "annotate",
                 "scale", "set", "expose", "run", "autoscale", "drain", "cordon", "uncordon",
                 "taint", "rollout", "auth"}

RBAC_KINDS = {"role", "roles", "rolebinding", "rolebindings", "clusterrole", "clusterroles",
              "clusterrolebinding", "clusterrolebindings"}
SECURITY_KINDS = {"validatingwebhookconfiguration", "validatingwebhookconfigurations",
                  "mutatingwebhookconfiguration", "mutatingwebhookconfigurations",
                  "validatingadmissionpolicy", "validatingadmissionpolicies",
                  "validatingadmissionpolicybinding", "validatingadmissionpolicybindings",
                  "mutatingadmissionpolicy", "mutatingadmissionpolicies",
                  "certificatesigningrequest", "certificatesigningrequests", "csr",
                  "podsecuritypolicy", "podsecuritypolicies", "networkpolicy",
                  "networkpolicies", "netpol"}
SECRET_KINDS = {"secret", "secrets"}
DATA_OUTPUTS = ("yaml", "json", "jsonpath", "go-template", "template", "custom-columns",
                "jsonpath-file", "go-template-file", "custom-columns-file", "jsonpath-as-json")
RBAC_API_KINDS = {"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"}
SECURITY_API_KINDS = {"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
                      "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
                      "MutatingAdmissionPolicy", "NetworkPolicy", "CertificateSigningRequest"}
MAX_FILE = 1 << 20


@dataclass
class KubectlArgs:
    verb: str = ""
    positionals: list[str] = field(default_factory=list)
    flags: dict = field(default_factory=dict)     # --name -> [values]
    after_dashdash: list[str] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        return any(n in self.flags for n in names)

    def values(self, *names: str) -> list[str]:
        return [v for n in names for v in self.flags.get(n, [])]


def parse_kubectl(args: list[str]) -> KubectlArgs:
    out = KubectlArgs()
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.after_dashdash = args[i + 1:]
            break
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
            out.flags.setdefault(name, []).append(value)
        elif arg.startswith("--"):
            takes = arg in VALUE_FLAGS and arg not in BOOL_VALUE_FLAGS
            if takes and i + 1 < len(args):
                out.flags.setdefault(arg, []).append(args[i + 1])
                i += 1
            else:
                out.flags.setdefault(arg, []).append("")
        elif arg.startswith("-") and len(arg) > 1:
            i = _short_flag(args, i, out)
        elif not out.verb:
            out.verb = arg
        else:
            out.positionals.append(arg)
        i += 1
    return out


def _short_flag(args: list[str], i: int, out: KubectlArgs) -> int:
    arg = args[i]
    name = arg[:2]
    boolean = name in VERB_BOOLEAN_SHORT.get(out.verb, ())
    if name in VALUE_FLAGS and not boolean:
        if "=" in arg[:3] or len(arg) > 2:
            value = arg[3:] if arg[2:3] == "=" else arg[2:]
            out.flags.setdefault(name, []).append(value)
            return i
        if i + 1 < len(args):
            out.flags.setdefault(name, []).append(args[i + 1])
            return i + 1
    for ch in arg[1:]:  # -it, -A, -w ...
        out.flags.setdefault("-" + ch, []).append("")
    return i


def resource_types(positionals: list[str]) -> tuple[list[str], list[str]]:
    """(types, names) from `TYPE NAME...`, `TYPE/NAME...` or `TYPE1,TYPE2`."""
    if not positionals:
        return [], []
    if "/" in positionals[0]:
        pairs = [p.split("/", 1) for p in positionals if "/" in p]
        return [_norm(t) for t, _ in pairs], [n for _, n in pairs]
    return [_norm(t) for t in positionals[0].split(",") if t], positionals[1:]


def _norm(kind: str) -> str:
    """`ClusterRoleBindings.rbac.authorization.k8s.io` -> `clusterrolebindings`."""
    return kind.lower().split(".", 1)[0]


def judge_kubectl(args: list[str], stdin_text: str | None = None,
                  stdin_kind: str | None = None, inner=None) -> Verdict:
    """Judge `kubectl ARGS...`; `inner` judges the command of `kubectl exec -- CMD`."""
    kargs = parse_kubectl(args)
    verdict = Verdict()
    verb = kargs.verb
    verdict.facts.update(_facts(kargs))
    _global_flags(kargs, verdict)
    if not verb:
        verdict.note("kubectl without a command prints help")
        return verdict
    if verb in READ_VERBS or (verb == "rollout" and kargs.positionals[:1] in
                              (["status"], ["history"])):
        _read(kargs, verdict)
    elif verb in ("auth", "config"):
        _auth_or_config(kargs, verdict)
    elif verb in DESTRUCTIVE_VERBS:
        _destructive(kargs, verdict)
    elif verb in WRITE_VERBS:
        _write(kargs, verdict, stdin_text, stdin_kind, inner)
    else:
        verdict.raise_to("write", f"kubectl {verb}: unknown subcommand or plugin, "
                                  "treated as a write", f"unknown_verb:{verb}")
    _dry_run(kargs, verdict)
    return verdict


def _facts(kargs: KubectlArgs) -> dict:
    types, names = resource_types(kargs.positionals)
    ns = (kargs.values("-n", "--namespace") or [""])[-1]
    return {"program": "kubectl", "verb": kargs.verb, "namespace": ns,
            "all_namespaces": kargs.has("-A", "--all-namespaces"),
            "resources": types, "names": names,
            "replicas": (kargs.values("--replicas") or [""])[-1]}


def _global_flags(kargs: KubectlArgs, v: Verdict) -> None:
    for flag in ("-s", "--server", "--token", "--username", "--password",
                 "--insecure-skip-tls-verify", "--client-key", "--client-certificate",
                 "--certificate-authority", "--tls-server-name"):
        if kargs.has(flag):
            v.need("deny", f"{flag} redirects kubectl or swaps its credentials "
                           "(flag injection can leak the kubeconfig's token)",
                   f"flag_injection:{flag}")
    subject_flags = kargs.verb in ("create", "set") and kargs.positionals[:1] in (
        ["rolebinding"], ["clusterrolebinding"], ["subject"])
    for flag in ("--kubeconfig", "--context", "--cluster", "--user"):
        if flag == "--user" and subject_flags:
            continue  # there --user names the subject being bound, not the kubeconfig user
        for value in kargs.values(flag):
            v.facts.setdefault("targets", []).append(f"{flag}={value}")
            v.note(f"{flag}={value} picks another cluster or identity (asked unless the "
                   "policy allows it)", f"target:{flag}")
    for flag in ("--as", "--as-group", "--as-uid"):
        if kargs.has(flag) and not (kargs.verb == "auth" and kargs.positionals[:1] == ["can-i"]):
            v.need("ask", f"{flag} impersonates another identity", f"impersonation:{flag}")


def _read(kargs: KubectlArgs, v: Verdict) -> None:
    v.note(f"kubectl {kargs.verb} only reads")
    types, _ = resource_types(kargs.positionals)
    if kargs.verb == "get" and SECRET_KINDS & set(types):
        outputs = kargs.values("-o", "--output")
        if any(o.split("=", 1)[0] in DATA_OUTPUTS for o in outputs) or kargs.has("--template"):
            v.need("ask", "prints Secret data", "secret_data")
    if kargs.verb == "plugin" and kargs.positionals[:1] not in ([], ["list"]):
        v.raise_to("write", "kubectl plugin subcommand", "unknown_verb:plugin")


def _auth_or_config(kargs: KubectlArgs, v: Verdict) -> None:
    sub = (kargs.positionals or [""])[0]
    if kargs.verb == "auth":
        if sub in ("can-i", "whoami"):
            v.note(f"kubectl auth {sub} only asks the API server")
        else:
            v.raise_to("destructive", f"kubectl auth {sub or '(none)'} changes RBAC objects",
                       "rbac_change")
        return
    if sub in ("view", "get-contexts", "current-context", "get-clusters", "get-users"):
        v.note(f"kubectl config {sub} only reads the kubeconfig")
        if sub == "view" and kargs.has("--raw", "--flatten"):
            v.need("ask", "prints kubeconfig credentials", "secret_data")
        return
    v.raise_to("write", f"kubectl config {sub or '(none)'} changes the kubeconfig "
                        "(which cluster and identity later commands use)",
               "kubeconfig_change")


def _destructive(kargs: KubectlArgs, v: Verdict) -> None:
    types, names = resource_types(kargs.positionals)
    if kargs.verb == "delete":
        target = ",".join(types) or ("objects from -f" if kargs.has("-f", "--filename")
                                     else "objects named by its input")
    else:
        target = " ".join(kargs.positionals) or "nodes named by its input or selector"
    reason = {"delete": f"deletes {target}",
              "drain": f"evicts every pod from node {target}",
              "cordon": f"stops scheduling on node {target}"}[kargs.verb]
    v.raise_to("destructive", reason, f"kubectl:{kargs.verb}")
    if kargs.has("--all"):
        v.note("--all deletes every object of the type", "bulk:--all")
    if kargs.has("-A", "--all-namespaces"):
        v.note("across all namespaces", "bulk:all-namespaces")
    if kargs.has("-l", "--selector", "--field-selector"):
        v.note("every object matching a selector", "bulk:selector")
    if kargs.has("--force") or "0" in kargs.values("--grace-period"):
        v.note("skips graceful termination", "force")
    if RBAC_KINDS & set(types):
        v.note("removes RBAC objects", "rbac_change")
    if {"namespace", "namespaces", "ns"} & set(types):
        v.note("deleting a namespace deletes everything in it", "namespace_delete")
    if {"crd", "crds", "customresourcedefinition", "customresourcedefinitions"} & set(types):
        v.note("deleting a CRD deletes every object of that kind", "crd_delete")


def _write(kargs, v: Verdict, stdin_text, stdin_kind, inner) -> None:
    verb = kargs.verb
    types, names = resource_types(kargs.positionals)
    sub = (kargs.positionals or [""])[0]
    v.raise_to("write", f"kubectl {verb} changes the cluster", f"kubectl:{verb}")
    if verb in ("create", "set", "rollout", "certificate", "alpha") and kargs.positionals:
        types = [_norm(sub)]
        _write_subcommand(kargs, v, sub)
    sensitive = (RBAC_KINDS | SECURITY_KINDS) & set(types)
    if sensitive and verb not in ("exec", "attach", "cp", "port-forward", "proxy"):
        v.raise_to("destructive", f"changes security objects ({', '.join(sorted(sensitive))}): "
                                  "can grant or remove privileges", "rbac_change")
    if verb == "scale" and _is_zero((kargs.values("--replicas") or [""])[-1]):
        v.raise_to("destructive", "scales to zero replicas: takes the workload down",
                   "scale_to_zero")
    if verb == "patch":
        _patch_body(kargs, v)
    if verb in ("apply", "replace") and kargs.has("--force"):
        v.raise_to("destructive", f"{verb} --force deletes and recreates objects", "force")
    if verb == "apply" and kargs.has("--prune"):
        v.raise_to("destructive", "apply --prune deletes objects missing from the input",
                   "prune")
    if verb == "taint" and any(p.endswith(":NoExecute") for p in kargs.positionals):
        v.raise_to("destructive", "a NoExecute taint evicts running pods", "evict")
    if verb == "label" and {"ns", "namespace", "namespaces"} & set(types):
        _namespace_labels(kargs, v)
    if verb in ("apply", "create", "replace"):
        _manifest_content(kargs, v, stdin_text, stdin_kind)
    if verb in ("exec", "debug", "attach"):
        v.note("runs a process inside a container", "pod_exec")
        if inner and kargs.after_dashdash:
            inner_verdict = inner(kargs.after_dashdash)
            if inner_verdict.cls == "destructive" and "opaque" not in inner_verdict.signals:
                v.merge(inner_verdict)
    if verb in ("proxy", "port-forward"):
        v.note("opens a local port to the cluster", "network_tunnel")


def _write_subcommand(kargs, v: Verdict, sub: str) -> None:
    if kargs.verb == "create" and sub == "token":
        v.need("ask", "mints a ServiceAccount token (a credential)", "credential")
    if kargs.verb == "create" and sub == "secret":
        v.note("creates a Secret", "secret_write")
    if kargs.verb == "set" and sub == "subject":
        v.raise_to("destructive", "changes who a (Cluster)RoleBinding grants", "rbac_change")
    if kargs.verb == "certificate" and sub in ("approve", "deny"):
        v.raise_to("destructive", "approving a CSR mints a client credential",
                   "rbac_change")
    if kargs.verb == "set" and len(kargs.positionals) > 1:
        types, _ = resource_types(kargs.positionals[1:])
        if (RBAC_KINDS | SECURITY_KINDS) & set(types):
            v.raise_to("destructive", "changes security objects", "rbac_change")


def _is_zero(value: str) -> bool:
    try:
        return int(value.strip("'\"")) == 0
    except ValueError:
        return False


def _patch_body(kargs, v: Verdict) -> None:
    body = " ".join(kargs.values("-p", "--patch"))
    if re.search(r'"?replicas"?\s*:\s*[-+]?0+\b', body) or \
            re.search(r'/replicas"\s*,\s*"value"\s*:\s*"?[-+]?0+\b', body):
        v.raise_to("destructive", "patches replicas to 0", "scale_to_zero")
    if re.search(r"finalizers", body):
        v.note("edits finalizers (can orphan or force-delete objects)", "finalizers")
    if kargs.values("--patch-file"):
        v.note("patch body from a file the guard did not read")


def _namespace_labels(kargs, v: Verdict) -> None:
    for p in kargs.positionals:
        if p.startswith("pod-security.kubernetes.io/") and ("privileged" in p or p.endswith("-")):
            v.raise_to("destructive", "relaxes Pod Security admission for a namespace",
                       "security_change")


def _manifest_content(kargs, v: Verdict, stdin_text, stdin_kind) -> None:
    sources = kargs.values("-f", "--filename")
    if not sources and not kargs.has("-k", "--kustomize"):
        return
    kinds: set[str] = set()
    unseen = []
    for src in sources:
        text = stdin_text if src == "-" else _read_local(src)
        if text is None:
            unseen.append("stdin" if src == "-" else src)
            continue
        kinds |= _kinds_in(text, v)
    if kargs.has("-k", "--kustomize"):
        unseen.append("kustomization")
    if kinds:
        v.note(f"manifest kinds: {', '.join(sorted(kinds))}")
        v.facts["kinds"] = sorted(kinds)
    sensitive = kinds & (RBAC_API_KINDS | SECURITY_API_KINDS)
    if sensitive:
        v.raise_to("destructive", f"the manifest changes security objects "
                                  f"({', '.join(sorted(sensitive))})", "rbac_change")
    if unseen:
        v.note(f"content not inspected: {', '.join(unseen)}", "content_unseen")


def _read_local(path: str) -> str | None:
    """A local manifest file, or the manifests directly in a directory; None if unseen."""
    if "://" not in path and os.path.isdir(path):
        try:
            names = sorted(n for n in os.listdir(path)
                           if n.endswith((".yaml", ".yml", ".json")))[:50]
        except OSError:
            return None
        texts = [_read_local(os.path.join(path, n)) for n in names]
        return None if any(t is None for t in texts) else "\n---\n".join(texts)
    if "://" in path or not os.path.isfile(path):
        return None
    try:
        if os.path.getsize(path) > MAX_FILE:
            return None
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _kinds_in(text: str, v: Verdict) -> set[str]:
    kinds = set()
    try:
        docs = [json.loads(text)] if text.lstrip().startswith("{") else \
            list(yaml.safe_load_all(text)) if yaml else []
    except Exception:  # noqa: BLE001 - any YAML/JSON error: fall back to a text scan
        docs = []
        v.note("manifest did not parse; scanned its text for kinds", "content_unparsed")
    for doc in docs:
        for item in (doc.get("items") or [doc]) if isinstance(doc, dict) else []:
            if isinstance(item, dict) and item.get("kind"):
                kinds.add(str(item["kind"]))
    kinds |= set(re.findall(r"(?m)^\s*kind:\s*[\"']?([A-Za-z]+)", text))
    return kinds


def _dry_run(kargs, v: Verdict) -> None:
    if kargs.verb not in DRY_RUN_VERBS or not kargs.has("--dry-run"):
        return
    mode = (kargs.values("--dry-run")[-1] or "client").lower()
    if mode in ("server", "client", "true"):
        v.dry_run = "client" if mode == "true" else mode
        v.note(f"--dry-run={v.dry_run}: nothing is changed", f"dry_run:{v.dry_run}")
        if v.cls == "destructive":
            v.cls = "write"  # a rehearsal: nothing is deleted, but still not a plain read


# --- helm --------------------------------------------------------------------------

HELM_READ = {"list", "ls", "status", "get", "history", "hist", "show", "inspect", "search",
             "template", "lint", "version", "env", "verify", "help", "completion"}
HELM_DESTRUCTIVE = {"uninstall", "delete", "del", "un"}
HELM_VALUE = {"-n", "--namespace", "--kube-context", "--kubeconfig", "--kube-apiserver",
              "--kube-token", "--kube-as-user", "--kube-as-group", "-f", "--values", "--set",
              "--set-string", "--set-file", "--version", "--repo", "--timeout", "-o",
              "--output", "--revision", "--description", "--post-renderer"}


def judge_helm(args: list[str]) -> Verdict:
    v = Verdict()
    words, flags = [], {}
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-"):
            name, _, value = a.partition("=")
            if not _ and name in HELM_VALUE and i + 1 < len(args):
                value = args[i + 1]
                i += 1
            flags.setdefault(name, []).append(value)
        else:
            words.append(a)
        i += 1
    cmd = words[0] if words else ""
    sub = words[1] if len(words) > 1 else ""
    v.facts.update({"program": "helm", "verb": cmd, "release": sub,
                    "namespace": (flags.get("-n") or flags.get("--namespace") or [""])[-1]})
    for flag in ("--kube-apiserver", "--kube-token", "--kube-insecure-skip-tls-verify"):
        if flag in flags:
            v.need("deny", f"{flag} redirects helm or swaps its credentials",
                   f"flag_injection:{flag}")
    for flag in ("--kube-context", "--kubeconfig"):
        for value in flags.get(flag, []):
            v.facts.setdefault("targets", []).append(
                f"{'--context' if flag == '--kube-context' else flag}={value}")
            v.note(f"{flag}={value} picks another cluster (asked unless the policy allows "
                   "it)", f"target:{flag}")
    if "--kube-as-user" in flags or "--kube-as-group" in flags:
        v.need("ask", "helm impersonates another identity", "impersonation")
    if not cmd or cmd in HELM_READ or (cmd in ("repo", "plugin", "dependency", "dep")
                                        and sub in ("list", "ls")):
        v.note(f"helm {cmd or '(help)'} only reads")
    elif cmd in HELM_DESTRUCTIVE:
        v.raise_to("destructive", f"helm {cmd} deletes release {sub or '?'} and its objects",
                   "helm:uninstall")
    elif cmd == "rollback":
        v.raise_to("write", f"helm rollback changes release {sub or '?'}", "helm:rollback")
    elif cmd in ("install", "upgrade"):
        v.raise_to("write", f"helm {cmd} changes release {sub or '?'}", f"helm:{cmd}")
        if "--force" in flags:
            v.raise_to("destructive", "helm --force deletes and recreates objects", "force")
    else:
        v.raise_to("write", f"helm {cmd} {sub}".strip() + " changes local or cluster state",
                   f"helm:{cmd}")
    if "--dry-run" in flags and cmd in ("install", "upgrade", "uninstall", "rollback",
                                        "delete", "un", "del"):
        mode = (flags["--dry-run"][-1] or "client").lower()
        if mode in ("server", "client", "true"):
            v.dry_run = "client" if mode == "true" else mode
            v.note(f"--dry-run={v.dry_run}: nothing is changed", f"dry_run:{v.dry_run}")
            if v.cls == "destructive":
                v.cls = "write"
    return v
