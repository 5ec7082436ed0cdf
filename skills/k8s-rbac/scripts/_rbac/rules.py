"""Who can do what: risky RBAC rules and bindings, from plain Role/Binding dicts.

    >>> role = {"kind": "Role", "metadata": {"name": "r", "namespace": "a"},
    ...         "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]}
    >>> [f["cause"] for f in audit([role])]
    ['secrets_readable']
"""
from __future__ import annotations

from k8s_skillkit.findings import finding

ROLE_KINDS = ("Role", "ClusterRole")
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
READ = {"get", "list", "watch", "*"}
ESCALATION = {"escalate", "bind", "impersonate"}
# "*/exec" matches every resource's exec subresource; "pods/*" is NOT a wildcard in RBAC
# (kubernetes v1.37.2 pkg/apis/rbac/v1/evaluation_helpers.go ResourceMatches).
EXEC = {"pods/exec", "pods/attach", "*/exec", "*/attach"}


def is_default(obj: dict) -> bool:
    """Built-in roles and bindings (cluster-admin, system:*) that every cluster has."""
    meta = obj.get("metadata") or {}
    labels = meta.get("labels") or {}
    return labels.get("kubernetes.io/bootstrapping") == "rbac-defaults" or \
        str(meta.get("name", "")).startswith("system:")


def _key(kind: str, namespace: str, name: str) -> tuple:
    return (kind, namespace if kind == "Role" else "", name)


def subject_text(s: dict, binding_ns: str = "") -> str:
    if s.get("kind") == "ServiceAccount":
        return f"ServiceAccount {s.get('namespace') or binding_ns}/{s.get('name')}"
    return f"{s.get('kind', '?')} {s.get('name', '?')}"


def bound_subjects(objects: list[dict]) -> dict[tuple, list[str]]:
    """{role key: ['ServiceAccount ns/sa via RoleBinding ns/b (in ns)', ...]}."""
    who: dict[tuple, list[str]] = {}
    for b in objects:
        if b.get("kind") not in BINDING_KINDS:
            continue
        meta = b.get("metadata") or {}
        ns = meta.get("namespace", "") if b["kind"] == "RoleBinding" else ""
        ref = b.get("roleRef") or {}
        scope = f"in namespace {ns}" if ns else "cluster-wide"
        for s in b.get("subjects") or []:
            where = "/".join(p for p in (ns, meta.get("name", "")) if p)
            who.setdefault(_key(ref.get("kind", ""), ns, ref.get("name", "")), []).append(
                f"{subject_text(s, ns)} via {b['kind']} {where} ({scope})")
    return who


def audit(objects: list[dict], include_defaults: bool = False,
          service_accounts: set | None = None, roles_complete: bool = False) -> list[dict]:
    """Findings for every Role/ClusterRole rule and every binding in `objects`."""
    who = bound_subjects(objects)
    roles = {_key(o["kind"], (o.get("metadata") or {}).get("namespace", ""),
                  (o.get("metadata") or {}).get("name", "")): o
             for o in objects if o.get("kind") in ROLE_KINDS}
    findings = []
    for key, role in roles.items():
        if include_defaults or not is_default(role):
            findings += rule_findings(role, role.get("rules") or [], who.get(key, []))
    unbound = unbound_service_accounts(objects, service_accounts)
    for b in objects:
        if b.get("kind") in BINDING_KINDS and (include_defaults or not is_default(b)):
            findings += binding_findings(b, service_accounts, roles if roles_complete else None,
                                         unbound)
    return findings


def unbound_service_accounts(objects: list[dict], service_accounts: set | None) -> set:
    """(namespace, name) of the ServiceAccounts (not `default`) no binding in `objects`
    names: beside a binding whose ServiceAccount subject does not exist, the one it misses
    (a chart that renders the ServiceAccount from one value and the binding's subject from
    another: newrelic/helm-charts#102)."""
    if not service_accounts:
        return set()
    named = {((s.get("namespace") or (b.get("metadata") or {}).get("namespace", "")),
              s.get("name")) for b in objects if b.get("kind") in BINDING_KINDS
             for s in b.get("subjects") or [] if s.get("kind") == "ServiceAccount"}
    return {sa for sa in service_accounts if sa not in named and sa[1] != "default"}


