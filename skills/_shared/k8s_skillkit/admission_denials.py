"""Admission plugins' refusals, in every wording they have printed: one vocabulary for every
skill. k8s-rbac explains a denial a user pasted; k8s-troubleshooting reads the same words in a
controller's FailedCreate event ("Error creating: pods "web-7d9f-" is forbidden: ...") when a
ReplicaSet, StatefulSet, DaemonSet or Job cannot create its pods at all.

Sources (the wording, the releases that print it):
- ResourceQuota: `Limited to 512Mi memory, but pod has no specified memory limit` and
  `Limited to 2 CPU` / `Limited to 10 pods` (0.x-1.1, v1.0.0 plugin/pkg/admission/
  resourcequota/admission.go; openshift/origin#2821), then
  `exceeded quota: Q, requested: R, used: U, limited: L` (1.2+; `Exceeded quota` up to 1.4) and
  `failed quota: Q: must specify R` (`Failed quota` up to 1.3) - kubernetes v1.5.0
  plugin/pkg/admission/resourcequota/controller.go, v1.9.0..v1.37.2
  staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go.
- LimitRanger: `minimum|maximum R usage per Container|Pod|PersistentVolumeClaim is X, but
  request|limit is Y`, `... is X.  No request|limit is specified`, `R max limit to request
  ratio per T is X, but ...` (v1.5.0..v1.37.2 plugin/pkg/admission/limitranger/admission.go;
  the trailing "." was dropped in 1.19).
- ServiceAccount: `error looking up service account NS/NAME: ...`
  (plugin/pkg/admission/serviceaccount/admission.go, 1.5..1.37); older releases also
  `service account NS/NAME was not found, retry after the service account is created`.
- NamespaceLifecycle: `unable to create new content in namespace NS because it is being
  terminated` (k8s.io/apiserver pkg/admission/plugin/namespace/lifecycle/admission.go).
- SecurityContextDeny (<= 1.29): `[pod.Spec.]SecurityContext.FIELD is forbidden`
  (v1.29.0 plugin/pkg/admission/securitycontext/scdeny/admission.go).
- PodSecurityPolicy (<= 1.24): `unable to validate against any pod security policy: [...]`
  (1.5-1.18) and `PodSecurityPolicy: unable to admit pod: [...]` (1.19-1.24) - v1.9.0 and
  v1.19.0 plugin/pkg/admission/security/podsecuritypolicy/admission.go.
  `no providers available to validate pod request` when no policy is usable at all, and one
  provider field error quoted alone (`...allowPrivilegeEscalation: Invalid value: true:
  Allowing privilege escalation for containers is not allowed`, v1.24.0
  pkg/security/podsecuritypolicy/provider.go).
- Pod Security admission (1.22+): `violates PodSecurity "restricted:latest": allowPrivilege
  Escalation != false (...), ...` and the `would violate PodSecurity` warning -
  k8s.io/pod-security-admission v0.37.2 admission/admission.go, policy/check_*.go
  (ForbiddenReason of each check, the keys of PSA_CAUSES).
- Admission webhooks: `admission webhook "NAME" denied the request: MSG` (k8s.io/apiserver
  pkg/admission/plugin/webhook/errors/statuserror.go ToStatusErr).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_Q = r'"([^"]*)"'

# Admission plugins other than Pod Security: what they say, and the cause it names.
ADMISSION = [
    (re.compile(r"error looking up service account ([^/\s]+)/([^:\s]+)"), "service_account_not_found"),
    # the older releases' branch for a ServiceAccount the cache did not hold (OpenShift 3.4 /
    # Kubernetes 1.4 era; fabric8io/fabric8#6827), later folded into the line above
    (re.compile(r"service account ([^/\s]+)/(\S+) was not found, retry after the service "
                r"account is created"), "service_account_not_found"),
    # the same refusal cut before "error looking" (a grep or a wrapped line): its NotFound
    # tail still names it (kubeflow/spark-operator#454, under fabric8's "Forbidden!")
    (re.compile(r"(?<!looking up )\bservice account ([^/\s]+)/([^:\s]+): serviceaccounts? \\?\"[^\"\\]*\\?\" "
                r"not found"), "service_account_not_found"),
    # `Exceeded quota:` capitalised up to 1.4 (OpenShift 3.x-era pastes; openshift/origin
    # #10407), lower case since
    (re.compile(r"exceeded quota: ([^,]+), requested: ([^,]+(?:,[^,:]+=[^,]+)*), used", re.I),
     "quota_exceeded"),
    (re.compile(r"failed quota: ([^:]+): (must specify [\w.,/-]+)", re.I), "quota_requires_limits"),
    # the apiserver's AdmissionConfiguration (ResourceQuota limitedResources) lets a resource
    # or a scope be used only where a quota covers it: "insufficient quota to consume: R" and
    # "insufficient quota to match these scopes: [{PriorityClass In [...]}]" (v1.37.2
    # k8s.io/apiserver pkg/admission/plugin/resourcequota/controller.go:580, :591); GKE limits
    # the system-node-critical / system-cluster-critical PriorityClasses so to kube-system
    # (openebs-archive/cstor-operators#196)
    (re.compile(r"insufficient quota to (?:consume: (\S+)|match these scopes: (\[.*?\]\]?\}?\]))",
                re.I), "quota_exceeded"),
    # up to 1.1 (no quota name): "Limited to 512Mi memory, but pod has no specified memory
    # limit" / "Limited to 2 CPU" / "Limited to 10 pods"
    (re.compile(r"\bLimited to (\S+) (memory|CPU), but pod has no specified (?:memory|cpu) "
                r"limit"), "quota_requires_limits"),
    (re.compile(r"\bforbidden: Limited to (\S+) (memory|CPU|pods|services|secrets|"
                r"replicationcontrollers|resourcequotas|persistentvolumeclaims)\b"
                r"(?!, but pod has no specified)"), "quota_exceeded"),
    (re.compile(r"(?:maximum|minimum) \S+ usage per (?:Container|Pod|PersistentVolumeClaim) is "
                r"\S+?[,.](?=\s|$)|\S+ max limit to request ratio per (?:Container|Pod) is \S+, "
                r"but"), "limit_range_violation"),
    (re.compile(r"unable to create new content in namespace (\S+) because it is being "
                r"terminated"), "namespace_terminating"),
    # SecurityContextDeny (1.0-1.29; deprecated 1.27, removed 1.30): kubernetes v1.29.0
    # plugin/pkg/admission/securitycontext/scdeny/admission.go, `[pod.Spec.]SecurityContext.F
    # is forbidden` for SELinuxOptions, RunAsUser, RunAsGroup, FSGroup, SupplementalGroups
    # (kelseyhightower/consul-on-kubernetes#33)
    (re.compile(r"\b(?:pod\.Spec\.)?SecurityContext\.(SELinuxOptions|RunAsUser|RunAsGroup|"
                r"FSGroup|SupplementalGroups) is forbidden"), "security_context_denied"),
]
# the checks run to the end of the message: a joined paste goes on with the next message
# (a klog header, kubectl's "Warning:", another refusal) or the report's own text after the
# code fence that held it, which are not this one's
PSA = re.compile(r"(would )?violate[sd]? PodSecurity " + _Q + r": (.*?)(?=\s+(?:[IWEF]\d{4}\s+\d"
                 r"|Warning:|Error from server|(?:would )?violate[sd]? PodSecurity)|\s*```|$)")
# one failed check, `reason (detail)`; the checks are ", "-separated from the message's start
PSA_REASON = re.compile(r'\s*([^,(]+?)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)')
# (OpenShift's SecurityContextConstraints admission says "security context constraint" where
# PSP says "pod security policy", with the same provider list: openshift/origin
# pkg/security/admission/sccadmission; uselagoon/lagoon#3227, NVIDIA/gpu-operator#48; a paste
# cut inside the list has no closing bracket)
# (a paste cut right after the colon keeps no list: CrowdStrike/falcon-operator#563); the list
# ends at the bracket that closes it (psp_list), not at the paste's last one: a list cut
# before its end still holds an item's own `[0]` (portworx/talisman#33). OpenShift 4 prints
# the SCC list through ToAggregate (openshift/apiserver-library-go a8019f39 pkg/
# securitycontextconstraints/sccadmission/admission.go:130), and an aggregate of one error has
# no brackets (k8s.io/apimachinery v0.37.2 pkg/util/errors/errors.go:75; admission_test.go:1127
# `...constraint: provider matchingPriorityAndScoreSCCOne: .containers[0].runAsUser: ...`):
# a bare item (`provider X: `, or a field error) after the colon is the list as well
PSP = re.compile(r"(?:unable to validate against any (?:pod security policy|security context "
                 r"constraint)|PodSecurityPolicy: unable to admit pod):(?:(?: \[|\s+(?=provider"
                 r"\s|[\w.\[\]/-]+: (?:Invalid value|Forbidden|Required value|Unsupported "
                 r"value):))(.*)$|\s*$)")
# PSP with no usable policy at all (the pod's creator and ServiceAccount may `use` none):
# `no providers available to validate pod request` (v1.10.0..v1.24
# plugin/pkg/admission/security/podsecuritypolicy/admission.go computeSecurityContext;
# kubernetes/minikube#7314: the plugin on, no policy installed)
PSP_NONE = re.compile(r"no providers available to validate pod request")
# one PSP provider's field error quoted without the list around it (the provider's own
# ForbiddenReason texts, v1.24.0 pkg/security/podsecuritypolicy/provider.go; OpenShift's SCC
# provider prints the same; kubernetes/ingress-nginx#5244)
PSP_FIELD = re.compile(r"([\w.\[\]/-]*(?:securityContext\.\w+|hostNetwork|hostPID|hostIPC|hostPort|"
                       r"volumes\[\d+\]\S*)): Invalid value: [^:]{1,60}: (Allowing privilege "
                       r"escalation for containers is not allowed|Privileged containers are not "
                       r"allowed|Host (?:network|PID|IPC) is not allowed to be used|Host ports? "
                       r"(?:\d+ )?(?:is|are) not allowed to be used|capability may not be added|"
                       r"hostPath volumes are not allowed to be used|\w+ volumes are not allowed "
                       r"to be used|running with the root UID is forbidden)")
WEBHOOK = re.compile(r"admission webhook " + _Q + r" denied the request:?\s*(.*)")
# A ValidatingAdmissionPolicy (alpha 1.26, GA 1.30) whose binding's validationActions include
# Deny (k8s.io/apiserver v0.37.2 pkg/admission/plugin/policy/validating/dispatcher.go:
# `ValidatingAdmissionPolicy '%s' with binding '%s' denied request: %s`, without a binding
# `ValidatingAdmissionPolicy '%s' denied request: %s`; 1.26-1.27 printed `... '%s' '%s'
# denied request`), and the generic policy dispatcher's `policy '%s' with binding '%s' denied
# request: %s` (pkg/admission/plugin/policy/generic/policy_dispatcher.go, MutatingAdmission-
# Policy). Its status reason defaults to Invalid, so kubectl prints `The pods "x" is invalid:
# : ValidatingAdmissionPolicy ...`. The Warn action only prints `Validation failed for
# ValidatingAdmissionPolicy ...` as a warning: nothing is refused, not read here. A terminal
# that cut the message at its width beside a quote is joined back without the space
# (`with binding'b'`, `'b'denied request`: hcloud-k8s/terraform-hcloud-kubernetes#349).
POLICY = re.compile(r"(?:(?:Validating|Mutating)AdmissionPolicy|\bpolicy) '([^']+)'"
                    r"(?: with binding ?'([^']*)'| '([^']*)')? ?denied request:?\s*(.*)")
# The API server could not call the webhook and its failurePolicy is Fail: the request is
# refused all the same (k8s.io/apiserver v0.37.2 pkg/util/webhook/error.go: `failed calling
# webhook %q: %v`, `failed calling webhook %q; no further details available`), e.g. `no
# endpoints available for service` when the webhook's pods are down (gopaddle-io/
# configurator#74)
WEBHOOK_CALL = re.compile(r"failed calling webhook " + _Q + r"(?::\s*(.*)|; no further details "
                          r"available)")

PSA_CAUSES = {  # pod-security-admission policy/check_*.go ForbiddenReason -> cause id
    "host namespaces": "host_namespaces", "privileged": "privileged_container",
    "non-default capabilities": "capabilities_added", "hostPath volumes": "host_path_volume",
    "hostPort": "host_port", "procMount": "proc_mount_unmasked",
    "forbidden sysctls": "unsafe_sysctls", "restricted volume types": "restricted_volume_type",
    "allowPrivilegeEscalation != false": "privilege_escalation_allowed",
    "runAsNonRoot != true": "run_as_root", "runAsUser=0": "run_as_root",
    "seccompProfile": "seccomp_missing", "unrestricted capabilities":
    "capabilities_not_dropped", "seLinuxOptions": "selinux_options",
    "hostProcess": "host_process", "probe or lifecycle host": "probe_host",
}
PSP_CAUSE = "pod_security_policy_denied"
PSP_NONE_CHECK = "no PodSecurityPolicy usable by the pod's creator or ServiceAccount"
WEBHOOK_CAUSE = "admission_webhook_denied"


@dataclass
class Refusal:
    """One admission refusal: the cause it names and the words that name it."""
    cause: str
    text: str                                   # the message, from its first words
    checks: list[tuple[str, str] | str] = field(default_factory=list)  # Pod Security:
    #                                       [(reason, detail)]; others: the message's groups
    level: str = ""                             # Pod Security: "restricted:latest"
    webhook: str = ""
    call_error: str = ""                        # the webhook could not be called: why
    policy: str = ""                            # an admission policy's name (and binding)


def psa_checks(detail: str) -> list[tuple[str, str]]:
    """[(reason, detail)] of a Pod Security message's list of failed checks."""
    checks: list[tuple[str, str]] = []
    position = 0
    # from the start, one check after another: what follows the last one (a report's own
    # words after the pasted warning, jordigilh/kubernaut#449) is not a check
    while (found := PSA_REASON.match(detail, position)) is not None:
        checks.append((found.group(1).strip(), found.group(2).strip()))
        position = found.end()
        separator = re.match(r"\s*,", detail[position:])
        if separator is None:
            break
        position += separator.end()
    if not checks and detail:
        checks = [(detail.split(" (")[0].strip(), "")]
    return checks


