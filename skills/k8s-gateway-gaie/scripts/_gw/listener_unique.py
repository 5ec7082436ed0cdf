"""The API server's listener-uniqueness refusal for listeners that are unique.

The Gateway CRD validates listeners with a CEL rule whose message is `Combination of port,
protocol and hostname must be unique for each listener` (gateway-api v1.6.3
apis/v1/gateway_types.go:251: l1 and l2 collide when port and protocol match and both set the
same hostname or both set none). Gateway API v0.8.0's rule compared hostnames without that
has() guard and refused a hostname-less listener beside a hostnamed one on the same port
(kubernetes-sigs/gateway-api#2369; fixed in v0.8.1 by #2370, CHANGELOG/0.x-CHANGELOG.md
"Fix CEL validation not handling missing listener hostname correctly"). When the pasted
listeners are unique by (port, protocol, hostname), the refusal comes from the installed CRD's
rule, not the spec: crd_version_unsupported. Listeners that do collide keep the refusal.
"""
from __future__ import annotations

import re

import yaml

_MESSAGE = "Combination of port, protocol and hostname must be unique for each listener"
_LISTENERS_KEY = re.compile(r"^(?P<indent>\s*)listeners:\s*$")
# the end of a manifest piped into kubectl: `... hostname: x" | kubectl create -f -`
_SHELL_TAIL = re.compile(r"""["']\s*\|\s*kubectl\b.*$""")


def reclassify(findings: list[dict], raw: list, index) -> list[dict]:
    return [_checked(f, raw, index) or f for f in findings]


def _checked(f: dict, raw: list, index) -> dict | None:
    if f["cause"] not in ("listener_invalid", "listener_conflict") or not any(
            _MESSAGE.lower() in str(e).lower() for e in f.get("evidence") or []):
        return None
    sets = _listener_sets(raw, index)
    if len(sets) != 1 or len(sets[0]) < 2 or _collide(sets[0]):
        return None  # no single pasted listener list, or a real collision: the refusal stands
    keys = ", ".join(f"{_key(lst)[1]}/{_key(lst)[0]} {_key(lst)[2] or '(no hostname)'}"
                     for lst in sets[0])
    out = dict(f, cause="crd_version_unsupported", basis="inferred",
               confirm="kubectl get crd gateways.gateway.networking.k8s.io -o jsonpath="
                       "'{.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}'")
    out["message"] = ("the API server refused the listeners as not unique, but the pasted "
                      f"listeners differ by (port, protocol, hostname) ({keys}): the installed "
                      "CRD's CEL rule is wrong, as Gateway API v0.8.0's was for a listener "
                      "without hostname beside one with a hostname (kubernetes-sigs/gateway-api"
                      "#2369, fixed in v0.8.1)")
    out["fix"] = ("install a Gateway API CRD bundle with the fixed rule (v0.8.1 or later; "
                  "v1.x for a current controller) and apply the Gateway again unchanged")
    out["evidence"] = list(f.get("evidence") or []) + [f"pasted listeners: {keys}"]
    return out


def _key(listener: dict) -> tuple[str, str, str]:
    # (a manifest piped through echo keeps the shell's tail on its last value when the paste
    # reader takes it for YAML: `hostname: x" | kubectl create -f -`)
    return (str(listener.get("port")), str(listener.get("protocol")),
            _SHELL_TAIL.sub("", str(listener.get("hostname") or "")))


def _collide(listeners: list[dict]) -> bool:
    keys = [_key(lst) for lst in listeners]
    return len(set(keys)) != len(keys)


def _listener_sets(raw: list, index) -> list[list[dict]]:
    """Listener lists of the pasted Gateways: from objects the paste parsed, else from a
    manifest kept as text (piped into kubectl through echo, which the paste reader leaves)."""
    parsed = [((o.get("spec") or {}).get("listeners") or []) for o in index.of_kind("Gateway")
              if (o.get("spec") or {}).get("listeners")]
    if parsed:
        return [[lst for lst in s if isinstance(lst, dict)] for s in parsed]
    return [s for s in (_from_text(raw, i) for i, line in enumerate(raw or [])
                        if _LISTENERS_KEY.match(str(line))) if s]


def _from_text(raw: list, start: int) -> list[dict]:
    key = _LISTENERS_KEY.match(str(raw[start]))
    if key is None:
        return []
    indent = len(key.group("indent"))
    block = []
    for line in raw[start + 1:]:
        text = _SHELL_TAIL.sub("", str(line).rstrip())
        width = len(text) - len(text.lstrip())
        if text.strip() and (width < indent or (width == indent and
                                                not text.lstrip().startswith("- "))):
            break
        block.append(text)
        if text != str(line).rstrip():
            break  # the manifest ended inside the shell command
    try:
        items = yaml.safe_load("\n".join(line[indent:] for line in block))
    except yaml.YAMLError:
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
