"""A Pod Security refusal told in words: no pod spec and no admission message in the paste.

"The namespace enforces the restricted Pod Security Standard, so the node-exporter pods are
rejected because they use hostNetwork and hostPath volumes." The sentence is the user's; each
control it names is read as the check Pod Security admission would have failed (the control
names of the Pod Security Standards, kubernetes v1.37.2 staging/src/k8s.io/pod-security-admission
policy/check_*.go: host namespaces, hostPath volumes, privileged, capabilities, host ports,
allowPrivilegeEscalation, runAsNonRoot, seccompProfile, volume types), as a warning with basis
inferred, the sentence as evidence and the command that shows the real refusal.
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding
from k8s_skillkit.prose import report_lines

# the sentence is about Pod Security (the admission, a level, the namespace label, OpenShift's
# SCCs, the old PodSecurityPolicy)
_ABOUT = re.compile(r"\bPod ?Security\b|\bPSA\b|\bPSS\b|pod-security\.kubernetes\.io|"
                    r"\b(?:restricted|baseline)\b[^.\n]{0,40}\b(?:level|profile|policy|standard|"
                    r"namespace)s?\b|\bsecurity context constraints?\b|\bSCCs?\b|"
                    r"\bPodSecurityPolic(?:y|ies)\b", re.IGNORECASE)
_REFUSED = re.compile(r"\b(?:reject\w*|refus\w*|den(?:y|ies|ied)|forbid\w*|block\w*|fail\w*|"
                      r"violat\w*|not allowed|disallow\w*|prevent\w*|won't (?:start|run|be "
                      r"created)|can(?:not|'t) (?:start|run|be created))\b", re.IGNORECASE)
# control words, in the order checks are listed by the standard (baseline, then restricted)
_CONTROLS = (
    ("host_namespaces", r"\bhost ?(?:Network|PID|IPC)\b|\bhost (?:network|namespaces?)\b"),
    ("privileged_container", r"\bprivileged\b(?! ?(?:level|profile|namespace|policy))"),
    ("capabilities_added", r"\b(?:add(?:s|ed|ing)?|extra)\b[^.\n]{0,30}\bcapabilit(?:y|ies)\b|"
                           r"\b(?:NET_ADMIN|SYS_ADMIN|NET_RAW|SYS_PTRACE|SYS_RESOURCE)\b"),
    ("host_path_volume", r"\bhost ?Path\b"),
    ("host_port", r"\bhost ?Ports?\b"),
    ("privilege_escalation_allowed", r"\ballowPrivilegeEscalation\b|\bprivilege escalation\b"),
    ("run_as_root", r"\brunAsNonRoot\b|\b(?:runs?|running)\s+as\s+root\b|\bruns?AsUser:?\s*0\b"),
    ("seccomp_missing", r"\bseccomp\w*\b"),
    ("capabilities_not_dropped", r"\bdrop\w*\b[^.\n]{0,20}\bALL\b|\bcapabilities\.drop\b"),
    ("restricted_volume_type", r"\bvolume types?\b[^.\n]{0,40}\b(?:not allowed|restricted|"
                               r"disallowed)\b"),
)
_CONFIRM = ("kubectl get events -n NAMESPACE --field-selector reason=FailedCreate (the "
            "'violates PodSecurity' message names every failed check); kubectl get namespace "
            "NAMESPACE --show-labels (pod-security.kubernetes.io/enforce)")
_FIX = ("either the workload needs it (a node agent: give its namespace the level it needs, "
        "pod-security.kubernetes.io/enforce=privileged, and keep that namespace for it alone), "
        "or set the securityContext the level asks for (check_pod_security.py on the manifest "
        "names each field)")


def findings(lines: list[str]) -> list[dict]:
    """Inferred warnings for each control a Pod Security refusal told in words names."""
    out: list[dict] = []
    for line in report_lines(lines):
        if not (_ABOUT.search(line) and _REFUSED.search(line)):
            continue
        named = sorted(((m.start(), cause) for cause, rx in _CONTROLS
                        for m in [re.search(rx, line, re.IGNORECASE)] if m))
        for _, cause in named:
            if cause in {f["cause"] for f in out}:
                continue
            out.append(finding(
                "warning", cause, {"kind": "Pod", "name": ""},
                f"the report says Pod Security refuses the pods for "
                f"{cause.replace('_', ' ')}: the namespace's enforced level does not allow it",
                [f"in the text: {line[:200]}"], _FIX, basis="inferred", confirm=_CONFIRM))
    return out
