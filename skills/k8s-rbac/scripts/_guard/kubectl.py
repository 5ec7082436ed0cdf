"""What a kubectl command does: read, write or destructive, and what it needs to be allowed.

Allowed without asking: the read commands (get, describe, logs, top, explain, events,
api-resources, version, auth can-i/whoami, config view without --raw/--flatten, diff,
kustomize without exec plugins, rollout status/history, wait ...) with flags kubectl
knows, unless they print Secret data, read a credential file or switch cluster or
identity. Writes are the policy's to decide (asked by default); `--dry-run=server|client`
makes a write allowed only on the commands whose source honours it, and never with
`--raw` or `--edit`, which ignore it. Unknown commands are plugins (other programs): ask.

    >>> from _guard import check
    >>> facts = check("kubectl -A events delete --all")["commands"][0]["facts"]
    >>> facts["verb"], facts["resources"], facts["all_namespaces"]
    ('delete', ['events'], True)
"""
from __future__ import annotations

import json
import os
import re

from _guard.expand import Unclear
from _guard.kubectl_manifest import manifest_kinds, patch_effects
from _guard.kubectl_parse import (KubectlCommand, _strip_flags, find_command,
                                  find_flagset, flagset, parse_flags)
from _guard.verdict import Verdict
from _guard.words import GLOB_CHARS, Text, Unknown, display, known

HELP_ONLY = {"", "auth", "config", "rollout", "set", "top", "certificate", "plugin",
             "kuberc", "create secret", "create service", "alpha"}
READS = {"get", "describe", "logs", "top node", "top pod", "explain", "api-resources",
         "api-versions", "version", "cluster-info", "events", "wait", "rollout status",
         "rollout history", "auth can-i", "auth whoami", "config view",
         "config current-context", "config get-contexts", "config get-clusters",
         "config get-users", "completion", "options", "plugin list", "kustomize", "diff",
         "apply view-last-applied", "kuberc view", "cluster-info dump"}
DESTRUCTIVE = {"delete": "deletes {what}", "drain": "evicts every pod from {what}",
               "cordon": "stops scheduling on {what}",
               "certificate approve": "approves {what}: mints a client credential",
               "auth reconcile": "changes RBAC objects from {what}",
               "set subject": "changes who a (Cluster)RoleBinding grants",
               "create clusterrolebinding": "grants a ClusterRole cluster-wide",
               "create rolebinding": "grants a role", "create clusterrole": "creates a "
               "ClusterRole", "create role": "creates a Role"}
# Commands whose source reads --dry-run and sends dryRun=All (server) or sends nothing
# (client): kubectl v1.37 pkg/cmd/*/ (AddDryRunFlag + GetDryRunStrategy, and drain's
# cordon/evict/delete helpers). --raw (create, replace, delete) and --edit (create)
# bypass it; replace refuses --force with --dry-run.
DRY_RUN = {"annotate", "apply", "apply set-last-applied", "auth reconcile", "autoscale",
           "cordon", "uncordon", "drain", "create", "create clusterrole",
           "create clusterrolebinding", "create configmap", "create cronjob",
           "create deployment", "create ingress", "create job", "create namespace",
           "create poddisruptionbudget", "create priorityclass", "create quota",
           "create role", "create rolebinding", "create secret docker-registry",
           "create secret generic", "create secret tls", "create service clusterip",
           "create service externalname", "create service loadbalancer",
           "create service nodeport", "create serviceaccount", "delete", "expose", "label",
           "patch", "replace", "rollout undo", "run", "scale", "set env", "set image",
           "set resources", "set selector", "set serviceaccount", "set subject", "taint"}
TRUE = {"1", "t", "T", "TRUE", "true", "True"}
FALSE = {"0", "f", "F", "FALSE", "false", "False"}
DENY_FLAGS = {"server": "sends the request, with the kubeconfig's credentials, to another "
              "server", "token": "swaps the credentials", "username": "swaps the credentials",
              "password": "swaps the credentials", "client-key": "swaps the credentials",
              "client-certificate": "swaps the credentials",
              "certificate-authority": "trusts another certificate authority",
              "tls-server-name": "changes the server name kubectl verifies",
              "proxy-url": "sends requests (and credentials) through another proxy"}