# One ForbiddenReason, "seccompProfile", for two faults (k8s.io/pod-security-admission v0.37.2
# policy/check_seccompProfile_baseline.go:108,161 and check_seccompProfile_restricted.go:121:
# `... must not set securityContext.seccompProfile.type to "Unconfined"`, `forbidden annotation
# seccomp.security.alpha.kubernetes.io/pod="unconfined"`; check_seccompProfile_restricted.go:
# 134: `pod or container "x" must set securityContext.seccompProfile.type to "RuntimeDefault"
# or "Localhost"`): the detail tells a profile set to Unconfined from one not set. Read with
# its spaces dropped: a terminal's wrap may cut a word of it.
_SECCOMP_SET_BAD = re.compile(r"mustnotsetsecurityContext\.seccompProfile\.type|"
                              r"^forbiddenannotations?seccomp\.security")


def psa_cause(reason: str, detail: str = "") -> str:
    """The cause id of one failed Pod Security check ("allowPrivilegeEscalation != false"),
    its detail read where the reason alone names two faults."""
    cause = PSA_CAUSES.get(reason.strip(), "pod_security_violation")
    if cause == "seccomp_missing" and _SECCOMP_SET_BAD.search("".join(detail.split())):
        return "seccomp_unconfined"
    return cause


def policy_name(m: re.Match[str]) -> str:
    """`NAME` or `NAME (binding BINDING)` of a POLICY match."""
    binding = m.group(2) or m.group(3)
    return m.group(1) + (f" (binding {binding})" if binding else "")


