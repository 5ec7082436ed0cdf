"""Denials the API server, the kubelet or an admission plugin wrote, in every wording.

Sources (each pattern's wording and the versions that print it; references/rbac-denials.md
keeps the same table for readers):
- RBAC Forbidden, 1.11+: `User "u" cannot list resource "pods" in API group "" in the
  namespace "ns"` / `at the cluster scope`, subresources as "pods/log", then `: <reason>` when
  an authorizer gave one (k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/responsewriters/
  errors.go forbiddenMessage + ForbiddenStatusError); wrapped by apimachinery
  pkg/api/errors NewForbidden as `pods "name" is forbidden: ...`.
- 1.6-1.10: `User "u" cannot list deployments.extensions/scale in the namespace "ns"` (kubernetes
  v1.9.0 staging apiserver errors.go: resource.group/subresource), 1.6 adds `. (get pods)`.
- non-resource URLs: `User "u" cannot get path "/metrics"` (same files, all versions).
- reasons appended by authorizers: `RBAC: clusterrole.rbac.authorization.k8s.io "x" not found`
  (kubernetes v1.37.2 plugin/pkg/auth/authorizer/rbac/rbac.go), `no RBAC policy matched`
  (OpenShift 3.x), `Required "container.pods.getLogs" permission.` (GKE IAM),
  `Unknown user "system:anonymous"` (GKE).
- kubelet: `Forbidden (user=u, verb=get, resource=nodes, subresource=proxy)` (kubernetes
  pkg/kubelet/server/auth.go, the kubelet's own authorizer for the apiserver's log/exec proxy).
- escalation prevention: `is attempting to grant RBAC permissions not currently held`
  (1.9+, pkg/registry/rbac/validation/rule.go), `attempt to grant extra privileges`
  (1.6-1.8) and `must have cluster-admin privileges to use the aggregationRule`.
- Pod Security admission: `violates PodSecurity "restricted:latest": allowPrivilegeEscalation !=
  false (...), ...` and `would violate PodSecurity` warnings (k8s.io/pod-security-admission
  v0.37.2 admission/admission.go, policy/checks.go ForbiddenDetail), a namespace label's
  `existing pods in namespace "ns" violate the new PodSecurity enforce level`; PodSecurityPolicy
  (<= 1.24): `unable to validate against any pod security policy: [...]` (1.5-1.18),
  `PodSecurityPolicy: unable to admit pod: [...]` (1.19-1.24, v1.19.0 podsecuritypolicy/admission.go).
- admission webhooks: `admission webhook "name" denied the request: msg` (k8s.io/apiserver
  pkg/admission/plugin/webhook/errors/statuserror.go ToStatusErr); Kyverno's podSecurity
  rule's checks in its own print (`It violates PodSecurity "l:v": (Forbidden reason: R, ...)`,
  kyverno v1.19.0 pkg/pss/evaluate.go) read as Pod Security's; Gatekeeper's FailedAdmission
  event `Admission webhook "validation.gatekeeper.sh" denied request, ..., Constraint: C,
  Message: M` (gatekeeper v3.23.0 pkg/webhook/policy.go:337).
- a binding the apiserver refused: `The ClusterRoleBinding "x" is invalid: subjects[0].namespace:
  Required value` (apimachinery pkg/api/errors NewInvalid as kubectl prints it; the field
  errors from kubernetes pkg/apis/rbac/validation/validation.go ValidateRoleBindingSubject).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Admission plugins' words (ResourceQuota, LimitRange, ServiceAccount, NamespaceLifecycle, Pod
# Security, PSP, webhooks) are one vocabulary for every skill; sources in the kit module.
from k8s_skillkit.event_table import join_error_chains, unwrap_free_text
from k8s_skillkit.admission_denials import ADMISSION
from k8s_skillkit.admission_denials import PSA as _PSA
from k8s_skillkit.admission_denials import PSA_CAUSES
from k8s_skillkit.admission_denials import PSP as _PSP
from k8s_skillkit.admission_denials import PSP_FIELD as _PSP_FIELD
from k8s_skillkit.admission_denials import PSP_NONE as _PSP_NONE
from k8s_skillkit.admission_denials import PSP_NONE_CHECK
from k8s_skillkit.admission_denials import POLICY as _POLICY
from k8s_skillkit.admission_denials import WEBHOOK as _WEBHOOK
from k8s_skillkit.admission_denials import policy_name
from k8s_skillkit.admission_denials import psp_list
from k8s_skillkit.admission_denials import psa_cause, psa_checks

_Q = r'"([^"]*)"'
# a namespace name has no space or quote: its closing quote may be lost when a paste is cut
_NS = r'"([^"\s]*)"?'
# the user's part may be cut off a quoted fragment ('error: cannot create resource
# "serviceaccounts/token" in API group "" in the namespace "kube-system"', projectcalico/
# calico#6378): the request is still named, the identity is the client's own
_MODERN = re.compile(r'(?:User ' + _Q + r' )?\bcannot (\S+) resource ' + _Q + r' in API group ' + _Q
                     + r' (?:in the namespace ' + _NS + r'|(at the cluster scope))(?::\s*(.*))?')
_OLD = re.compile(r'User ' + _Q + r' cannot (\S+) ([a-z0-9][a-z0-9.\-]*(?:/[a-z0-9*]+)?) '
                  r'(?:in (?:the namespace|project) ' + _NS + r'|(at the cluster scope))'
                  # GKE (2017-2018) appends its IAM check after a period: `in the namespace
                  # "ns".: "role.rbac.authorization.k8s.io \"x\" not found\nRequired
                  # \"container.pods.list\" permission."` (jcbsmpsn/gke-rbac-walkthrough#1)
                  r'(?:\.?:\s*(.*)|\. \((.*)\))?')
_PATH = re.compile(r'User ' + _Q + r' cannot (\S+) path ' + _Q + r'(?::\s*(.*))?')
# `pods "web-0" is forbidden: ` or `pods is forbidden: ` immediately before the message (a
# LimitRange's list of reasons starts with "[").
_OBJECT_BEFORE = re.compile(r'[a-z0-9][a-z0-9.\-]*(?: ' + _Q + r')? is forbidden:[\s\[]*$')
# (the kubelet's own 403: `subresource=%s` in older releases, `subresource(s)=%v`, a Go slice
# such as `[proxy]`, in kubernetes v1.37.2 pkg/kubelet/server/server.go:426)
_KUBELET = re.compile(r'Forbidden \(user=([^,]+), verb=([^,]+), resource=([^,)]+)'
                      r'(?:, ?subresource(?:\(s\))?=\[?([^)\]]*)\]?)?\)')
# (a ClusterRole with an aggregationRule gathers any rule, so its creator must hold every verb
# on every resource, or `escalate` on clusterroles: kubernetes v1.37.2 pkg/registry/rbac/
# clusterrole/policybased/storage.go:86,114 "must have cluster-admin privileges to use the
# aggregationRule", pkg/registry/rbac/escalation_check.go RoleEscalationAuthorized)
_ESCALATION = re.compile(r'(?:user ' + _Q + r' \(groups=\[([^\]]*)\]\) is attempting to grant '
                         r'RBAC permissions not currently held|attempt to grant extra '
                         r'privileges|must have cluster-admin privileges to use the '
                         r'aggregationRule)')
# the kind alone (kubectl) or with its group (Helm's and client-go's errors print the
# qualified resource: `RoleBinding.rbac.authorization.k8s.io "x" is invalid`, keptn#3842)
_INVALID_BINDING = re.compile(r'(ClusterRoleBinding|RoleBinding)(?:\.rbac\.authorization\.k8s\.io)? '
                              + _Q + r' is invalid: (.*?)'
                              r'(?= Error from server| error: |$| Then | \[)')
# the reason may be quoted inside the message, its own quotes escaped (GKE's, above)
_ROLE_NOT_FOUND = re.compile(r'(clusterrole|role)\.rbac\.authorization\.k8s\.io \\?"'
                             r'([^"\\]*)\\?" not found')


@dataclass
class Denial:
    """One request the cluster refused, as its message describes it."""
    kind: str   # rbac | path | kubelet | escalation | pod-security | psp | webhook |
    #             invalid-binding | admission | owner-finalizers | privileged-disallowed |
    #             policy | unauthenticated | node-restriction | binding-role-missing |
    #             resolution-errors
    text: str                     # the message, as found
    user: str = ""
    verb: str = ""
    resource: str = ""            # plural, without the subresource
    subresource: str = ""
    group: str = ""
    namespace: str = ""
    cluster_scope: bool = False
    name: str = ""                # the object's name, when the message names it
    path: str = ""
    reason: str = ""              # what the authorizer appended
    groups: list[str] = field(default_factory=list)
    level: str = ""               # pod security: "restricted:latest"
    checks: list[tuple[str, str]] = field(default_factory=list)   # (reason, detail)
    webhook: str = ""
    scope_unknown: bool = False   # the message names neither a namespace nor the cluster scope
    role: str = ""                # the Role the message itself names as granting the request
    #                               (requestheader's `--role=`), when it does not print the user

    @property
    def full_resource(self) -> str:
        return self.resource + ("/" + self.subresource if self.subresource else "")

    def key(self) -> tuple:
        return (self.kind, self.user, self.verb, self.full_resource, self.group, self.namespace,
                self.path, self.level, self.webhook)

    def can_i(self) -> str:
        """The `kubectl auth can-i` that replays this request as its user."""
        if self.kind == "path":
            return f"kubectl auth can-i {self.verb} {self.path} --as={self.user}"
        target = self.full_resource + (f".{self.group}" if self.group else "")
        if self.subresource:
            target = self.resource + (f".{self.group}" if self.group else "") + \
                f" --subresource={self.subresource}"
        scope = f"-n {self.namespace}" if self.namespace else \
            "-n <namespace>" if self.scope_unknown else "-A"
        who = self.user or "<the client's user, e.g. system:serviceaccount:<ns>:<sa>>"
        return f"kubectl auth can-i {self.verb} {target} {scope} --as={who}".replace("  ", " ")


# a YAML single-quoted scalar doubles its quotes (`the pod''s security context`): kept as text
# when the YAML around it did not load (a pane's cut), the quote inside a word is one quote
_YAML_QUOTE = re.compile(r"(?<=\w)''(?=\w)")


def normalize(text: str) -> str:
    """One line per message: JSON/log/YAML escaping undone, wrapped lines joined."""
    text = text.replace(r'\\"', '"').replace(r'\"', '"').replace(r"\n", "\n")
    text = _YAML_QUOTE.sub("'", text)
    return " ".join(text.split())


def parse(text: str) -> list[Denial]:
    """Every denial in a text (a pasted error, log lines, an event message), in order.

    A terminal that hard-wraps at its width cuts words ("cannot li" / "st resource"): joined
    with a space the message no longer reads. So the text is also read with the lines of a
    terminal's width glued to the next without a space (a width: the length, 60+ columns, of
    a line that another follows); such a reading wins when it finds more
    denials, or as many without a space inside a name (a user, resource, namespace or verb
    never holds one)."""
    best = _parse_flat(normalize(text))
    for width in _widths(text):
        # a copy that pads every line with trailing spaces pads the cut line too: glue it
        # without them as well (a cut right after a real space then loses that space)
        for strip in (False, True):
            glued = _parse_flat(normalize(_unwrap_width(text, width, strip)))
            if len(glued) > len(best) or (len(glued) == len(best) and glued != best
                                          and any(_torn(d) for d in best)
                                          and not any(_torn(d) for d in glued)):
                best = glued
    return best


_MIN_WIDTH = 60


def _widths(text: str) -> list[int]:
    """Line lengths that may be a terminal's width: those (60+ columns) of lines a non-blank
    line follows, the most shared first (at most 6 readings)."""
    lines = text.split("\n")
    lengths = [len(line) for line, nxt in zip(lines, lines[1:])
               if len(line) >= _MIN_WIDTH and nxt.strip()]
    return sorted(set(lengths), key=lambda n: (-lengths.count(n), -n))[:6]


def _unwrap_width(text: str, width: int, strip: bool = False) -> str:
    """Lines exactly `width` long joined to the next without a space (their trailing spaces
    dropped first when `strip`)."""
    out: list[str] = []
    glue = False
    for line in text.split("\n"):
        if glue and out:
            out[-1] = (out[-1].rstrip() if strip else out[-1]) + line
        else:
            out.append(line)
        glue = len(line) == width
    return "\n".join(out)


def _torn(denial: Denial) -> bool:
    """A name with a space, or a Pod Security check name no check has, or a namespace label's
    warning whose pod line did not read: a word the wrap cut."""
    return any(" " in part for part in (denial.user, denial.verb, denial.resource,
                                        denial.namespace, denial.group)) or any(
        psa_cause(reason) == "pod_security_violation" for reason, _ in denial.checks) or (
        denial.text.startswith("existing pods in namespace") and not denial.checks)


def _parse_flat(flat: str) -> list[Denial]:
    found: list[tuple[int, Denial]] = []
    for pattern, build in _BUILDERS:
        for match in pattern.finditer(flat):
            denial = build(match, flat)
            if denial is not None:
                found.append((match.start(), denial))
    found.sort(key=lambda pair: pair[0])
    seen, out = set(), []
    for _, denial in found:
        if denial.key() not in seen and not _printed_elsewhere(denial, found):
            seen.add(denial.key())
            out.append(denial)
    return out


def _printed_elsewhere(denial: Denial, found: list[tuple[int, Denial]]) -> bool:
    """A denial whose user is only a placeholder (requestheader's YOUR_NS:YOUR_SA) when the
    apiserver's own 403 for the same get is in the paste too, with the real user
    (kubernetes/kubernetes#68986 logs both): the printed one stands for the request."""
    return bool(denial.role) and any(
        not other.role and other.kind == "rbac" and other.user and other.verb == denial.verb
        and other.resource == denial.resource and other.namespace == denial.namespace
        for _, other in found)


def _object_name(flat: str, at: int) -> str:
    """The name in `<resource> "<name>" is forbidden: ` right before the message; an earlier
    message's object (several errors in one paste) is not this one's."""
    before = flat[max(0, at - 300):at]
    match = _OBJECT_BEFORE.search(before)
    return match.group(1) or "" if match else ""


def _modern(m, flat) -> Denial:
    user, verb, res, group, ns, cluster, reason = m.groups()
    resource, _, sub = res.partition("/")
    return Denial("rbac", _message(m, reason), user or "", verb, resource, sub, group, ns or "",
                  bool(cluster), _object_name(flat, m.start()), reason=_clip(reason))


def _old(m, flat) -> Denial:
    user, verb, res, ns, cluster, reason, legacy = m.groups()
    base, _, sub = res.partition("/")
    resource, _, group = base.partition(".")
    return Denial("rbac", _message(m, reason or legacy), user, verb, resource, sub, group,
                  ns or "", bool(cluster), _object_name(flat, m.start()),
                  reason=_clip(reason or legacy))


def _path(m, flat) -> Denial:
    user, verb, path, reason = m.groups()
    return Denial("path", _message(m, reason), user, verb, path=path, reason=_clip(reason))


def _message(m, reason: str | None) -> str:
    """The matched message with its reason clipped as _clip clips it (the flat paste runs on
    past the message: the report's next heading, the next log line)."""
    text = m.group(0)
    if reason and text.endswith(reason):
        kept = _clip(reason)
        cut = reason.find(kept) + len(kept) if kept and kept in reason else 0
        return text[:len(text) - len(reason)] + reason[:cut]
    return text


def _kubelet(m, flat) -> Denial:
    user, verb, resource, sub = (g.strip() if g else "" for g in m.groups())
    return Denial("kubelet", m.group(0), user, verb, resource, sub, cluster_scope=True)


def _escalation(m, flat) -> Denial:
    user, groups = m.group(1) or "", m.group(2) or ""
    listed = _resolution_of(flat, m.start())
    if not user:  # 1.6-1.8 print the requester as a Go struct: `user=&{NAME UID [GROUPS] map[]}`
        old = _OLD_REQUESTER.search(flat, m.end(), listed.start() if listed else
                                    m.end() + 4000)
        user, groups = (old.group(1), old.group(2)) if old else ("", "")
    return Denial("escalation", flat[m.start():m.start() + 400], user,
                  groups=re.findall(r'"([^"]+)"', groups) or groups.split(),
                  reason=_bracketed(flat, listed.end() - 1)[:400] if listed else "")


# The escalation check appends the requester's own roles it could not read: 1.6-1.8 `...
# ownerrules=[...] ruleResolutionErrors=[ERR ...]` (the 1.6-1.8 ConfirmNoEscalation's
# "attempt to grant extra privileges: %v user=%v ownerrules=%v ruleResolutionErrors=%v"),
# 1.9+ `...not currently held:\n...; resolution errors: [ERR]` (kubernetes v1.37.2
# pkg/registry/rbac/validation/rule.go:82-83). A binding of the requester whose roleRef names
# no role is listed as the registry's NotFound, `clusterroles.rbac.authorization.k8s.io "x"
# not found` (rule.go:243,250 GetRoleReferenceRules; Azure/AKS#426: cluster-admin missing on
# a cluster created without RBAC, so Tiller's binding to it gave nothing).
_RESOLUTION = re.compile(r'(?:\bruleResolutionErrors=|;\s*resolution errors:\s*)\[')
_RESOLVED_MISSING = re.compile(r'\b(clusterroles?|roles?)\.rbac\.authorization\.k8s\.io '
                               r'\\?"([^"\\]+)\\?" not found')
_OLD_REQUESTER = re.compile(r'\buser=&\{(\S+) \S* ?\[([^\]]*)\]')
# where the next refusal of a joined paste starts (kubectl's, cobra's, klog's)
_NEXT_REFUSAL = re.compile(r' Error from server| Error: | error: ')


def _bracketed(flat: str, at: int) -> str:
    """The text inside the bracket that opens at `at` (nested brackets kept)."""
    depth = 0
    for i in range(at, min(len(flat), at + 4000)):
        depth += {"[": 1, "]": -1}.get(flat[i], 0)
        if depth == 0:
            return flat[at + 1:i]
    return flat[at + 1:at + 4000]


def _resolution_of(flat: str, start: int) -> re.Match[str] | None:
    """The resolution-errors list of the escalation refusal at `start`, or None (it has none
    before the next refusal)."""
    listed = _RESOLUTION.search(flat, start)
    if not listed:
        return None
    ends = [m.start() for m in (_ESCALATION.search(flat, start + 1),
                                _NEXT_REFUSAL.search(flat, start)) if m]
    return listed if not ends or listed.start() < min(ends) else None


def _resolution_errors(m: re.Match[str], flat: str) -> Denial | None:
    """The resolution-errors list quoted without its refusal (an escalation refusal's tail):
    read when it names a missing role; inside a whole refusal _escalation reads it."""
    claims = list(_ESCALATION.finditer(flat, 0, m.start()))
    own = _resolution_of(flat, claims[-1].start()) if claims else None
    if own is not None and own.start() == m.start():
        return None
    listed = _bracketed(flat, m.end() - 1)
    if not _RESOLVED_MISSING.search(listed):
        return None
    return Denial("resolution-errors", flat[m.start():m.end() + len(listed) + 1][:400],
                  reason=listed[:400])


def unresolved_roles(denial: Denial) -> list[tuple[str, str]]:
    """[(Role|ClusterRole, name)] an escalation refusal listed as its requester's missing
    roles."""
    return [("ClusterRole" if kind.startswith("cluster") else "Role", name)
            for kind, name in _RESOLVED_MISSING.findall(denial.reason)]


# Kyverno's podSecurity rule runs the same Pod Security checks and prints them its own way
# after `Validation rule '%s' failed. It violates PodSecurity "%s:%s": ` (kyverno v1.19.0
# pkg/engine/handlers/validation/validate_pss.go:143, v1.8.0 pkg/engine/validation.go:526),
# one `(...)` per failed check, no ", " between them: 1.8-1.11 `({Allowed:false
# ForbiddenReason:R ForbiddenDetail:D})` (`%+v` of the CheckResult, v1.11.0
# pkg/pss/evaluate.go:185 FormatChecksPrint), 1.12+ `(Forbidden reason: R, field error list: [E, ...])` (v1.19.0
# pkg/pss/evaluate.go:308; E is `PATH is forbidden, forbidden values found: V` or the field
# error's own text, kyverno/pod-security-admission 46f2077 policy/violations.go). R is the
# upstream check's ForbiddenReason.
_KYVERNO_CHECK = re.compile(r"\s*\(\{Allowed:false ForbiddenReason:(.+?) ForbiddenDetail:(.*?)\}\)"
                            r"|\s*\(Forbidden reason: ([^,()]+), field error list: \[(.*?)\]\)")
# a value the check forbids is the upstream detail's `must not set FIELD to V` (the seccomp
# check's cause turns on it: psa_cause)
_KYVERNO_FORBIDDEN = re.compile(r"(\S*?)\.?(securityContext\.[\w.]+) is forbidden, forbidden "
                                r"values found: ")


def _kyverno_checks(detail: str) -> list[tuple[str, str]]:
    checks, position = [], 0
    while (found := _KYVERNO_CHECK.match(detail, position)) is not None:
        reason, said = (found.group(1), found.group(2)) if found.group(1) else (
            found.group(3), _KYVERNO_FORBIDDEN.sub(r"\1: must not set \2 to ", found.group(4)))
        checks.append((reason.strip(), said.strip()))
        position = found.end()
    return checks


def _psa(m, flat) -> Denial:
    warning, level, detail = m.groups()
    checks = _kyverno_checks(detail) or psa_checks(detail)
    return Denial("pod-security", m.group(0)[:600], level=level, checks=checks,
                  reason="warning" if warning else "",
                  name=_object_name(flat, m.start()))


# Labeling a namespace with a stricter enforce level checks the pods already there and only
# warns: `existing pods in namespace %q violate the new PodSecurity enforce level %q`, then one
# warning per set of failed checks, reasons only, `POD[ (and N other pod[s])]: R1, R2`
# (k8s.io/pod-security-admission v0.37.2 admission/admission.go:597,616-620). The pods keep
# running; the namespace refuses them once re-created. The reasons are read only as the check
# names they can be (PSA_CAUSES' keys, the AppArmor check's): the list has no end mark.
_PSA_REASONS = "|".join([re.escape(r) for r in sorted(PSA_CAUSES, key=len, reverse=True)]
                        + [r"forbidden AppArmor profiles?", r"unknown forbidden reason"])
_PSA_NAMESPACE = re.compile(
    r"existing pods in namespace " + _Q + r" violate the new PodSecurity enforce level " + _Q
    + r"(?:\s*(?:Warning:\s*)?([a-z0-9][a-z0-9.-]*)(?: \(and [^()]{1,30}\))?: "
    r"((?:" + _PSA_REASONS + r")(?:, (?:" + _PSA_REASONS + r"))*))?")


def _psa_namespace(m, flat) -> Denial:
    namespace, level, pod, reasons = m.groups()
    return Denial("pod-security", m.group(0)[:600], namespace=namespace, level=level,
                  checks=[(r, "") for r in (reasons or "").split(", ") if r],
                  reason="warning", name=pod or "")


# `oc exec`/`oc attach`/`oc rsh` re-runs SCC admission on the running pod as the caller (with
# the pod's ServiceAccount): `pods "p" is forbidden: exec operation is not allowed because the
# pod's security context exceeds your permissions: unable to validate against any security
# context constraint: [...]` (openshift/apiserver-library-go pkg/securitycontextconstraints/
# sccadmission/scc_exec.go:75@a8019f39)
_SCC_EXEC = re.compile(r"\b(exec|attach) operation is not allowed because the pod's security "
                       r"context exceeds your permissions:\s*$")


def _psp(m, flat) -> Denial:
    text, listed = psp_list(m)  # (no list: the paste stops after the colon)
    wrapper = _SCC_EXEC.search(flat[max(0, m.start() - 160):m.start()])
    return Denial("psp", text[:600], checks=[(c.strip(), "") for c in
                                            listed.split(", spec.") if c.strip()],
                  # (the operation in reason, which key() leaves out: the list items quoted
                  # alone elsewhere in the paste stay the same refusal)
                  reason=wrapper.group(1) if wrapper else "",
                  name=_object_name(flat, wrapper.start() + max(0, m.start() - 160))
                  if wrapper else "")


# A piece of OpenShift's SCC provider list quoted without its head (`unable to validate against
# any security context constraint: [`): `Forbidden: not usable by user or serviceaccount,
# provider restricted: .containers[0].seLinuxOptions.level: Invalid value: ""` (bitnami/
# charts#22511). The items are SCC admission's own: `provider %q: Forbidden: not usable by user
# or serviceaccount` for an SCC neither the requester nor the ServiceAccount may use, and the
# field errors of the SCCs tried under the path `provider <name>: ` (openshift/apiserver-library-go
# pkg/securitycontextconstraints/sccadmission/admission.go@0666a148 computeSecurityContext).
# Kubernetes' PodSecurityPolicy prefixed its items the same way (`provider %s: `, v1.24
# podsecuritypolicy/admission.go) but never printed "not usable by ...": those words mark an SCC.
SCC_NOT_USABLE = "not usable by user or serviceaccount"
_SCC_ITEMS = re.compile(r'(?:Forbidden: ' + SCC_NOT_USABLE + r',?\s*)?'
                        r'(provider "?[\w.-]+"?:\s+(?:\.|Forbidden: ' + SCC_NOT_USABLE + r').*)$')


def _scc_items(m: re.Match[str], flat: str) -> Denial | None:
    text, listed = psp_list(m)  # to the bracket that closes the list, or the paste's end
    if SCC_NOT_USABLE not in text:
        return None
    return Denial("psp", text[:600], checks=[(c.strip(), "") for c in listed.split(", spec.")
                                             if c.strip()], reason="scc")


def is_scc(denial: Denial) -> bool:
    """OpenShift's SecurityContextConstraints, not Kubernetes' PodSecurityPolicy: the list's
    head names SCCs, or (a piece of the list) its items do."""
    return "security context constraint" in denial.text or denial.reason == "scc"


def _psp_none(m, flat) -> Denial:
    return Denial("psp", m.group(0), checks=[(PSP_NONE_CHECK, "")],
                  name=_object_name(flat, m.start()))


def _psp_field(m, flat) -> Denial:
    return Denial("psp", m.group(0)[:600], checks=[(m.group(0), "")])


def _webhook(m, flat) -> Denial:
    return Denial("webhook", m.group(0)[:600], webhook=m.group(1), reason=_clip(m.group(2)))


# Gatekeeper's FailedAdmission event for each constraint that denied (--emit-admission-events):
# `Admission webhook "validation.gatekeeper.sh" denied request, [Resource Namespace: NS, ]
# Constraint: NAME, Message: MSG` (open-policy-agent/gatekeeper v3.23.0 pkg/webhook/policy.go:
# 328,335-337, the same since v3.4.0); its `Dryrun violation` and `raised a warning` events
# refused nothing
_GATEKEEPER_EVENT = re.compile(r"Admission webhook " + _Q + r" denied request, (?:Resource "
                               r"Namespace: [^,\s]*, )?Constraint: ([^,\s]+), Message: (.*)")


def _gatekeeper_event(m, flat) -> Denial:
    name, constraint, message = m.groups()
    return Denial("webhook", m.group(0)[:600], webhook=name,
                  reason=_clip(f"[{constraint}] {message}"))


def _policy(m, flat) -> Denial:
    return Denial("policy", m.group(0)[:600], webhook=policy_name(m), reason=_clip(m.group(4)))


def _admission_builders():
    def build(cause):
        def make(m, flat):
            return Denial("admission", flat[max(0, m.start() - 80):m.end() + 160],
                          reason=cause, name=_object_name(flat, m.start()),
                          checks=[(g, "") for g in m.groups() if g])
        return make
    return [(pattern, build(cause)) for pattern, cause in ADMISSION]


def _invalid_binding(m, flat) -> Denial:
    kind, name, detail = m.groups()
    # the report's markdown after it is not its reason; the rest is (roleRef messages hold
    # quotes and braces the full _clip would cut at)
    reason = _cut_at(detail, _MARKDOWN_STOPS).strip()
    quoted = m.group(0)[:m.start(3) - m.start(0) + len(reason)]
    return Denial("invalid-binding", quoted[:400], name=name, reason=reason, resource=kind)


# the report's own markdown after a message (`**To Reproduce**`, `### Steps`, a fence)
_MARKDOWN_STOPS = (" **", " ##", " ```")
# the next message of a joined paste (an error, a klog line, the next JSON field)
_MESSAGE_STOPS = (" Error from server", " error: ", " E0", " W0", " I0", '", "', '"}')


def _cut_at(text: str, stops: tuple[str, ...]) -> str:
    for stop in stops:
        text = text.split(stop)[0]
    return text


def _clip(text: str | None) -> str:
    """The authorizer's reason, up to where the next message in a joined paste starts or the
    report's markdown does."""
    if not text:
        return ""
    return _cut_at(text, _MESSAGE_STOPS + _MARKDOWN_STOPS).strip().rstrip('",}')[:400]


# The OwnerReferencesPermissionEnforcement admission plugin (on in OpenShift, opt-in in
# kube-apiserver): an ownerReference with blockOwnerDeletion=true needs `update` on the
# owner's finalizers subresource (kubernetes v1.37.2 plugin/pkg/admission/gc/gc_admission.go:
# "cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set
# finalizers on: %v, %v"; apache/superset-kubernetes-operator#357). On an update that changes
# an object's ownerReferences it also needs `delete` on that object itself (gc_admission.go:118
# "cannot set an ownerRef on a resource you can't delete: %v, %v").
_OWNER_FINALIZERS = re.compile(r'(?:(\w[\w.]*) \\?"([^"\\]+)\\?" is forbidden: )?cannot set '
                               r"(?:blockOwnerDeletion if an ownerReference refers to a resource "
                               r"you can't set finalizers on|an ownerRef on a resource you can't "
                               r"(delete))")


def _owner_finalizers(m, flat) -> Denial:
    return Denial("owner-finalizers", flat[m.start():m.end() + 120], resource=m.group(1) or "",
                  name=m.group(2) or "", verb=m.group(3) or "")


# An aggregated API server's (metrics-server, a cloud controller manager, any
# k8s.io/apiserver-based component) warning when it may not read the client-CA ConfigMap; it
# prints the get it was refused, not its own identity (k8s.io/apiserver v0.37.2
# pkg/authentication/request/headerrequest/requestheader_controller.go:204; the same text in
# older releases' pkg/server/options/authentication.go, where 1.9-1.13 printed `ROLE_NAME` for
# the binding's name: k8s.io/apiserver kubernetes-1.12.0 pkg/server/options/authentication.go:247,
# `ROLEBINDING_NAME` from kubernetes-1.14.0 authentication.go:263). `--role=` names the Role
# (in the configmap's namespace) whose binding there would allow the get.
_REQUESTHEADER = re.compile(r"Unable to get configmap/([a-z0-9.-]+) in ([a-z0-9-]+)\.\s+"
                            r"Usually fixed by 'kubectl create rolebinding -n [a-z0-9-]+ "
                            r"(?:ROLEBINDING_NAME|ROLE_NAME) --role=([a-z0-9.:-]+) "
                            r"--serviceaccount=YOUR_NS:YOUR_SA'")


def _requestheader(m, flat) -> Denial:
    name, namespace, role = m.groups()
    # the identity is not printed: the message's own placeholder stands for it
    return Denial("rbac", m.group(0), "system:serviceaccount:YOUR_NS:YOUR_SA", "get",
                  "configmaps", "", "", namespace, False, name, role=role)


# A 401: the API server did not authenticate the credentials at all (no authorizer ran, so no
# RBAC object can help): kubectl's `error: You must be logged in to the server (MSG)`
# (k8s.io/kubectl v0.37.2 pkg/cmd/util/helpers.go), the Status default `the server has asked
# for the client to provide credentials` (apimachinery v0.37.2 pkg/api/errors/errors.go
# NewUnauthorized), and the API server's own log `Unable to authenticate the request`
# (apiserver v0.37.2 pkg/endpoints/filters/authentication.go) with the authenticator's reason
_UNAUTHENTICATED = re.compile(r"You must be logged in to the server(?: \(([^)]*)\))?"
                              r"|the server has asked for the client to provide credentials"
                              r"|Unable to authenticate the request\W*(?:err=)?\W*([^\n]{0,200})")


def _unauthenticated(m, flat) -> Denial:
    return Denial("unauthenticated", m.group(0)[:400], reason=_clip(m.group(1) or m.group(2)))


# A 403 whose body the client could not read as a Status, and every 403 before 1.6 (the
# RBAC authorizer's own wording came with 1.6): client-go's generic text, then "(verb
# resource[.group] [name])" (apimachinery pkg/api/errors NewGenericServerResponse; v1.5.0
# StatusForbidden "the server does not allow access to the requested resource"; the suffix
# format is unchanged in v0.37.2 errors.go). No identity: the client's own.
# coreos/etcd-operator#619: `... (get endpoints etcd-operator)` from leader election.
_GENERIC_403 = re.compile(r"the server does not allow access to the requested resource "
                          r"\((\w+) ([a-z0-9][a-z0-9.\-]*(?:/[a-z0-9]+)?)(?: ([^\s)]+))?\)")
# The same 403 from 1.6 on: NewGenericServerResponse keeps the server's message for a 403
# (apimachinery v0.37.2 pkg/api/errors/errors.go:457-460, v1.9.0 the same), and client-go
# passes "unknown" when the body is not text (client-go v0.37.2 rest/request.go:1345-1348,
# v1.9.0 :916), e.g. a watch refused: `unknown (get pods)` (argoproj/argo-workflows#1683,
# the executor's pod watch). The method is the HTTP one, lower-cased; only a 403 (or a 415,
# which a get/list/watch never meets) prints the bare "unknown".
_UNKNOWN_403 = re.compile(r"(?<![\w-])unknown \((get|post|put|patch|delete) "
                          r"([a-z0-9][a-z0-9.\-]*(?:/[a-z0-9]+)?)(?: ([^\s)]+))?\)")


def _generic_403(m, flat) -> Denial:
    verb, res, name = m.groups()
    base, _, sub = res.partition("/")
    resource, _, group = base.partition(".")
    return Denial("rbac", m.group(0), "", verb, resource, sub, group, name=name or "",
                  scope_unknown=True)


# The API server's validation when it runs without --allow-privileged (kubernetes v1.37.2
# pkg/apis/core/validation/validation.go: `privileged: Forbidden: disallowed by cluster policy`,
# `hostProcess containers are disallowed by cluster policy`; cmd/kube-apiserver --allow-privileged,
# default false, microk8s and some distributions ship it off): no admission plugin, no policy
# object; every privileged container is refused (bitnami/bitnami-docker-elasticsearch#94).
# Before 1.x wording settled, "disallowed by policy" (rancher/rancher#4416, 2016). The kubelet
# had the same switch up to 1.14 (--allow-privileged, pkg/kubelet/kubelet.go canRunPod: "pod
# with UID %q specified privileged container, but is disallowed"; the pod Blocked, reason
# Forbidden: rancher/rancher#12600). The 2015 (v0.x-1.0) field error printed the type lower
# case with the Go value quoted: `spec.containers[0].securityContext.privileged: forbidden
# '<*>(0xc20b3e0e0c)true'` (kubernetes/kubernetes#9634; fixed by documenting --allow_privileged,
# #9636).
_PRIVILEGED_OFF = re.compile(r"(?:(\S+securityContext\.privileged): (?:Forbidden: disallowed by "
                             r"(?:cluster )?policy|forbidden '[^'\n]*true')|hostProcess "
                             r"containers are disallowed by "
                             r"cluster policy|(?P<kubelet>specified privileged container, but "
                             r"is disallowed))")
# The kubelet refusing to start a container whose pod asks runAsNonRoot (kubernetes v1.37.2
# pkg/kubelet/kuberuntime/security_context_others.go verifyRunAsNonRoot, event Failed, waiting
# CreateContainerConfigError): the image runs as root (no USER, or USER 0), or names a user by
# name so the kubelet cannot tell (helm/chartmuseum#166: the image had no USER; fixed by #167)
_RUN_AS_NON_ROOT = re.compile(r"container has runAsNonRoot and image (?:(?P<root>will run as "
                              r"root)|has non-numeric user \(?(?P<user>[^)\s]*)\)?)")
_INVALID_OBJECT = re.compile(r'([A-Za-z]+(?:\.[a-z0-9.]+)?) "([^"]+)" is invalid:[^"]*$')


def _run_as_non_root(m, flat) -> Denial:
    return Denial("kubelet-nonroot", flat[max(0, m.start() - 80):m.end() + 80][:300],
                  resource="Pod", reason="root" if m.group("root") else "non-numeric",
                  name=m.group("user") or "")


def _privileged_off(m, flat) -> Denial:
    before = _INVALID_OBJECT.search(flat[max(0, m.start() - 300):m.start()])
    if m.group("kubelet"):
        return Denial("privileged-disallowed", flat[max(0, m.start() - 60):m.end()][-300:],
                      resource="Pod", reason="kubelet")
    return Denial("privileged-disallowed", m.group(0), resource=before.group(1) if before else "",
                  name=before.group(2) if before else "", reason=m.group(1) or "hostProcess")


# The NodeRestriction admission plugin refusing a kubelet's write to another node's objects
# (kubernetes v1.37.2 plugin/pkg/admission/noderestriction/admission.go: "node %q is not
# allowed to modify node %q", before that "node %q cannot modify node %q" (a 2018 kubelet log:
# slawekzachcial/kubernetes-the-hard-way-aws#4), "can only access node lease with the same name as the requesting
# node"; admission.NewForbidden prefixes `<resource> "<name>" is forbidden: `): the kubelet's
# credentials name another node than the one it registers as.
# (the lease wording also ends the Node authorizer's RBAC-style refusal, `... cannot get
# resource "leases" ...: can only access ...`: that one is the authorizer's reason, read by
# _MODERN, so here it needs the admission prefix or the user right before it)
_NODE_RESTRICTION = re.compile(
    r'(?:([a-z][\w.]*) \\?"([^"\\]+)\\?" is forbidden: )?'
    r'(?:node \\?"([^"\\]+)\\?" (?:is not allowed to|cannot) modify node \\?"([^"\\]+)\\?"'
    r'|(?<=is forbidden: )(?:User \\?"system:node:([^"\\]+)\\?" )?can only access node lease '
    r"with the same name as the requesting node"
    r'|User \\?"system:node:([^"\\]+)\\?" can only access node lease with the same name as the '
    r"requesting node"
    # a mirror pod, a pod's status, an eviction, a pod's token or the kubelet's own CSR named
    # for another node than the credentials' (admission.go:276,299,358,487,707,1133 at v1.37.2:
    # `node %q can only create pods with spec.nodeName set to itself`, `node %s can only evict
    # ...`, `node requested token bound to a pod scheduled on a different node`, `can only
    # create a node CSR with CN=system:node:%s`): the kubelet registers under a name (hostname,
    # --hostname-override) its certificate's CN does not carry
    r'|node \\?"?(?P<pod_node>[^"\\\s]+)\\?"? can only (?:create |delete |evict |update pod '
    r"status for )pods with spec\.nodeName set to itself"
    r"|node requested token bound to a pod scheduled on a different node"
    r'|can only create a node CSR with CN=system:node:(?P<csr_node>[^"\\\s,]+))')


def _node_restriction(m, flat) -> Denial:
    resource, name, node, other, lease_node, user_node = m.groups()[:6]
    requester = (node or lease_node or user_node or m.group("pod_node") or m.group("csr_node")
                 or "")
    return Denial("node-restriction", m.group(0)[:400],
                  user=f"system:node:{requester}" if requester else "system:node:<node>",
                  resource=(resource or "").partition(".")[0], name=other or name or "",
                  reason="not its own node")


# kube-apiserver's own log of an RBAC refusal at -v=5 (kubernetes v1.37.2 plugin/pkg/auth/
# authorizer/rbac/rbac.go:122: `RBAC: no rules authorize user %q with groups %q to %s %s`, the
# operation `"verb" resource "res[.group][/sub]"[ named "x"]` or `"verb" nonResourceURL "/p"`,
# the scope `in namespace "ns"` or `cluster-wide`): no bound rule allows the request
_RBAC_LOG = re.compile(
    r'RBAC: no rules authorize user ' + _Q + r' with groups \[([^\]]*)\] to "(\S+)" '
    r'(?:resource "([^"]+)"(?: named "([^"]*)")?|nonResourceURL "([^"]*)") '
    r'(?:in namespace ' + _Q + r'|(cluster-wide))')


def _rbac_log(m, flat) -> Denial:
    user, groups, verb, res, name, path, ns, cluster = m.groups()
    if path is not None:
        return Denial("path", m.group(0), user, verb, path=path)
    base, _, sub = res.partition("/")
    resource, _, group = base.partition(".")
    return Denial("rbac", m.group(0), user, verb, resource, sub, group, ns or "", bool(cluster),
                  name or "", groups=re.findall(r'"([^"]*)"', groups))


# A binding created by someone without `bind` on its role: the API server reads the role's
# rules for the escalation check and fails on the missing role itself, a NotFound (kubernetes
# v1.37.2 pkg/registry/rbac/rolebinding/policybased/storage.go:92 and clusterrolebinding's:
# GetRoleReferenceRules, pkg/registry/rbac/validation/rule.go:243,250), so kubectl prints
# `error when creating "rb.yaml": roles.rbac.authorization.k8s.io "x" not found`: the roleRef
# names no role (a ClusterRole referenced as kind Role, a typo, or the Role not created yet).
# The plural resource tells it from the RBAC authorizer's `RBAC: role.rbac... not found`.
# Helm creates a chart's objects the same way and prints the API server's error as it came
# (helm v3.22.0 pkg/kube/client.go:634 createResource returns it unwrapped; cobra v1.10.2
# command.go:1131 prints `Error: ERR`; helm wraps it `INSTALLATION FAILED: ` since 3.7,
# cmd/helm/install.go:158, `UPGRADE FAILED: ` in upgrade.go:244, `release NAME failed: ` in
# pkg/action/rollback.go:233 and Tiller's install (hashicorp/consul-helm#199), with `, and has
# been uninstalled due to atomic being set` under --atomic, install.go:519): `Error:
# clusterroles.rbac.authorization.k8s.io "x" not found` right after
# `helm install` is a ClusterRoleBinding whose roleRef names no ClusterRole
# (dora-metrics/pelorus#170, fixed by #171). Only these wrappers: `helm uninstall`'s
# `uninstallation completed with 1 error(s): ...` is a role already gone, not a roleRef.
_BINDING_ROLE_MISSING = re.compile(
    r'(?:(?:error when \w+ \\?"[^"\\]*\\?"|failed to create resource|\(NotFound\)):|'
    r'(?<![\w-])Error:(?: INSTALLATION FAILED:| UPGRADE FAILED:| release \S+ failed'
    r'(?:, and has been uninstalled due to atomic being set)?:)?)\s*'
    r'(clusterroles|roles)\.rbac\.authorization\.k8s\.io \\?"([^"\\]+)\\?" not found')


def _binding_role_missing(m, flat) -> Denial:
    kind = "clusterrole" if m.group(1) == "clusterroles" else "role"
    return Denial("binding-role-missing", m.group(0)[:300], name=m.group(2),
                  reason=f'{kind}.rbac.authorization.k8s.io "{m.group(2)}" not found')


_BUILDERS = [(_MODERN, _modern), (_OLD, _old), (_PATH, _path), (_KUBELET, _kubelet),
             (_ESCALATION, _escalation), (_PSA, _psa), (_PSA_NAMESPACE, _psa_namespace),
             (_PSP, _psp), (_PSP_NONE, _psp_none),
             (_PSP_FIELD, _psp_field), (_SCC_ITEMS, _scc_items), (_WEBHOOK, _webhook),
             (_GATEKEEPER_EVENT, _gatekeeper_event),
             (_POLICY, _policy),
             (_INVALID_BINDING, _invalid_binding),
             (_OWNER_FINALIZERS, _owner_finalizers),
             (_REQUESTHEADER, _requestheader), (_UNAUTHENTICATED, _unauthenticated), (_GENERIC_403, _generic_403),
             (_UNKNOWN_403, _generic_403),
             (_PRIVILEGED_OFF, _privileged_off), (_NODE_RESTRICTION, _node_restriction),
             (_BINDING_ROLE_MISSING, _binding_role_missing), (_RBAC_LOG, _rbac_log),
             (_RUN_AS_NON_ROOT, _run_as_non_root), (_RESOLUTION, _resolution_errors)] + \
    _admission_builders()


def missing_roles(denial: Denial) -> list[tuple[str, str]]:
    """[(Role|ClusterRole, name)] the RBAC authorizer said it could not find."""
    return [("ClusterRole" if kind == "clusterrole" else "Role", name)
            for kind, name in _ROLE_NOT_FOUND.findall(denial.reason)]


_CAN_I = re.compile(r"(?:kubectl|oc)\s+auth\s+can-i\s+(\S+)\s+(\S+)(.*)$")


def can_i_denials(dump) -> list[Denial]:
    """`kubectl auth can-i VERB RESOURCE [-n NS|-A] [--as U] [--subresource S]` answered
    `no` (kubectl v0.37.2 pkg/cmd/auth/cani.go prints "no" or "no - <reason>")."""
    out = []
    for line, answer in getattr(dump, "commands", []) or []:
        match = _CAN_I.search(line)
        if not match or not answer.lower().startswith("no"):
            continue
        verb, target, rest = match.groups()
        flags = dict(re.findall(r"(--as|--subresource|-n|--namespace)[= ](\S+)", rest))
        base, _, sub = target.partition("/")
        resource, _, group = base.partition(".")
        namespace = flags.get("-n") or flags.get("--namespace") or ""
        everywhere = "-A" in rest.split() or "--all-namespaces" in rest
        reason = answer.partition(" - ")[2]
        out.append(Denial("rbac", f"{line} -> {answer}", flags.get("--as", ""), verb, resource,
                          flags.get("--subresource", sub), group, "" if everywhere else
                          namespace, everywhere, reason=reason))
    return out


def texts_of(dump) -> list[str]:
    """Where a paste carries denial messages: free text, Event messages, Status objects,
    and condition messages (a ReplicaSet's ReplicaFailure, a Job's FailedCreate...)."""
    texts = list(getattr(dump, "texts", []) or [])
    # one block: messages wrap across lines (a terminal's cut joined back as it was)
    # (and an error broken by hand after its colons: kit join_error_chains)
    out = ["\n".join(join_error_chains(unwrap_free_text([str(t) for t in texts])))] \
        if texts else []
    for obj in dump:
        if obj.get("kind") == "Event":
            out.append(str(obj.get("message") or obj.get("note") or ""))
        elif obj.get("kind") == "Status":
            out.append(str(obj.get("message") or ""))
        status = obj.get("status") if isinstance(obj.get("status"), dict) else {}
        if status.get("message"):  # a pod the kubelet refused (reason Forbidden, phase Failed)
            out.append(str(status["message"]))
        for cond in (status.get("conditions") or []):
            if isinstance(cond, dict) and cond.get("message"):
                out.append(str(cond["message"]))
    return out


def collect(dump, extra_texts: list[str] | None = None) -> list[Denial]:
    """Every distinct denial in a paste (its texts, Events, Status bodies, conditions, and
    `auth can-i` answers) and in extra message texts, first seen first."""
    found = [d for text in texts_of(dump) + list(extra_texts or []) for d in parse(text)]
    seen, out = set(), []
    for denial in found + can_i_denials(dump):
        if denial.key() not in seen:
            seen.add(denial.key())
            out.append(denial)
    # a webhook that only relays Pod Security's checks (pod-security-webhook.kubernetes.io,
    # Kyverno's podSecurity rule) refused the pod for them: the checks come first
    return sorted(out, key=lambda d: d.kind == "webhook" and _relays_pod_security(d, out))


def _relays_pod_security(webhook: Denial, denials: list[Denial]) -> bool:
    return any(d.kind == "pod-security" and not d.reason and d.text[:60] in webhook.text
               for d in denials)
