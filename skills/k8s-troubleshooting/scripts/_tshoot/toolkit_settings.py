"""The NVIDIA container toolkit's settings as a paste shows them: the env of its GPU Operator
container (Helm values / ClusterPolicy `toolkit.env` lists, `kubectl get -o yaml|json`, `kubectl
describe` Environment, `helm --set toolkit.env[N].name=...,toolkit.env[N].value=...`, shell
`NAME=value`) and the flags of `nvidia-ctk runtime configure`.

The names are the toolkit's own: the containerd config path is read from RUNTIME_CONFIG or
CONTAINERD_CONFIG, set-as-default from NVIDIA_RUNTIME_SET_AS_DEFAULT or CONTAINERD_SET_AS_DEFAULT
(nvidia-container-toolkit v1.13.5 tools/container/containerd/containerd.go:108,144; v1.17.0
tools/container/runtime/runtime.go:53,89); nvidia-ctk takes --config and --nvidia-set-as-default
(alias --set-as-default; v1.17.0 cmd/nvidia-ctk/runtime/configure/configure.go:119,159).
"""
from __future__ import annotations

import re

_ENV_CONFIG = ("CONTAINERD_CONFIG", "RUNTIME_CONFIG")
_ENV_DEFAULT = ("CONTAINERD_SET_AS_DEFAULT", "NVIDIA_RUNTIME_SET_AS_DEFAULT")
_NAMES = "|".join(_ENV_CONFIG + _ENV_DEFAULT)
# nvidia-ctk's flags are kept under their own names, so evidence quotes what the paste said
CONFIG = _ENV_CONFIG + ("nvidia-ctk --config",)
SET_AS_DEFAULT = _ENV_DEFAULT + ("nvidia-ctk --set-as-default",)

# `- name: X` (YAML) with `value: Y` on the line after it (`kubectl get -o yaml` sorts keys)
# or before it (values files written by hand)
_ENTRY_NAME = re.compile(rf"""^\s*(?:-\s*)?name\s*:\s*["']?(?P<name>{_NAMES})["']?\s*$""")
_ENTRY_VALUE = re.compile(r"""^\s*(?:-\s*)?value\s*:\s*(?P<value>\S.*?)\s*$""")
# `{"name": "X", "value": "Y"}` (JSON, one entry or a whole object on a line)
_JSON_PAIR = re.compile(r'"name"\s*:\s*"(?P<name>' + _NAMES + r')"\s*,\s*'
                        r'"value"\s*:\s*"(?P<value>[^"]*)"')
# `NAME=value` (shell, docker -e) or `NAME: value` (kubectl describe's Environment)
_ASSIGNED = re.compile(rf"""(?<![\w.\[])(?P<name>{_NAMES})\s*(?:=|:\s)\s*(?P<value>[^\s,'"]+)""")
# helm --set toolkit.env[N].name=X / toolkit.env[N].value=Y
_HELM = re.compile(r"""env\[(?P<index>\d+)\]\.(?P<key>name|value)=(?P<value>[^\s,'"]+)""")
_CTK = re.compile(r"\bnvidia-ctk\b.*\bruntime\s+configure\b")
_CTK_CONFIG = re.compile(r"""--config[=\s]+["']?(?P<value>[^\s"']+)""")
_CTK_DEFAULT = re.compile(r"--(?:nvidia-)?set-as-default(?:=(?P<value>\S+))?")


def _unquote(value: str) -> str:
    return value.strip().strip("\"'")


def _entries(lines: list[str]) -> dict[str, str]:
    """name/value pairs of YAML env lists."""
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = _ENTRY_NAME.match(line)
        after = _ENTRY_VALUE.match(lines[i + 1]) if m and i + 1 < len(lines) else None
        # a value before the name only when it opens the same entry (`- value: Y`)
        before = _ENTRY_VALUE.match(lines[i - 1]) if m and i and not line.lstrip().startswith("-") \
            and lines[i - 1].lstrip().startswith("-") else None
        value = after or before
        if m and value:
            out.setdefault(m.group("name"), _unquote(value.group("value")))
    return out


def _helm(text: str) -> dict[str, str]:
    names: dict[str, str] = {}
    values: dict[str, str] = {}
    for m in _HELM.finditer(text):
        (names if m.group("key") == "name" else values)[m.group("index")] = m.group("value")
    return {name: values[i] for i, name in names.items() if i in values}


def _ctk(lines: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        if not _CTK.search(line):
            continue
        config, default = _CTK_CONFIG.search(line), _CTK_DEFAULT.search(line)
        if config:
            out.setdefault(CONFIG[-1], config.group("value"))
        if default:
            out.setdefault(SET_AS_DEFAULT[-1], default.group("value") or "true")
    return out


def settings(text: str) -> dict[str, str]:
    """The toolkit settings the paste names, by env name (the first form found wins)."""
    lines = text.splitlines()
    out = _entries(lines)
    json_pairs = {m.group("name"): m.group("value") for m in _JSON_PAIR.finditer(text)}
    for found in (json_pairs, _helm(text), _ctk(lines)):
        for name, value in found.items():
            out.setdefault(name, value)
    for m in _ASSIGNED.finditer(text):
        out.setdefault(m.group("name"), _unquote(m.group("value")))
    return out


def first(found: dict[str, str], names: tuple[str, ...]) -> tuple[str, str]:
    """(name, value) of the first of `names` the paste sets (("", "") when none)."""
    return next(((name, found[name]) for name in names if name in found), ("", ""))


def is_true(value: str) -> bool:
    """urfave/cli's BoolFlag reads its env with strconv.ParseBool."""
    return value.strip().lower() in ("1", "t", "true")