TARGET_FLAGS = ("kubeconfig", "context", "cluster", "user")
IMPERSONATE = ("as", "as-group", "as-uid", "as-user-extra")
DATA_OUTPUTS = ("yaml", "json", "jsonpath", "go-template", "template", "custom-columns",
                "jsonpath-as-json", "kyaml")
DNS_NAMED = {"pods", "pod", "po", "nodes", "node", "no", "namespaces", "namespace", "ns",
             "services", "service", "svc", "deployments", "deployment", "deploy",
             "replicasets", "replicaset", "rs", "statefulsets", "statefulset", "sts",
             "daemonsets", "daemonset", "ds", "jobs", "job", "cronjobs", "cronjob", "cj",
             "configmaps", "configmap", "cm", "persistentvolumeclaims", "pvc",
             "persistentvolumes", "pv", "serviceaccounts", "serviceaccount", "sa",
             "ingresses", "ingress", "ing", "endpoints", "ep", "endpointslices",
             "leases", "lease", "poddisruptionbudgets", "pdb", "workloads", "workload",
             "localqueues", "localqueue", "clusterqueues", "clusterqueue",
             "resourceflavors", "resourceflavor", "httproutes", "httproute", "gateways",
             "gateway", "inferencepools", "inferencepool", "resourceclaims",
             "resourceclaim", "resourceslices", "resourceslice", "deviceclasses",
             "deviceclass", "storageclasses", "sc", "priorityclasses", "pc"}
RBAC_TYPES = {"role", "roles", "rolebinding", "rolebindings", "clusterrole", "clusterroles",
              "clusterrolebinding", "clusterrolebindings"}
SECURITY_TYPES = RBAC_TYPES | {
    "validatingwebhookconfiguration", "validatingwebhookconfigurations",
    "mutatingwebhookconfiguration", "mutatingwebhookconfigurations",
    "validatingadmissionpolicy", "validatingadmissionpolicies",
    "validatingadmissionpolicybinding", "validatingadmissionpolicybindings",
    "mutatingadmissionpolicy", "mutatingadmissionpolicies",
    "mutatingadmissionpolicybinding", "mutatingadmissionpolicybindings",
    "certificatesigningrequest", "certificatesigningrequests", "csr", "networkpolicy",
    "networkpolicies", "netpol", "podsecuritypolicy", "podsecuritypolicies"}
NAMESPACE_TYPES = {"namespace", "namespaces", "ns"}
CRD_TYPES = {"crd", "crds", "customresourcedefinition", "customresourcedefinitions"}


GLOB_TOLERANT = ("-o", "--output", "--template", "-l", "--selector", "--field-selector",
                 "--sort-by", "-L", "--label-columns", "--for", "-p", "--patch")


def judge_kubectl(args: list, call) -> Verdict:
    """Judge `kubectl ARGS` (fields); `call` gives the environment, input and paths."""
    _no_globs(args)
    path, rest = find_command(args)
    if path not in HELP_ONLY and path not in READS and path not in _all_commands():
        raise Unclear(f"kubectl {path}: not a kubectl command")
    root_words = _leftover(rest) if path == "" else None
    if root_words:
        return Verdict().unknown(f"kubectl {root_words}: not a built-in command, so kubectl "
                                 "runs the plugin program kubectl-{root_words}",
                                 "kubectl_plugin")
    if path == "create" and _first_word(rest):
        return Verdict().unknown(f"kubectl create {_first_word(rest)}: a create plugin "
                                 "(another program)", "kubectl_plugin")
    cmd = parse_flags(path, rest)
    return _Judge(cmd, call).run()


