"""Facts about the local cluster that scenario templates may use.

`registry_pull_secret`: the base64 `.dockerconfigjson` of the local private registry
(`registry.internal`), so a scenario can ship a pull Secret that really authenticates (its
fault is then a Deployment that does not reference it). The credentials live beside the
local provider's kubeconfig; on another cluster the variable is absent and a scenario that
uses it stops with a template error naming it.
"""
from __future__ import annotations

import base64
from pathlib import Path


def template_vars(kubeconfig: Path) -> dict[str, str]:
    from harness.cluster import images, registry
    creds_file = Path(kubeconfig).resolve().parent / "registry" / "credentials.json"
    if not creds_file.is_file():
        return {}
    creds = registry.read_credentials(creds_file)
    config = creds.docker_config(images.PRIVATE_HOST)
    return {"registry_pull_secret": base64.b64encode(config.encode()).decode()}
