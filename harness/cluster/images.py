"""The local registry's images, written offline as an OCI image layout (no Docker).

Two layers serve every image: Debian's static busybox with its applets linked in /bin, and
the project's toolbox program (harness/cluster/toolbox). Each image of the catalog
(data/images.yaml) is a config (entrypoint, env, ports) over those layers. Layers are
reproducible tarballs (fixed times and owners), so the same inputs give the same digests.
The layout follows the OCI image-layout spec: `oci-layout`, `index.json` (one manifest
per tag, named by the `org.opencontainers.image.ref.name` annotation) and `blobs/sha256/`.
"""
from __future__ import annotations
from typing import Any

import gzip
import hashlib
import io
import json
import platform
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from collections.abc import Iterable

import yaml

from harness.errors import UserError

CATALOG = Path(__file__).parent / "data" / "images.yaml"
BUSYBOX = Path("/bin/busybox")       # Debian's busybox-static
PRIVATE_HOST = "registry.internal"   # the registry name of private repositories
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
TOOLBOX_COMMANDS = ("serve", "worker", "exiter", "memhog", "stress", "pause")
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class Image:
    repository: str
    tags: tuple[str, ...]
    layers: tuple[str, ...] = ("busybox", "toolbox")
    entrypoint: tuple[str, ...] | None = None
    cmd: tuple[str, ...] | None = None
    env: dict[str, Any] = field(default_factory=dict)
    ports: tuple[int, ...] = ()
    private: bool = False

    @property
    def pull_name(self) -> str:
        """How a pod names it (private ones carry the private registry's host)."""
        return f"{PRIVATE_HOST}/{self.repository}" if self.private else self.repository


@dataclass(frozen=True)
class Blob:
    digest: str
    size: int
    media_type: str


def catalog(path: Path = CATALOG) -> list[Image]:
    doc = yaml.safe_load(path.read_text())
    out = []
    for entry in doc["images"]:
        out.append(Image(
            repository=entry["repository"], tags=tuple(map(str, entry["tags"])),
            layers=tuple(entry.get("layers", ("busybox", "toolbox"))),
            entrypoint=_strings(entry.get("entrypoint")), cmd=_strings(entry.get("cmd")),
            env={str(k): str(v) for k, v in (entry.get("env") or {}).items()},
            ports=tuple(int(p) for p in entry.get("ports", ())),
            private=bool(entry.get("private", False))))
    return out


def _strings(value: Iterable[object] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(v) for v in value)


def inputs_digest(toolbox: Path, images: list[Image]) -> str:
    """Changes whenever an image would change: the catalog, busybox, the toolbox, this file."""
    digest = hashlib.sha256()
    for part in (CATALOG.read_bytes(), _read_busybox(), toolbox.read_bytes(),
                 Path(__file__).read_bytes()):
        digest.update(hashlib.sha256(part).digest())
    digest.update(repr(images).encode())
    return digest.hexdigest()[:16]


# -- layers ------------------------------------------------------------------------------
def busybox_layer() -> bytes:
    """An uncompressed tar: /bin/busybox, one symlink per applet, a minimal /etc."""
    binary = _read_busybox()
    applets = subprocess.run([str(BUSYBOX), "--list"], capture_output=True, text=True,
                             timeout=10).stdout.split()
    entries = [_dir(d) for d in ("bin", "dev", "etc", "proc", "sys", "usr", "usr/bin",
                                 "usr/local", "usr/local/bin", "var", "run")]
    entries += [_dir("tmp", 0o1777), _dir("root", 0o700), _file("bin/busybox", binary, 0o755)]
    entries += [_symlink(f"bin/{name}", "busybox") for name in sorted(set(applets))
                if name != "busybox"]
    entries += [_file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"
                      b"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"),
                _file("etc/group", b"root:x:0:\nnogroup:x:65534:\n")]
    return _tar(entries)


def toolbox_layer(toolbox: Path) -> bytes:
    entries = [_dir("usr"), _dir("usr/local"), _dir("usr/local/bin"),
               _file("usr/local/bin/toolbox", toolbox.read_bytes(), 0o755)]
    entries += [_symlink(f"usr/local/bin/{name}", "toolbox") for name in TOOLBOX_COMMANDS]
    return _tar(entries)


