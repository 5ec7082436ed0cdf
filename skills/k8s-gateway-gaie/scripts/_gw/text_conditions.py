"""A status condition pasted as text (its indentation broken, so no YAML parser reads it):
its key lines read back as one condition.

A controller's condition is one record (gateway-api apis/v1 and metav1.Condition: type,
status, reason, message, lastTransitionTime, observedGeneration); read line by line, its
message could say one thing and its reason another. Where the reason alone decides
(`messages.reason_decides`), the record is classified whole, as it would be from a parsed
status, so the message line does not give a cause of its own (cilium/cilium#37778: a
listener's `message: CertificateRef is not permitted` beside `reason: RefNotPermitted`).

>>> lines = ['- lastTransitionTime: "2025-02-20T16:30:09Z"',
...          '      message: CertificateRef is not permitted', '      reason: RefNotPermitted',
...          '      status: "False"', '      type: ResolvedRefs']
>>> [(sorted(idx), cond["reason"]) for idx, cond in condition_blocks(lines)]
[([0, 1, 2, 3, 4], 'RefNotPermitted')]
"""
from __future__ import annotations

import re

# metav1.Condition's fields, as YAML keys or as kubectl describe labels ("Last Transition Time")
_KEY = re.compile(r"^\s*(?P<item>-\s+)?(?P<key>last\s*transition\s*time|message|observed\s*"
                  r"generation|reason|status|type)\s*:\s*(?P<value>.*?)\s*$", re.IGNORECASE)
_NAMES = {"lasttransitiontime": "lastTransitionTime", "message": "message",
          "observedgeneration": "observedGeneration", "reason": "reason", "status": "status",
          "type": "type"}
# a condition's reason written as a key (`reason: RefNotPermitted`, `Reason:  X`), anywhere
# in a line (a paragraph that joined the condition's lines)
_REASON_KEY = re.compile(r"\b(?i:reason)\s*:\s*[\"']?(?P<reason>[A-Z][A-Za-z]+)\b")


def condition_blocks(lines) -> list[tuple[set[int], dict]]:
    """(line indices, condition) for each run of condition-key lines that names a reason; a
    `- ` item or a key seen twice starts the next condition."""
    blocks: list[tuple[set[int], dict]] = []
    indices: set[int] = set()
    cond: dict = {}
    last = ("", -1)  # the key read last and its indentation
    for i, line in enumerate(lines or []):
        if last[0] and _continues(str(line), last[1]):
            # a YAML scalar folded onto the next, deeper line (kubectl -o yaml wraps a long
            # message near 80 columns): the same value goes on
            indices.add(i)
            cond[last[0]] = f"{cond[last[0]]} {_unquoted(str(line))}".strip()
            continue
        hit = _KEY.match(str(line))
        if hit is not None and not hit.group("value"):
            # a section header, not a field: describe's `Status:` above `Ancestors:` or
            # `Conditions:` (kubectl describe prints a condition's fields in alphabetical
            # order, so the header would otherwise take the place of its `Status: False`)
            hit = None
        key = _NAMES[re.sub(r"\s", "", hit.group("key")).lower()] if hit else ""
        if hit is None or hit.group("item") or key in cond:
            blocks.append((indices, cond))
            indices, cond = set(), {}
        if hit is not None:
            indices.add(i)
            cond[key] = _unquoted(hit.group("value"))
        last = (key, _indent(str(line))) if hit is not None else ("", -1)
    blocks.append((indices, cond))
    return [(idx, c) for idx, c in blocks if c.get("reason")]


def _indent(line: str) -> int:
    """The column a key starts at (a `- ` item's key after its dash)."""
    return len(line) - len(line.lstrip(" -"))


def _continues(line: str, key_indent: int) -> bool:
    """A line more indented than the key above it, that is no key itself: the rest of that
    key's value (YAML 1.2 section 7.3/7.3.3, a flow scalar's continuation lines; kubectl's
    yaml printer folds a long `message:` so)."""
    return bool(line.strip()) and _indent(line) > key_indent and _KEY.match(line) is None \
        and not line.lstrip().startswith(("- ", "#"))


def _unquoted(value: str) -> str:
    return value.strip().strip("\"'")


# a condition copied as `Reason: message` (`RefNotPermitted: Spec.VirtualHost...`): a
# CamelCase reason of two words or more opening the line
_REASON_LEAD = re.compile(r"^\W*(?P<reason>[A-Z][a-z]+(?:[A-Z][a-z]*)+)\s*:\s+\S")


def reasons_named(text: str) -> list[str]:
    """The reasons a line names as a condition key (`reason: X`) or opens with (`X: ...`)."""
    lead = _REASON_LEAD.match(text or "")
    return ([lead.group("reason")] if lead else []) + \
        [hit.group("reason") for hit in _REASON_KEY.finditer(text or "")]


# the command or header above a pasted condition that says whose it is: `kubectl describe
# envoyextensionpolicy NAME`, `kubectl get httproute X -o yaml`, describe's `Kind: Gateway`
_WHOSE = re.compile(r"^\s*(?:\$\s*)?kubectl\s+(?:-n\s+\S+\s+)?(?:describe|get)\s+(?:-n\s+\S+\s+)?"
                    r"(?P<resource>[\w.-]+)|^\s*Kind:\s+(?P<kind>\w+)\s*$", re.IGNORECASE)
# Envoy Gateway's policy kinds by their short names (`kubectl describe btp NAME`:
# api/v1alpha1/*_types.go kubebuilder shortName@v1.9.0)
_POLICY_SHORT_NAMES = frozenset({"btp", "ctp", "sp", "eep", "epp"})
_SCOPE_OF = (("gatewayclass", "class"), ("inferencepool", "pool"), ("listenerset", "listener"),
             ("route", "route"), ("gateway", "gateway"), ("polic", "policy"))


def scope_above(lines, index: int) -> str:
    """The scope of the object whose condition starts at `index`, from the nearest line above
    that names its kind (a kubectl command or describe's Kind:); "" when none does."""
    above = list(lines or [])[:index]
    for at in range(len(above) - 1, -1, -1):
        hit = _WHOSE.match(str(above[at]))
        if hit is None or (hit.group("kind") and _in_reference(above, at)):
            continue
        name = (hit.group("resource") or hit.group("kind")).lower().split(".")[0]
        if name in _POLICY_SHORT_NAMES:
            return "policy"
        return next((scope for word, scope in _SCOPE_OF if word in name), "")
    return ""


# describe prints a reference's fields under its header (`Ancestor Ref:` / `Parent Ref:` /
# `Target Ref:`, then `Group:`, `Kind:`, `Name:`): that Kind is the referenced object's (a
# policy's ancestor Gateway), not the described object's, whose `Kind:` follows `API Version:`
_REF_FIELD = re.compile(r"^\s*(?:[\w ]+\bRefs?:\s*|Group:.*)$", re.IGNORECASE)


def _in_reference(lines, at: int) -> bool:
    prior = next((str(line) for line in reversed(lines[:at]) if str(line).strip()), "")
    return bool(_REF_FIELD.match(prior))