def psp_list(m: re.Match[str]) -> tuple[str, str]:
    """(the refusal's text, its provider list) for a PSP match: the list runs to the bracket
    that closes it, or to the end of the paste when the paste was cut inside it."""
    rest = m.group(1) or ""
    depth = 1
    for i, char in enumerate(rest):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            return m.group(0)[:m.start(1) - m.start() + i + 1], rest[:i]
    return m.group(0), rest


def refusals(text: str) -> list[Refusal]:
    """Every admission refusal in a message (an event, a condition, a pasted error), in order
    of appearance; a Pod Security refusal yields one Refusal per failed check, in the
    check order the message prints."""
    flat = " ".join(str(text or "").split())
    found: list[tuple[int, int, Refusal]] = []
    for m in PSA.finditer(flat):
        if m.group(1):
            continue  # `would violate`: a warning, nothing was refused
        for n, (reason, detail) in enumerate(psa_checks(m.group(3))):
            found.append((m.start(), n, Refusal(psa_cause(reason, detail), m.group(0)[:600],
                                                [(reason, detail)], level=m.group(2))))
    for m in PSP.finditer(flat):
        text, listed = psp_list(m)
        found.append((m.start(), 0, Refusal(PSP_CAUSE, text[:600],
                                            [(c.strip(), "") for c in listed.split(" spec.")
                                             if c.strip()])))
    for m in PSP_NONE.finditer(flat):
        found.append((m.start(), 0, Refusal(PSP_CAUSE, m.group(0), [(PSP_NONE_CHECK, "")])))
    if not any(r.cause == PSP_CAUSE for _, _, r in found):  # a field error outside a list
        for m in PSP_FIELD.finditer(flat):
            found.append((m.start(), 0, Refusal(PSP_CAUSE, m.group(0)[:600],
                                                [(m.group(0), "")])))
    for m in WEBHOOK.finditer(flat):
        found.append((m.start(), 0, Refusal(WEBHOOK_CAUSE, m.group(0)[:600],
                                            webhook=m.group(1))))
    for m in POLICY.finditer(flat):
        found.append((m.start(), 0, Refusal(WEBHOOK_CAUSE, m.group(0)[:600],
                                            [m.group(4)[:300]], policy=policy_name(m))))
    for m in WEBHOOK_CALL.finditer(flat):
        found.append((m.start(), 0, Refusal(WEBHOOK_CAUSE, m.group(0)[:600], webhook=m.group(1),
                                            call_error=(m.group(2) or "no further details "
                                                        "available")[:300])))
    for rx, cause in ADMISSION:
        for m in rx.finditer(flat):
            found.append((m.start(), 0, Refusal(cause, flat[m.start():m.end() + 160],
                                                [g for g in m.groups() if g])))
    found.sort(key=lambda t: (t[0], t[1]))
    return [r for _, _, r in found]
