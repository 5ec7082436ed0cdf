"""A webhook call the API server could not make because the server that answered on the
webhook's Service presented another Service's certificate: that Service routes to another
webhook server's pods, and the request is refused (failurePolicy Fail).

The API server's refusal is reported (k8s.io/apiserver v0.37.2 pkg/util/webhook/error.go
`failed calling webhook %q: %v`, wrapping `failed to call webhook: %w`); the host check is
Go's (crypto/x509/verify.go HostnameError: `x509: certificate is valid for %s, not %s`).
A certificate valid for `<other>.<ns>.svc` answering for `<service>.<ns>.svc` means the
endpoints of <service> include the other server's pods: most often two kubebuilder-scaffolded
operators in one namespace whose Services select the generic scaffold label
`control-plane: controller-manager`, which Kueue's manager pods carry too
(kueue config/default/kustomization.yaml@v0.11.4 labels, charts/kueue/templates/_helpers.tpl
selectorLabels; LeaderWorkerSet's chart selected only that label,
charts/lws/templates/webhook/service.yaml@v0.5.1, fixed by kubernetes-sigs/lws#536):
kubernetes-sigs/kueue#5192. That the selector is the reason is inferred; the Service's
endpoints confirm it."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

# Post "https://<service>.<namespace>.svc:443/...": ... x509: certificate is valid for A, B, not H
_CROSSED = re.compile(
    r"failed calling webhook \\?\"(?P<hook>[^\"\\]+)\\?\":[^\n]{0,80}?https://(?P<svc>[a-z0-9-]+)\."
    r"(?P<ns>[a-z0-9-]+)\.svc[^\s\"\\]*[^\n]{0,200}?x509: certificate is valid for "
    r"(?P<valid>[^\n]{1,300}?), not (?P<host>[a-z0-9.-]+)")
_SVC_HOST = re.compile(r"^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.[a-z0-9.-]+)?$")
# the label kubebuilder scaffolds on every manager Deployment and its Services' selectors
_SCAFFOLD = "control-plane=controller-manager"
_FIELD = re.compile(r"^(Name|Namespace|Selector):\s+(\S.*?)\s*$")


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """admission_webhook_denied (reported) for the refused call, then (inferred) the Service
    whose endpoints include another webhook server's pods, with its selector when pasted."""
    lines = [str(t) for t in texts or []]
    text = " ".join(" ".join(lines).split())
    m = _CROSSED.search(text)
    if m is None:
        return []
    svc, ns = m.group("svc"), m.group("ns")
    others = [h for h in (v.strip() for v in m.group("valid").split(","))
              if _SVC_HOST.match(h) and _SVC_HOST.match(h).group(1) != svc]
    if not others:
        return []  # a certificate for other names (an IP, a wrong SAN): not a crossed Service
    other = _SVC_HOST.match(others[0]).group(1)
    service = {"kind": "Service", "namespace": ns, "name": svc}
    refused = finding(
        "error", "admission_webhook_denied", service,
        f"the API server could not call webhook {m.group('hook')}: the server behind Service "
        f"{ns}/{svc} presented the certificate of {others[0]}, so the request is refused "
        "(failurePolicy Fail) and the object is not created or changed",
        [m.group(0)[:400]],
        f"make Service {ns}/{svc} select only its own webhook server's pods (a selector "
        f"label the {other} pods do not carry), or install the two operators in different "
        "namespaces; then retry the request", basis="reported",
        confirm=f"kubectl get endpoints {svc} -n {ns} -o wide")
    selector = _selector(lines, svc)
    collision = finding(
        "warning", "admission_webhook_denied", service,
        f"Service {ns}/{svc}'s endpoints include the pods that serve {other}"
        + (f": its selector {selector} matches them too" if selector
           else ": its selector matches them too")
        + (" (the generic kubebuilder label control-plane=controller-manager is on Kueue's "
           "manager pods as well)" if _SCAFFOLD in selector else ""),
        [f"Selector: {selector}"] if selector else [f"certificate valid for {others[0]}"],
        f"add a label only {svc}'s pods carry to its selector (upgrade the operator's chart if "
        "it ships the generic selector), or move one operator to its own namespace",
        basis="inferred",
        confirm=f"kubectl get endpoints {svc} -n {ns} -o wide")
    return [refused, collision]


def _selector(lines: list[str], service: str) -> str:
    """The `Selector:` of the `kubectl describe service` block of that name, when pasted."""
    inside = False
    for line in lines:
        m = _FIELD.match(line.strip())
        if m and m.group(1) == "Name":
            inside = m.group(2) == service
        elif m and inside and m.group(1) == "Selector":
            return m.group(2)
    return ""
