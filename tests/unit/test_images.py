"""The OCI image layout images.py writes: content-addressed, reproducible, complete.

The rules checked are the OCI image-layout and image-spec ones (blobs named by the sha256
of their bytes, diff_ids = sha256 of the uncompressed layer, one index entry per tag). That
the registry and containerd accept the result is proven live (test_node_live.py).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile

import pytest

from harness.cluster import images

pytestmark = pytest.mark.skipif(not images.BUSYBOX.is_file(),
                                reason="needs Debian's busybox-static")


@pytest.fixture
def toolbox(tmp_path):
    path = tmp_path / "toolbox"
    path.write_bytes(b"\x7fELF fake toolbox")
    return path


def _blob(root, digest) -> bytes:
    return images.blob_path(root, digest).read_bytes()


def test_every_blob_is_named_by_its_digest_and_every_tag_is_indexed(tmp_path, toolbox):
    catalog = images.catalog()
    images.write_layout(tmp_path / "oci", toolbox, catalog)
    root = tmp_path / "oci"
    for path in (root / "blobs" / "sha256").iterdir():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
    refs = {f"{repo}:{tag}" for repo, tag, _ in images.read_layout(root)}
    assert refs == {f"{i.pull_name}:{t}" for i in catalog for t in i.tags}
    assert "registry.internal/ml/model-server:1.0" in refs


def test_config_diff_ids_are_the_uncompressed_layers(tmp_path, toolbox):
    images.write_layout(tmp_path / "oci", toolbox, images.catalog())
    root = tmp_path / "oci"
    for _, _, desc in images.read_layout(root):
        manifest = json.loads(_blob(root, desc["digest"]))
        config = json.loads(_blob(root, manifest["config"]["digest"]))
        layers = [gzip.decompress(_blob(root, layer["digest"])) for layer in manifest["layers"]]
        assert config["rootfs"]["diff_ids"] == [
            "sha256:" + hashlib.sha256(data).hexdigest() for data in layers]
        assert [layer["size"] for layer in manifest["layers"]] == [
            len(_blob(root, layer["digest"])) for layer in manifest["layers"]]


def test_layers_are_reproducible(tmp_path, toolbox):
    one = images.write_layout(tmp_path / "a", toolbox, images.catalog())
    two = images.write_layout(tmp_path / "b", toolbox, images.catalog())
    assert one.manifests == two.manifests


def test_busybox_layer_gives_every_image_a_shell(tmp_path):
    with tarfile.open(fileobj=io.BytesIO(images.busybox_layer())) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["bin/sh"].issym() and members["bin/sh"].linkname == "busybox"
    assert members["tmp"].mode == 0o1777
    assert members["bin/busybox"].uid == 0 and members["bin/busybox"].mtime == 0


def test_image_config_follows_the_catalog():
    nginx = next(i for i in images.catalog() if i.repository == "library/nginx")
    config = images.image_config(nginx, ["sha256:x"])["config"]
    assert config["Entrypoint"] == ["serve"] and "LISTEN=:80" in config["Env"]
    assert config["ExposedPorts"] == {"80/tcp": {}}