def _no_globs(args: list):
    """A live glob in a kubectl word could become any file name in the directory (say
    `secret`, or `--server=x`): only the values of a few flags may hold * ? [ safely."""
    previous = ""
    for f in args:
        text = known(f) or display(f)
        live = any(isinstance(s, Text) and s.active and GLOB_CHARS & set(s.text) or
                   isinstance(s, Unknown) and s.split and s.kind in ("data", "secret")
                   for s in f)
        if live and previous not in GLOB_TOLERANT and not text.startswith(
                tuple(flag + "=" for flag in GLOB_TOLERANT if flag.startswith("--")) +
                ("-o", "-l", "-p")):
            raise Unclear(f"kubectl: {text!r} is a live glob (it becomes file names from "
                          "the working directory)")
        previous = text


def _all_commands():
    from _guard.kubectl_flags import COMMANDS
    return COMMANDS


def _leftover(rest: list) -> str | None:
    """A word cobra leaves at the root is an unknown command: kubectl runs a plugin."""
    words = _strip_flags(rest, find_flagset(""))
    if not words:
        return None
    return words[0] if isinstance(words[0], str) else display(words[0])


def _first_word(rest: list) -> str | None:
    text = known(rest[0]) if rest else None
    return text if text and not text.startswith("-") else None


