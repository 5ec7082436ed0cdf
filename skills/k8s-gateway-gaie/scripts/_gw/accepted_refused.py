"""A status that says Accepted/Programmed=True beside the data plane's refusal of the config.

Accepted=True is the controller's statement that it configures the object (gateway-api
apis/v1 shared_types.go RouteConditionAccepted; GEP-713 policy ancestors use the same type),
and Programmed=True that the data plane got it. An xDS NACK means Envoy refused the config the
controller generated and kept its old one, so the object does not take effect: the status is
the controller's defect, not a fault in the objects (envoyproxy/gateway#7400: a
ClientTrafficPolicy with an invalid cipher showed `Policy has been accepted.` while Envoy
refused the listener, fixed by PR #8040 refusing it in the status; #5729 the same for a
SecurityPolicy, PR #5955; kgateway-dev/kgateway#14453 a listener Programmed=True that Envoy
NACKed). The NACK is read from its log line (xds_config_rejected) or from the paste's words
("Envoy rejects the listener configuration").

>>> bool(_REFUSED_SAID.search("However, Envoy rejects the listener configuration with an error"))
True
>>> bool(_REFUSED_SAID.search("Envoy rejects the connection with a TLS alert"))
False
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

# the data plane said (in words) to refuse config: "Envoy rejects the listener configuration",
# "the proxy NACKs the update", "the listener config is rejected by Envoy"
_PROXY = r"(?:Envoy|the\s+(?:envoy\s+)?proxy|the\s+data\s*plane|the\s+gateway\s+proxy)"
_CONFIG = r"(?:config\w*|listeners?|clusters?|xDS|LDS|CDS|RDS|SDS|updates?|snapshot)"
_REFUSED_SAID = re.compile(
    r"\b" + _PROXY + r"\s+(?:(?!not\b|never\b|no\s+longer\b)\w+\s+)?(?:rejects?|rejected|"
    r"refuses?|refused|NACKs?|NACKed)\b[^.\n]{0,40}?\b" + _CONFIG + r"\b"
    r"|\b" + _CONFIG + r"\s+(?:is|was|are|were|gets?|got)\s+(?:\w+\s+)?(?:rejected|refused|"
    r"NACKed)\s+by\s+" + _PROXY + r"\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never|no\s+longer|n't)\b", re.IGNORECASE)

# a True Accepted/Programmed condition as the paste shows it: inline ("Accepted=True",
# "Programmed: True") or as a YAML/describe condition item (type and status lines)
_INLINE_TRUE = re.compile(r"\b(?P<type>Accepted|Programmed)\s*[=:]\s*[\"']?True\b")
_TYPE = re.compile(r"^\s*(?:-\s+)?type:\s*[\"']?(?P<type>Accepted|Programmed)[\"']?\s*$",
                   re.IGNORECASE)
_STATUS_TRUE = re.compile(r"^\s*(?:-\s+)?status:\s*[\"']?True[\"']?\s*$", re.IGNORECASE)
_ITEM_START = re.compile(r"^\s*(?:-\s|Last Transition Time:)")


def contradictions(lines: list[str], reported: list[dict]) -> list[dict]:
    """controller_contradicts_spec (warning, inferred) when the paste shows a True
    Accepted/Programmed condition and the data plane's refusal of config (a NACK log line the
    reported findings read, or a sentence that says so)."""
    said = _true_conditions([str(line) for line in lines])
    if not said:
        return []
    nack = [e for f in reported if f["cause"] == "xds_config_rejected"
            for e in f.get("evidence") or []]
    words = [_sentence(str(line), m) for line in lines
             for m in [_REFUSED_SAID.search(str(line))]
             if m and not _NEGATED.search(m.group(0))]
    refusal = nack[:1] or words[:1]
    if not refusal:
        return []
    return [finding(
        "warning", "controller_contradicts_spec", {"kind": "Text", "name": "paste"},
        f"the paste shows {said[0]} while the data plane refused the config generated for it "
        "(an xDS NACK): Envoy keeps its previous config, so the object does not take effect "
        "and the True condition is the controller's defect (it should refuse the setting in "
        "the status), not proof the object works",
        [said[0], refusal[0][:300]],
        "find the setting the NACK names (a cipher, a credential, a TLS option) in the policy "
        "or listener the status belongs to, fix or remove it, and upgrade the controller to a "
        "release that validates it (Envoy Gateway refuses such values in the policy status "
        "since PR #8040 / #5955); the control plane's view: egctl x status (Envoy Gateway), "
        "istioctl proxy-status (Istio)",
        basis="inferred",
        confirm="kubectl logs <envoy proxy pod> -n <its namespace> | grep 'rejected'")]


def _true_conditions(lines: list[str]) -> list[str]:
    out = []
    for i, line in enumerate(lines):
        hit = _INLINE_TRUE.search(line)
        if hit:
            out.append(f"{hit.group('type')}=True")
            continue
        hit = _TYPE.match(line)
        if hit and any(_STATUS_TRUE.match(other) for other in _item(lines, i)):
            out.append(f"{hit.group('type')}=True")
    return out


def _item(lines: list[str], i: int) -> list[str]:
    """The lines of the condition item that holds line i (up to the item's `- ` and the next)."""
    start = i
    while start > 0 and not _ITEM_START.match(lines[start]) and i - start < 8:
        start -= 1
    end = i + 1
    while end < len(lines) and not _ITEM_START.match(lines[end]) and end - i < 8:
        end += 1
    return lines[start:end]


def _sentence(text: str, hit: re.Match) -> str:
    head = text.rfind(". ", 0, hit.start())
    head = head + 2 if head >= 0 else 0
    tail = text.find(". ", hit.end())
    return text[head:tail + 1 if tail >= 0 else len(text)].strip()
