"""make_claim.py: the YAML a short request turns into, checked against the pinned schema."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.needs import go_toolchain
import yaml

ROOT = Path(__file__).resolve().parents[3]

REQUEST = ["--name", "train", "-n", "team-a", "--count", "2", "--min-memory", "40Gi",
           "--same-attribute", "pcieRoot", "--extra", "ib=rdma.example.com:1"]


def test_two_gpus_40gi_same_pcie_root_and_one_ib(script):
    r = script("make_claim.py", *REQUEST, "--wire", "job", "--workers", "4", "--json")
    assert r.code == 0, r.err
    tmpl, job = r.doc["objects"]
    devices = tmpl["spec"]["spec"]["devices"]
    gpus, ib = devices["requests"]
    assert gpus["exactly"]["count"] == 2
    assert gpus["exactly"]["selectors"][0]["cel"]["expression"] == \
        'device.capacity["gpu.nvidia.com"].memory.compareTo(quantity("40Gi")) >= 0'
    assert ib == {"name": "ib", "exactly": {"deviceClassName": "rdma.example.com",
                                            "allocationMode": "ExactCount", "count": 1}}
    assert devices["constraints"] == [{"requests": ["gpus", "ib"],
                                       "matchAttribute": "gpu.nvidia.com/pcieRoot"}]
    pod = job["spec"]["template"]["spec"]
    assert pod["resourceClaims"] == [{"name": "devices", "resourceClaimTemplateName": "train"}]
    assert pod["containers"][0]["resources"]["claims"] == [{"name": "devices"}]
    assert job["spec"]["parallelism"] == 4


def test_first_available_sharing_and_kueue_warnings(script):
    r = script("make_claim.py", "--name", "x", "--attr", "productName=NVIDIA H200",
               "--fallback", "gpu.nvidia.com:2:productName=NVIDIA H100", "--sharing", "MPS",
               "--queue", "team", "--wire", "jobset", "--json")
    tmpl = r.doc["objects"][0]
    req = tmpl["spec"]["spec"]["devices"]["requests"][0]
    assert [a["name"] for a in req["firstAvailable"]] == ["preferred", "alt1"]
    assert req["firstAvailable"][1]["count"] == 2
    cfg = tmpl["spec"]["spec"]["devices"]["config"][0]["opaque"]
    assert cfg["parameters"]["sharing"]["strategy"] == "MPS"
    assert any("FirstAvailable device selection is not supported" in w for w in r.doc["warnings"])


@pytest.mark.parametrize("bad", [["--extra", "nope"], ["--fallback", "x"], ["--count", "0"],
                                 ["--min-memory", "lots"], ["--attr", "novalue"]])
def test_bad_requests_exit_2_with_one_line(script, bad):
    r = script("make_claim.py", "--name", "x", *bad)
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and r.out == ""


@pytest.fixture(scope="module")
def schemas_dir(tmp_path_factory) -> Path:
    go_toolchain()
    from harness.skillpack.schemas import build_schemas
    out = tmp_path_factory.mktemp("schemas")
    build_schemas(out)
    return out


@pytest.mark.parametrize("wire", ["pod", "job", "jobset", "lws"])
def test_output_validates_against_the_pinned_schema(script, schemas_dir, tmp_path, wire):
    r = script("make_claim.py", *REQUEST, "--sharing", "TimeSlicing", "--wire", wire,
               "--workers", "2", "--json")
    path = tmp_path / "out.yaml"
    path.write_text(yaml.safe_dump_all(r.doc["objects"]))
    validator = ROOT / "skills" / "k8s-manifests" / "scripts" / "validate_manifest.py"
    proc = subprocess.run([sys.executable, str(validator), "-f", str(path), "--schemas",
                           str(schemas_dir), "--json", "--fail-on", "error"],
                          capture_output=True, text=True, timeout=120)
    doc = yaml.safe_load(proc.stdout)
    schema_errors = [f for f in doc["findings"] if f["severity"] == "error"]
    assert schema_errors == [], schema_errors