class _Judge:
    def __init__(self, cmd: KubectlCommand, call):
        self.cmd = cmd
        self.call = call
        self.v = Verdict()
        self.types, self.names = resource_types(cmd)
        self.v.facts = self.facts()

    def run(self) -> Verdict:
        cmd, v = self.cmd, self.v
        self.global_flags()
        if cmd.flag("help") in TRUE:
            v.note(f"kubectl {cmd.path} --help only prints help")
            return v
        self.files()
        if cmd.path in HELP_ONLY:
            v.note(f"kubectl {cmd.path or ''} only prints help".replace("  ", " "))
        elif cmd.path in READS:
            self.read()
        else:
            self.write()
        self.set_output()
        return v

    def facts(self) -> dict:
        cmd = self.cmd
        ns = cmd.flag("namespace")
        return {"program": "kubectl", "verb": cmd.path, "namespace": ns if isinstance(
                    ns, str) else "", "all_namespaces": cmd.flag("all-namespaces") in TRUE,
                "resources": self.types, "names": self.names,
                "replicas": _text(cmd.flag("replicas")), "dry_run": ""}

    # -- every command --
    def global_flags(self):
        cmd, v = self.cmd, self.v
        for name, why in DENY_FLAGS.items():
            if cmd.has(name):
                v.need("deny", f"--{name} {why}", f"flag_injection:--{name}")
        if cmd.has("insecure-skip-tls-verify") and cmd.flag("insecure-skip-tls-verify") \
                not in FALSE:
            v.need("deny", "--insecure-skip-tls-verify turns off verification of the API "
                           "server", "flag_injection:--insecure-skip-tls-verify")
        own = flagset(cmd.path)
        for name in TARGET_FLAGS:
            if name in own and not own[name].persistent:
                continue        # create rolebinding --user NAME: the subject, not a target
            for value in cmd.values(name):
                v.facts.setdefault("targets", []).append(f"--{name}={_text(value)}")
                v.note(f"--{name}={_text(value)} picks another cluster, identity or "
                       "credential plugin", f"target:--{name}")
        if cmd.has("kuberc") and cmd.flag("kuberc") != "off":
            v.need("ask", "--kuberc loads preferences (aliases, default flags) from another "
                          "file", "target:--kuberc")
        if cmd.path != "auth can-i":
            for name in IMPERSONATE:
                if cmd.has(name):
                    v.need("ask", f"--{name} impersonates another identity",
                           f"impersonation:--{name}")
        for name in ("cache-dir", "profile-output"):
            for value in cmd.values(name):
                self.write_path(_text(value) + ("/discovery" if name == "cache-dir" else ""),
                                f"--{name}")
        level = _int(cmd.flag("v"))
        if level is not None and level >= 6 and self.touches_secrets():
            v.need("ask", f"-v={level} logs response bodies, here Secret data", "secret_data")

    def files(self):
        cmd = self.cmd
        for name in ("filename", "patch-file", "from-file", "from-env-file", "cert", "key"):
            if name in ("cert", "key") and cmd.path != "create secret tls":
                continue
            for value in cmd.values(name):
                if name == "from-file" and isinstance(value, str) and "=" in value:
                    value = value.split("=", 1)[1]
                self.read_path(value, f"--{name}")
        for value in cmd.values("kustomize"):
            self.read_tree(value, "--kustomize")
        for value in cmd.values("output"):
            text = _text(value)
            kind, _, target = text.partition("=")
            if kind.endswith("-file") and target:
                self.read_path(target, f"-o {kind}")

    def read_path(self, value, flag: str):
        text = value if isinstance(value, str) else None
        if text is None:
            self.v.unknown(f"{flag} names a file known only at run time")
            return
        if text == "-":
            return
        if "://" in text:
            host = re.sub(r"^[a-z]+://([^/:]*).*$", r"\1", text)
            if host not in ("localhost", "127.0.0.1", "[::1]"):
                self.v.need("ask", f"{flag} {text} fetches a URL off this machine",
                            "network")
            return
        risk = self.call.paths.read_risk(text)
        if risk:
            self.v.need("ask", risk[1], "secret_data")

    def read_tree(self, value, flag: str):
        text = value if isinstance(value, str) else None
        if text is None:
            self.v.unknown(f"{flag} names a directory known only at run time")
            return
        risk = self.call.paths.tree_risk(text)
        if risk:
            self.v.need("ask", risk[1], "secret_data")

    def write_path(self, text: str, flag: str):
        risk = self.call.paths.write_risk(text)
        if risk:
            self.v.raise_to("write", f"{flag}: {risk[1]}", "local_write")
            self.v.need(risk[0], f"{flag}: {risk[1]}", "local_write")

    # -- reads --
    def read(self):
        cmd, v = self.cmd, self.v
        v.note(f"kubectl {cmd.path} only reads")
        path = cmd.path
        if path == "get":
            self.get()
        elif path == "config view":
            for name in ("raw", "flatten"):
                if cmd.flag(name) in TRUE:
                    v.need("ask", f"kubectl config view --{name} prints the kubeconfig's "
                                  "credentials", "secret_data")
        elif path == "diff":
            self.diff()
        elif path == "kustomize":
            self.kustomize()
        elif path == "apply view-last-applied" and self.touches_secrets():
            v.need("ask", "prints the last applied Secret, with its data", "secret_data")
        elif path == "logs" and cmd.flag("insecure-skip-tls-verify-backend") in TRUE:
            v.need("ask", "turns off TLS verification of the kubelet", "insecure")
        elif path == "cluster-info dump":
            for value in cmd.values("output-directory"):
                self.write_path(_text(value) + "/dump", "--output-directory")

    def get(self):
        cmd, v = self.cmd, self.v
        raw = cmd.flag("raw")
        if raw is not None:
            self.raw_path(raw)
        if self.touches_secrets() and self.prints_data():
            v.need("ask", "prints Secret data (use describe, or -o name, to see which keys "
                          "exist)", "secret_data")

    def raw_path(self, raw):
        v = self.v
        text = raw if isinstance(raw, str) else None
        if text is None:
            v.unknown("--raw with a path known only at run time")
            return
        low = text.lower()
        if not text.startswith("/") or "%" in text or "\\" in text:
            v.unknown(f"--raw {text!r} is not a plain API path")
        elif "secret" in low:
            v.need("ask", f"--raw {text} reads Secrets", "secret_data")
        elif "/proxy" in low or "/portforward" in low or "/exec" in low or "/attach" in low:
            v.need("ask", f"--raw {text} reaches a pod, node or service through the API "
                          "server proxy (a GET there can change things)", "proxy")

    def diff(self):
        env_diff = self.call.env.get("KUBECTL_EXTERNAL_DIFF") or \
            self.call.ctx_env.get("KUBECTL_EXTERNAL_DIFF")
        if env_diff:
            self.v.need("ask", "kubectl diff runs $KUBECTL_EXTERNAL_DIFF", "exec")
        if self.cmd.flag("show-secrets") in TRUE:
            self.v.need("ask", "--show-secrets prints Secret data", "secret_data")
        if self.cmd.flag("prune") in TRUE:
            self.v.note("diff --prune only compares")

    def kustomize(self):
        cmd, v = self.cmd, self.v
        for name in ("enable-alpha-plugins", "enable-helm", "helm-command", "mount",
                     "network", "network-name", "env", "as-current-user"):
            if cmd.has(name) and cmd.flag(name) not in FALSE:
                v.need("ask", f"kubectl kustomize --{name} runs plugins, helm or containers",
                       "exec")
        restrictor = cmd.flag("load-restrictor")
        if restrictor is not None and restrictor != "LoadRestrictionsRootOnly":
            v.need("ask", "--load-restrictor lets the kustomization read files anywhere",
                   "secret_data")
        for value in cmd.values("output"):
            self.write_path(_text(value), "--output")
        for target in cmd.positionals or ["."]:
            self.read_tree(target, "kustomize")

    # -- writes --
    def write(self):
        cmd, v = self.cmd, self.v
        path = cmd.path
        what = self.target_text()
        if path in DESTRUCTIVE:
            v.raise_to("destructive", DESTRUCTIVE[path].format(what=what), f"kubectl:{path}")
        else:
            v.raise_to("write", f"kubectl {path} changes {what}", f"kubectl:{path}")
        self.write_details()
        self.dry_run()

    def write_details(self):
        cmd, v = self.cmd, self.v
        path = cmd.path
        types = set(self.types)
        if path.startswith(("create ", "set ", "rollout ")):
            pass
        elif types & SECURITY_TYPES and path not in ("exec", "attach", "cp", "port-forward",
                                                      "logs"):
            v.raise_to("destructive", "changes security objects "
                       f"({', '.join(sorted(types & SECURITY_TYPES))}): can grant or remove "
                       "privileges", "rbac_change")
        if path == "delete":
            self.delete_details(types)
        if path == "scale" and _zero(cmd.flag("replicas")):
            v.raise_to("destructive", "scales to zero replicas: takes the workload down",
                       "scale_to_zero")
        if path == "patch":
            for effect in patch_effects(cmd, self.call):
                v.raise_to(effect[0], effect[1], effect[2])
        if path in ("apply", "replace") and cmd.flag("force") in TRUE:
            v.raise_to("destructive", f"{path} --force deletes and recreates objects", "force")
        if path == "apply" and cmd.flag("prune") in TRUE:
            v.raise_to("destructive", "apply --prune deletes objects missing from the input",
                       "prune")
        if path == "taint" and any(_text(p).endswith(":NoExecute") for p in cmd.positionals):
            v.raise_to("destructive", "a NoExecute taint evicts running pods", "evict")
        if path == "label" and types & NAMESPACE_TYPES:
            self.namespace_labels()
        if path in ("apply", "create", "replace", "auth reconcile"):
            self.manifests()
        if path == "create token":
            v.need("ask", "mints a ServiceAccount token (a credential)", "credential")
        if path == "set env" and (cmd.flag("resolve") in TRUE):
            v.need("ask", "set env --resolve prints values from Secrets", "secret_data")
        if path in ("exec", "attach", "debug", "cp", "run"):
            v.note("runs or reaches a process inside a container", "pod_exec")
            self.exec_inner()
        if path in ("proxy", "port-forward"):
            v.note("opens a local port to the cluster", "network_tunnel")
        if path == "edit" or cmd.flag("edit") in TRUE:
            v.need("ask", "opens an editor ($KUBE_EDITOR / $EDITOR runs a program)", "exec")

    def delete_details(self, types: set):
        cmd, v = self.cmd, self.v
        if cmd.flag("all") in TRUE:
            v.note("--all deletes every object of the type", "bulk:--all")
        if cmd.flag("all-namespaces") in TRUE:
            v.note("across all namespaces", "bulk:all-namespaces")
        if cmd.has("selector", "field-selector"):
            v.note("every object matching a selector", "bulk:selector")
        if cmd.flag("force") in TRUE or _text(cmd.flag("grace-period")) == "0":
            v.note("skips graceful termination", "force")
        if types & NAMESPACE_TYPES:
            v.note("deleting a namespace deletes everything in it", "namespace_delete")
        if types & CRD_TYPES:
            v.note("deleting a CRD deletes every object of that kind", "crd_delete")

    def namespace_labels(self):
        for p in self.cmd.positionals:
            text = _text(p)
            if text.startswith("pod-security.kubernetes.io/") and (
                    "privileged" in text or text.endswith("-")):
                self.v.raise_to("destructive", "relaxes Pod Security admission for a "
                                "namespace", "security_change")

    def manifests(self):
        kinds, unseen = manifest_kinds(self.cmd, self.call)
        v = self.v
        if kinds:
            v.facts["kinds"] = sorted(kinds)
            v.note(f"manifest kinds: {', '.join(sorted(kinds))}")
        sensitive = {k for k in kinds if k.lower() in SECURITY_TYPES}
        if sensitive:
            v.raise_to("destructive", "the manifest changes security objects "
                       f"({', '.join(sorted(sensitive))})", "rbac_change")
        if unseen:
            v.note(f"content not inspected: {', '.join(unseen)}", "content_unseen")

    def exec_inner(self):
        cmd = self.cmd
        if cmd.after_dash < 0:
            return
        inner = cmd.positionals[cmd.after_dash:]
        words = [_text(w) for w in inner]
        text = " ".join(words)
        if re.search(r"\b(rm|shred|dd|mkfs|truncate|kill|pkill|killall|psql|mysql|"
                     r"redis-cli|etcdctl|kubectl)\b", text):
            self.v.raise_to("destructive", f"runs {text[:80]!r} inside the container",
                            "pod_exec")

    def dry_run(self):
        cmd, v = self.cmd, self.v
        if not cmd.has("dry-run"):
            return
        value = _text(cmd.flag("dry-run"))
        mode = {"unchanged": "client", "client": "client", "server": "server"}.get(value)
        if value in TRUE:
            mode = "client"
        if mode is None:
            if value not in FALSE and value != "none":
                v.unknown(f"--dry-run={value!r} is not a value kubectl accepts")
            return
        why = None
        if cmd.path not in DRY_RUN:
            why = f"kubectl {cmd.path} has no --dry-run"
        elif cmd.has("raw"):
            why = "--raw sends the request as is: kubectl ignores --dry-run with it"
        elif cmd.flag("edit") in TRUE:
            why = "--edit opens an editor before any dry run"
        elif cmd.path == "replace" and cmd.flag("force") in TRUE:
            why = "replace --force refuses --dry-run"
        if why:
            v.note(why)
            return
        v.dry_run = mode
        v.facts["dry_run"] = mode
        if v.cls == "destructive":
            v.cls = "write"     # a rehearsal: nothing is deleted, but still not a plain read
        v.note(f"--dry-run={mode}: kubectl sends nothing that changes the cluster",
               f"dry_run:{mode}")

    # -- helpers --
    def touches_secrets(self) -> bool:
        if any("secret" in t for t in self.types):
            return True
        first = self.cmd.positionals[:1]
        if first and not isinstance(first[0], str) and any(
                getattr(s, "kind", "ref") != "ref" for s in first[0]):
            return True        # the type is computed at run time: it may be secrets
        return self.cmd.has("filename", "kustomize") and self.cmd.path in (
            "get", "apply view-last-applied")

    def prints_data(self) -> bool:
        cmd = self.cmd
        if cmd.has("template"):
            return True
        for value in cmd.values("output"):
            text = value if isinstance(value, str) else None
            if text is None:
                return True
            fmt = text.split("=", 1)[0].strip().lower()
            if fmt not in ("", "name", "wide"):
                return True
        return False

    def target_text(self) -> str:
        types, names = self.types, self.names
        if any("$?" in t for t in types + names):
            return "objects named only at run time (from its input or a substitution)"
        if types and names:
            return ", ".join(f"{types[0]}/{n}" for n in names[:3])
        if types:
            return ",".join(types)
        if self.cmd.has("filename"):
            return "the objects in " + ", ".join(_text(f) for f in self.cmd.values("filename"))
        return "objects named by its input or a selector"

    def set_output(self):
        cmd, v = self.cmd, self.v
        if v.floor == "ask" and "secret_data" in v.signals:
            self.call.output = "secret"
            return
        outputs = [_text(o) for o in cmd.values("output")]
        names_only = outputs and outputs[-1] == "name" or _jsonpath_names(outputs)
        if cmd.path == "get" and names_only and self.types and \
                all(t in DNS_NAMED for t in self.types):
            self.call.output = "ref" if outputs[-1] == "name" else "name"
        else:
            self.call.output = "data"