def rule_findings(obj: dict, rules: list[dict], subjects: list[str]) -> list[dict]:
    out = []
    sev = "warning"
    who = ([f"bound to: {s}" for s in subjects[:5]] + [f"... and {len(subjects) - 5} more"]
           if len(subjects) > 5 else [f"bound to: {s}" for s in subjects]) or \
        ["bound to: nobody yet (latent)"]
    for rule in rules:
        verbs = set(rule.get("verbs") or [])
        resources = set(rule.get("resources") or [])
        groups = set(rule.get("apiGroups") or [])
        text = (f"rule: apiGroups={sorted(groups)} resources={sorted(resources)} "
                f"verbs={sorted(verbs)}")
        if "*" in verbs:
            out.append(finding("error" if "*" in resources and subjects else sev,
                               "wildcard_verbs", obj, "grants every verb ('*'), including "
                               "delete, escalate and any verb added later", [text] + who,
                               "list the verbs it needs, e.g. [get, list, watch]"))
        # Read-only `*` over named non-core groups cannot reach Secrets: that is how a
        # least-privilege reader covers CRDs, so only writes or core/any-group count.
        if "*" in resources and ({"", "*"} & groups or verbs - {"get", "list", "watch"}):
            out.append(finding(sev, "wildcard_resources", obj, "grants every resource "
                               "('*') of its groups, including resources added later"
                               + (" and Secrets" if {"", "*"} & groups else ""),
                               [text] + who, "list the resources it needs"))
        if ({"secrets", "*"} & resources) and ({"", "*"} & groups) and (READ & verbs):
            out.append(finding(sev, "secrets_readable", obj, "can read Secrets (tokens, "
                               "passwords) in its scope", [text] + who,
                               "drop secrets from the rule, or restrict with resourceNames"))
        if ESCALATION & verbs:
            out.append(finding("error" if subjects else "warning", "escalation_verbs", obj,
                               f"grants {', '.join(sorted(ESCALATION & verbs))}: a path to "
                               "more privilege than the role itself holds",
                               [text] + who, "remove escalate/bind/impersonate; grant "
                               "specific roles instead"))
        if EXEC & resources:
            out.append(finding(sev, "pod_exec_or_attach", obj, "can run commands in "
                               "containers (exec/attach), which sidesteps every other "
                               "rule inside the pod", [text] + who,
                               "remove pods/exec and pods/attach; use logs and debug images"))
    return out


def binding_findings(b: dict, service_accounts: set | None, roles: dict | None,
                     unbound: set = frozenset()) -> list[dict]:
    out = []
    meta = b.get("metadata") or {}
    ns = meta.get("namespace", "") if b.get("kind") == "RoleBinding" else ""
    ref = b.get("roleRef") or {}
    subjects = b.get("subjects") or []
    names = [subject_text(s, ns) for s in subjects]
    scope = f"namespace {ns}" if ns else "the whole cluster"
    if ref.get("kind") == "ClusterRole" and ref.get("name") == "cluster-admin":
        out.append(finding("error", "cluster_admin_binding", b,
                           f"gives cluster-admin over {scope} to {', '.join(names) or 'nobody'}",
                           ["roleRef: ClusterRole cluster-admin"] + names,
                           "bind a narrower role (view, edit, or a generated least-privilege "
                           "role: make_agent_rbac.py)"))
    for s in subjects:
        if s.get("kind") == "ServiceAccount" and s.get("name") == "default":
            out.append(finding("warning", "default_service_account_bound", b,
                               f"grants {ref.get('kind')} {ref.get('name')} to the default "
                               f"ServiceAccount of {s.get('namespace') or ns}: every pod "
                               "that names no ServiceAccount gets it",
                               [subject_text(s, ns)], "create a dedicated ServiceAccount, "
                               "bind it, and set serviceAccountName on the pods"))
        if s.get("kind") == "ServiceAccount" and service_accounts is not None and \
                (s.get("namespace") or ns, s.get("name")) not in service_accounts:
            elsewhere = sorted(str(n or "(none)") for n, name in service_accounts
                               if name == s.get("name"))
            if elsewhere:  # the ServiceAccount exists, in another namespace
                out.append(finding("warning", "binding_subject_mismatch", b,
                                   f"subject {subject_text(s, ns)} does not exist, but a "
                                   f"ServiceAccount {s.get('name')} does in namespace(s) "
                                   f"{', '.join(elsewhere)}: the grant misses it",
                                   [subject_text(s, ns)], "set the subject's namespace to the "
                                   "ServiceAccount's (manifests without one land in the "
                                   "namespace they are applied to)"))
                continue
            missed = sorted(name for n, name in unbound if n == (s.get("namespace") or ns))
            if 0 < len(missed) <= 2:  # the ServiceAccount beside it that nothing binds
                out.append(finding("warning", "binding_subject_mismatch", b,
                                   f"subject {subject_text(s, ns)} does not exist, while "
                                   f"ServiceAccount {' / '.join(missed)} in the same namespace "
                                   "is bound by nothing: the binding names the wrong account",
                                   [subject_text(s, ns),
                                    f"unbound ServiceAccount(s): {', '.join(missed)}"],
                                   "make the binding's subject name the ServiceAccount the "
                                   "pods use (a chart: the same serviceAccount.name value in "
                                   "both templates), or create the one it names"))
                continue
            out.append(finding("warning", "stale_binding", b,
                               f"subject {subject_text(s, ns)} does not exist: anyone who "
                               "creates it later inherits the grant",
                               [subject_text(s, ns)], "delete the binding or remove the "
                               "subject"))
    if roles is not None and _key(ref.get("kind", ""), ns, ref.get("name", "")) not in roles \
            and not str(ref.get("name", "")).startswith("system:"):
        out.append(finding("warning", "stale_binding", b,
                           f"roleRef {ref.get('kind')} {ref.get('name')} does not exist: a "
                           "role created later under that name is granted at once",
                           [f"roleRef: {ref.get('kind')} {ref.get('name')}"],
                           "delete the binding"))
    return out
