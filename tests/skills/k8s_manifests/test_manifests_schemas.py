"""The compiled schema file: what it holds, that it is small and reproducible, lookup order."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from _manifest import schema_store
from harness.skillpack.schemas import FILE_NAME, build_schemas


def _doc(folder):
    return json.loads(gzip.decompress((folder / FILE_NAME).read_bytes()))


def test_holds_every_pinned_domain(schemas_dir):
    doc = _doc(schemas_dir)
    kinds = set(doc["kinds"])
    for key in ("apps/v1/Deployment", "v1/Service", "batch/v1/Job",
                "kueue.x-k8s.io/v1beta1/ClusterQueue", "kueue.x-k8s.io/v1beta2/ClusterQueue",
                "jobset.x-k8s.io/v1alpha2/JobSet", "leaderworkerset.x-k8s.io/v1/LeaderWorkerSet",
                "gateway.networking.k8s.io/v1/HTTPRoute",
                "inference.networking.k8s.io/v1/InferencePool",
                "resource.k8s.io/v1/ResourceClaim", "resource.k8s.io/v1/DeviceClass"):
        assert key in kinds, key
    assert "gateway.networking.k8s.io/v1/HTTPRoute" in doc["standard"]
    assert doc["sources"]["k8s.io/kubernetes"].startswith("v1.")
    assert doc["scope"]["kueue.x-k8s.io/v1beta2/ClusterQueue"] == "Cluster"


def test_is_small_and_reproducible(schemas_dir, tmp_path):
    size = (schemas_dir / FILE_NAME).stat().st_size
    assert size < 100_000
    build_schemas(tmp_path)
    assert (tmp_path / FILE_NAME).read_bytes() == (schemas_dir / FILE_NAME).read_bytes()


def test_committed_file_matches_the_pins(schemas_dir):
    """skills/k8s-manifests/assets/schemas/ ships in every channel (plugin, install, bundle);
    it must be exactly what the pinned modules compile to. Regenerate with
    `python -m harness.skillpack.schemas`."""
    skill = Path(__file__).resolve().parents[3] / "skills" / "k8s-manifests"
    committed = skill / "assets" / "schemas" / FILE_NAME
    assert committed.read_bytes() == (schemas_dir / FILE_NAME).read_bytes(), \
        "stale schemas: run `python -m harness.skillpack.schemas` and commit the result"


def test_keeps_what_admission_needs(schemas_dir):
    """CEL rules with their messages, defaults and list keys survive compaction."""
    doc = _doc(schemas_dir)
    text = json.dumps(doc)
    assert "borrowingLimit must be nil when cohort is empty" in text  # Kueue CEL message
    assert '"x-kubernetes-list-map-keys"' in text and '"default"' in text
    assert "Listener name must be unique within the Gateway" in text


def test_lookup_order(schemas_dir, tmp_path, monkeypatch):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    monkeypatch.setattr(schema_store, "BUNDLE_DIR", str(bundle))
    monkeypatch.setenv(schema_store.ENV_VAR, str(schemas_dir))
    assert schema_store.find_schema_file(None)[0] == str(schemas_dir / FILE_NAME)
    (bundle / FILE_NAME).write_bytes((schemas_dir / FILE_NAME).read_bytes())
    assert schema_store.find_schema_file(None)[0] == str(bundle / FILE_NAME)
    explicit = tmp_path / "mine.json.gz"
    explicit.write_bytes(b"")
    assert schema_store.find_schema_file(str(explicit))[0] == str(explicit)
    monkeypatch.delenv(schema_store.ENV_VAR)
    monkeypatch.setattr(schema_store, "BUNDLE_DIR", str(tmp_path / "none"))
    path, why = schema_store.find_schema_file(None)
    assert path is None and "k8s-skills skills build" in why
