"""The local registry's storage, filled once per input version by pushing over HTTP.

`cluster build` writes the OCI layout of images.py, starts the registry binary on loopback
(a public one, and a private one with htpasswd auth), pushes every image through the
registry API and keeps the resulting storage folders in the cache, in a folder named by a
digest of every input (so checkouts at different versions never replace each other's
images while a cluster copies them). `cluster up` copies them for its own registries
(registry.py).

    <cache>/<versions>/images/<digest>/oci/       the OCI image layout
    <cache>/<versions>/images/<digest>/public/    registry storage (rootdirectory)
    <cache>/<versions>/images/<digest>/private/   storage of the private repositories
    <cache>/<versions>/images/<digest>/stamp.json written last
"""
from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from harness.cluster import build, images, paths, procs, registry
from harness.errors import UserError


def store_dir() -> Path:
    toolbox = build.binary("k8s-skills-toolbox")
    digest = images.inputs_digest(toolbox, images.catalog()) if toolbox.is_file() else "none"
    return paths.versions_dir() / "images" / digest


def storage(private: bool) -> Path:
    return store_dir() / ("private" if private else "public")


def is_ready() -> bool:
    return images.BUSYBOX.is_file() and (store_dir() / "stamp.json").is_file()


def ensure(log: Callable[[str], object]) -> None:
    if is_ready():
        return
    started = time.monotonic()
    catalog = images.catalog()
    toolbox = build.binary("k8s-skills-toolbox")
    log(f"images: writing {sum(len(i.tags) for i in catalog)} image tags as an OCI layout "
        "and pushing them to the local registry")
    target = store_dir()
    staging = target.with_name(target.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    images.write_layout(staging / "oci", toolbox, catalog)
    counts = {private: _push(staging, private) for private in (False, True)}
    shutil.rmtree(staging / "run", ignore_errors=True)
    (staging / "stamp.json").write_text(json.dumps(
        {"public": counts[False], "private": counts[True]}))
    staging.rename(target)
    log(f"images: {counts[False]} public and {counts[True]} private tags pushed in "
        f"{time.monotonic() - started:.1f}s")


def _push(staging: Path, private: bool) -> int:
    """Run a throwaway registry on loopback over the staging storage and push to it."""
    name = "private" if private else "public"
    address = f"127.0.0.1:{procs.free_port()}"
    creds = registry.new_credentials() if private else None
    htpasswd = staging / f"{name}.htpasswd" if private else None
    if creds and htpasswd:
        registry.write_htpasswd(htpasswd, creds)
    doc = registry.config(staging / name, address, htpasswd)
    pid = registry.start(build.binary("registry"), staging / "run", name, doc)
    try:
        registry.wait_ready(f"http://{address}", pid, staging / "run" / f"{name}.log")
        return registry.Pusher(f"http://{address}", creds).push_layout(staging / "oci",
                                                                        private)
    finally:
        try:
            procs.stop_all([psutil.Process(pid)])
        except psutil.NoSuchProcess:
            pass


def require_ready() -> None:
    if not is_ready():
        raise UserError("the local registry's images are not built: run "
                        "`k8s-skills cluster build` (as root, to install busybox-static)")
