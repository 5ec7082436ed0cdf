"""The NVIDIA runtime set as containerd's default in a config RKE2/k3s regenerate: the setting
never sticks, so GPU pods run only with runtimeClassName: nvidia.

RKE2 (and k3s, whose agent it embeds) generates containerd's config at <data-dir>/agent/etc/
containerd/config.toml each time it starts, from config.toml.tmpl (containerd 1.7) or
config-v3.toml.tmpl (containerd 2.0) when one is there, else its built-in template (rancher/
rke2-docs@9477b7b docs/advanced.md "Configuring containerd"). The toolkit pointed at that
config.toml (CONTAINERD_CONFIG) writes the nvidia runtime and default_runtime_name into it, then
signals containerd, which restarts RKE2 (docs/add-ons/gpu_operators.md: "The NVIDIA operator
restarts containerd with a hangup call which restarts RKE2"): the file is rendered again without
the default. RKE2 itself adds an nvidia runtime it finds on its PATH or the default paths (same
page), so runtimeClassName: nvidia works and nothing else does (NVIDIA/gpu-operator#473: fixed by
CONTAINERD_CONFIG=.../config.toml.tmpl; maintainers confirmed and updated the docs).

The paste shows the setting, not containerd's rendered config: the finding is inferred, and the
file on the node confirms it.
"""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

from _tshoot.toolkit_settings import CONFIG, SET_AS_DEFAULT, first, is_true, settings

OBJECT = {"kind": "Node", "name": ""}
# the file RKE2/k3s render from their template (whichever template version), not a
# template (.tmpl): only this layout under a data-dir is theirs
_RENDERED = re.compile(r"/agent/etc/containerd/config\.toml$")


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """nvidia_runtime_not_default (inferred) when the toolkit is asked to set the default
    runtime in the config RKE2/k3s regenerate; [] else."""
    found = settings("\n".join(texts))
    config_name, path = first(found, CONFIG)
    default_name, default = first(found, SET_AS_DEFAULT)
    if not _RENDERED.search(path) or not is_true(default):
        return []
    return [finding(
        "warning", "nvidia_runtime_not_default", OBJECT,
        "the NVIDIA container toolkit is told to make nvidia containerd's default runtime in "
        "the config RKE2/k3s generate (config.toml under agent/etc/containerd), not in the "
        "template they generate it from: when RKE2/k3s restarts (the toolkit's signal to "
        "containerd restarts it) the file is rendered again and the default is gone, while "
        "the nvidia runtime they add themselves stays - so GPU pods work only with "
        "runtimeClassName: nvidia",
        [f"{config_name}: {path}", f"{default_name}: {default}"],
        "point the toolkit at the template in that directory: toolkit.env CONTAINERD_CONFIG="
        "<dir>/config.toml.tmpl (config-v3.toml.tmpl where RKE2/k3s runs containerd 2.0; "
        "NVIDIA/gpu-operator#473), with CONTAINERD_SOCKET=/run/k3s/containerd/containerd.sock; "
        "or leave the config to RKE2 and set its own default-runtime: nvidia (agent config), "
        "or keep runtimeClassName: nvidia on GPU pods",
        basis="inferred",
        confirm=f"on the node: grep -n default_runtime_name {path}")]