def _read_busybox() -> bytes:
    try:
        return BUSYBOX.read_bytes()
    except OSError as err:
        raise UserError(f"{BUSYBOX} is missing: install Debian's busybox-static "
                        "(`k8s-skills cluster build` does it as root)") from err


def _tarinfo(name: str, kind: bytes, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime, info.uid, info.gid = kind, mode, 0, 0, 0
    info.uname = info.gname = "root"
    return info


TarEntry = tuple[tarfile.TarInfo, bytes | None]


def _dir(name: str, mode: int = 0o755) -> TarEntry:
    return _tarinfo(name, tarfile.DIRTYPE, mode), None


def _file(name: str, data: bytes, mode: int = 0o644) -> TarEntry:
    info = _tarinfo(name, tarfile.REGTYPE, mode)
    info.size = len(data)
    return info, data


def _symlink(name: str, target: str) -> TarEntry:
    info = _tarinfo(name, tarfile.SYMTYPE, 0o777)
    info.linkname = target
    return info, None


def _tar(entries: Iterable[TarEntry]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


# -- the layout --------------------------------------------------------------------------
class Layout:
    """An OCI image layout being written to `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
        (root / "oci-layout").write_text(json.dumps({"imageLayoutVersion": "1.0.0"}))
        self.manifests: list[dict[str, Any]] = []

    def add_blob(self, data: bytes, media_type: str) -> Blob:
        digest = hashlib.sha256(data).hexdigest()
        path = self.root / "blobs" / "sha256" / digest
        if not path.exists():
            path.write_bytes(data)
        return Blob(f"sha256:{digest}", len(data), media_type)

    def add_image(self, image: Image, layers: dict[str, tuple[Blob, str]]) -> None:
        """layers: name -> (compressed blob, diff_id of the uncompressed tar)."""
        used = [layers[name] for name in image.layers]
        config = self.add_blob(_json(image_config(image, [d for _, d in used])), CONFIG)
        manifest = {"schemaVersion": 2, "mediaType": MANIFEST, "config": _descriptor(config),
                    "layers": [_descriptor(blob) for blob, _ in used]}
        blob = self.add_blob(_json(manifest), MANIFEST)
        for tag in image.tags:
            self.manifests.append({**_descriptor(blob), "annotations": {
                "org.opencontainers.image.ref.name": f"{image.pull_name}:{tag}"}})

    def close(self) -> None:
        (self.root / "index.json").write_text(json.dumps(
            {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": self.manifests}, indent=1))


def write_layout(root: Path, toolbox: Path, images: list[Image]) -> Layout:
    layout = Layout(root)
    layers = {}
    for name, tar in (("busybox", busybox_layer()), ("toolbox", toolbox_layer(toolbox))):
        compressed = gzip.compress(tar, compresslevel=6, mtime=0)
        layers[name] = (layout.add_blob(compressed, LAYER),
                        "sha256:" + hashlib.sha256(tar).hexdigest())
    for image in images:
        layout.add_image(image, layers)
    layout.close()
    return layout


def image_config(image: Image, diff_ids: list[str]) -> dict[str, Any]:
    config: dict[str, Any] = {"Env": [PATH_ENV] + [f"{k}={v}" for k, v in sorted(image.env.items())],
                    "WorkingDir": "/"}
    if image.entrypoint is not None:
        config["Entrypoint"] = list(image.entrypoint)
    if image.cmd is not None:
        config["Cmd"] = list(image.cmd)
    if image.ports:
        config["ExposedPorts"] = {f"{p}/tcp": {} for p in image.ports}
    return {"architecture": _goarch(), "os": "linux", "config": config,
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created_by": f"k8s-skills images.py: {name} layer"}
                        for name in image.layers]}


def _descriptor(blob: Blob) -> dict[str, Any]:
    return {"mediaType": blob.media_type, "digest": blob.digest, "size": blob.size}


def _json(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()


def _goarch() -> str:
    machine = platform.machine()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def read_layout(root: Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(repository, tag, manifest descriptor) of every tagged manifest in a layout."""
    index = json.loads((root / "index.json").read_text())
    out = []
    for desc in index["manifests"]:
        ref = desc["annotations"]["org.opencontainers.image.ref.name"]
        repository, _, tag = ref.rpartition(":")
        out.append((repository, tag, desc))
    return out


def blob_path(root: Path, digest: str) -> Path:
    return root / "blobs" / "sha256" / digest.removeprefix("sha256:")