def resource_types(cmd: KubectlCommand) -> tuple[list, list]:
    """(types, names) from `TYPE NAME...`, `TYPE/NAME...` or `TYPE1,TYPE2` (lower case,
    without group and version)."""
    words = [p for p in cmd.positionals[:cmd.after_dash if cmd.after_dash >= 0 and
                                         cmd.path in ("exec", "debug", "run", "attach")
                                         else None]]
    if cmd.path in ("exec", "attach", "logs", "port-forward", "cp", "debug"):
        words = [("pod/" + w if isinstance(w, str) and "/" not in w else w)
                 for w in words[:1]]
    if cmd.path.startswith(("create ", "set ", "rollout ", "config ", "top ",
                            "certificate ", "auth ")) and cmd.path not in (
            "rollout status", "rollout history", "rollout undo", "rollout restart",
            "rollout pause", "rollout resume", "set env", "set image", "set resources",
            "set selector", "set serviceaccount", "set subject", "auth can-i"):
        sub = cmd.path.split(" ", 1)[1]
        return [sub], [_text(w) for w in words[:1]]
    if cmd.path in ("set env", "set image", "set resources", "set selector",
                    "set serviceaccount", "set subject"):
        words = words[:1]
    if cmd.path == "auth can-i":
        return [], []
    if not words:
        return [], []
    first = _text(words[0])
    if "/" in first:
        pairs = [_text(w).split("/", 1) for w in words if "/" in _text(w)]
        return [_norm(t) for t, _ in pairs], [n for _, n in pairs]
    return [_norm(t) for t in first.split(",") if t], [_text(w) for w in words[1:]]


def _norm(kind: str) -> str:
    return kind.lower().split(".", 1)[0]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return display(value)


def _int(value) -> int | None:
    text = _text(value)
    return int(text) if text.isdigit() else None


def _zero(value) -> bool:
    if value is None:
        return False
    if not isinstance(value, str):
        return True            # computed at run time: it may be 0
    try:
        return int(value.strip().strip("'\"")) == 0
    except ValueError:
        return False


def _jsonpath_names(outputs: list) -> bool:
    """-o jsonpath printing only .metadata.name (and newlines / blanks between)."""
    if not outputs or not outputs[-1].startswith("jsonpath="):
        return False
    template = outputs[-1][len("jsonpath="):]
    blocks = re.findall(r"\{([^{}]*)\}", template)
    outside = re.sub(r"\{[^{}]*\}", "", template)
    if outside.strip(" \n") or not blocks:
        return False
    allowed = {".items[*].metadata.name", ".metadata.name", "range .items[*]", "end",
               '"\\n"', '" "', ".items[0].metadata.name", ".items[*].metadata.namespace",
               ".metadata.namespace"}
    return all(b.strip() in allowed for b in blocks)


__all__ = ["judge_kubectl", "resource_types", "Unknown", "json", "os"]
