"""Why was this request denied? The denial's own words first, then what the RBAC objects in
the input say about it.

RBAC semantics follow the authorizer at kubernetes v1.37.2: pkg/registry/rbac/validation/
rule.go (appliesToUser: a ServiceAccount subject without a namespace means the binding's
namespace; groups) and pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches,
ResourceMatches: "*", exact "resource/subresource" or "*/subresource" — "pods/*" is NOT a
wildcard; ResourceNameMatches). A RoleBinding grants only in its own namespace; a request at
the cluster scope needs a ClusterRoleBinding.
"""
from __future__ import annotations


from _rbac.denials import Denial

SA_PREFIX = "system:serviceaccount:"
CLUSTER_SCOPED = {"nodes", "namespaces", "persistentvolumes", "clusterroles",
                  "clusterrolebindings", "storageclasses", "customresourcedefinitions",
                  "priorityclasses", "csinodes", "csidrivers", "volumeattachments",
                  "certificatesigningrequests", "mutatingwebhookconfigurations",
                  "validatingwebhookconfigurations", "apiservices", "runtimeclasses",
                  "ingressclasses", "deviceclasses", "resourceslices", "clusterqueues",
                  "resourceflavors", "gatewayclasses", "tokenreviews",
                  "subjectaccessreviews", "selfsubjectaccessreviews",
                  "selfsubjectrulesreviews", "validatingadmissionpolicies",
                  "validatingadmissionpolicybindings", "flowschemas",
                  "prioritylevelconfigurations", "ipaddresses", "servicecidrs",
                  "volumeattributesclasses", "devicetaintrules", "cohorts", "topologies",
                  "admissionchecks", "workloadpriorityclasses", "multikueueclusters",
                  "multikueueconfigs"}


# --- who is asking -------------------------------------------------------------------------

def service_account_of(user: str) -> tuple[str, str] | None:
    if user.startswith(SA_PREFIX) and user.count(":") >= 3:
        _, _, namespace, name = user.split(":", 3)
        return namespace, name
    return None


def denied_accounts(denials: list[Denial]) -> list[tuple[Denial, str, str]]:
    """(first RBAC denial, namespace, name) of each ServiceAccount the denials refuse."""
    out, seen = [], set()
    for denial in denials:
        sa = service_account_of(denial.user) if denial.kind == "rbac" else None
        if sa and sa not in seen:
            seen.add(sa)
            out.append((denial, *sa))
    return out


def groups_of(denial: Denial) -> set[str]:
    """Groups the authenticator gives this user (as far as the name tells)."""
    groups = set(denial.groups)
    if denial.user == "system:anonymous":
        return groups | {"system:unauthenticated"}
    groups.add("system:authenticated")
    sa = service_account_of(denial.user)
    if sa:
        groups |= {"system:serviceaccounts", f"system:serviceaccounts:{sa[0]}"}
    return groups


def applies(subject: dict, denial: Denial, binding_ns: str) -> bool:
    """appliesToUser."""
    kind, name = subject.get("kind"), subject.get("name", "")
    if kind == "User":
        return name == denial.user
    if kind == "Group":
        return name in groups_of(denial)
    if kind == "ServiceAccount":
        namespace = subject.get("namespace") or binding_ns
        return bool(namespace) and denial.user == f"{SA_PREFIX}{namespace}:{name}"
    return False


# --- what a rule grants --------------------------------------------------------------------

def _verb(rule, denial) -> bool:
    return bool({"*", denial.verb} & set(rule.get("verbs") or []))


def _group(rule, denial) -> bool:
    return bool({"*", denial.group} & set(rule.get("apiGroups") or []))


def _resource(rule, denial) -> bool:
    for res in rule.get("resources") or []:
        if res == "*" or res == denial.full_resource:
            return True
        if denial.subresource and res == "*/" + denial.subresource:
            return True
    return False


def _name(rule, denial) -> bool:
    names = rule.get("resourceNames") or []
    return not names or denial.name in names


def grants(rule: dict, denial: Denial) -> bool:
    return _verb(rule, denial) and _group(rule, denial) and _resource(rule, denial) and \
        _name(rule, denial)


def gap(rule: dict, denial: Denial) -> str | None:
    """What one field short of granting the request this rule is ("" = grants it)."""
    checks = {"verb": _verb(rule, denial), "apiGroup": _group(rule, denial),
              "resource": _resource(rule, denial), "resourceNames": _name(rule, denial)}
    missing = [k for k, ok in checks.items() if not ok]
    if len(missing) != 1:
        return None if missing else ""
    what = missing[0]
    if what == "verb":
        return f"grants {sorted(rule.get('verbs') or [])} but not '{denial.verb}'"
    if what == "apiGroup":
        return (f"lists {denial.full_resource} under apiGroups {rule.get('apiGroups')}, but "
                f"the request is in API group \"{denial.group}\"")
    if what == "resource":
        if denial.subresource and denial.resource in (rule.get("resources") or []):
            return (f"grants {denial.resource} but not the subresource "
                    f"{denial.full_resource} (subresources are separate resources)")
        return None
    return (f"limits {denial.full_resource} to resourceNames {rule.get('resourceNames')}"
            + ("; list/watch/create cannot be limited by name" if not denial.name else ""))


# --- the RBAC objects in the input --------------------------------------------------------------

class Rbac:
    def __init__(self, objects):
        self.dump = objects
        self.roles = {(o.get("kind"), _ns(o) if o.get("kind") == "Role" else "", _nm(o)): o
                      for o in objects if o.get("kind") in ("Role", "ClusterRole")}
        self.bindings = [o for o in objects if o.get("kind") in ("RoleBinding",
                                                                  "ClusterRoleBinding")]

    def role_of(self, binding: dict) -> dict | None:
        ref = binding.get("roleRef") or {}
        ns = _ns(binding) if ref.get("kind") == "Role" else ""
        return self.roles.get((ref.get("kind"), ns, ref.get("name")))

    def role_presence(self, binding: dict):
        ref = binding.get("roleRef") or {}
        ns = _ns(binding) if ref.get("kind") == "Role" else ""
        presence = getattr(self.dump, "presence", None)
        if presence is None:
            return None
        return presence(ref.get("kind", ""), ref.get("name", ""), ns)


def _ns(obj):
    return (obj.get("metadata") or {}).get("namespace", "") or ""


def _nm(obj):
    return (obj.get("metadata") or {}).get("name", "") or ""


def binding_text(b: dict) -> str:
    ref = b.get("roleRef") or {}
    where = f"{_ns(b)}/" if b.get("kind") == "RoleBinding" else ""
    return f"{b.get('kind')} {where}{_nm(b)} -> {ref.get('kind')} {ref.get('name')}"


def subject_text(s: dict, binding_ns: str = "") -> str:
    if s.get("kind") == "ServiceAccount":
        ns = s.get("namespace") or (binding_ns + " (the binding's)" if binding_ns else "<none>")
        return f"ServiceAccount {ns}/{s.get('name')}"
    return f"{s.get('kind')} {s.get('name')}"
