"""Topology files: the default is valid and realistic; bad files give one clear error."""
from __future__ import annotations

import subprocess
import sys

import pytest

from harness.cluster import topology
from harness.errors import UserError


def test_default_topology_has_legacy_dra_cpu_pools_and_two_gpu_models():
    topo = topology.load()
    modes = {p.gpu_mode for p in topo.pools}
    assert modes == {"extended", "dra", None}
    products = {p.labels.get("nvidia.com/gpu.product") for p in topo.pools if p.gpus}
    assert len(products - {None}) >= 2
    objects = topology.objects(topo)
    kinds = [o["kind"] for o in objects]
    assert kinds.count("DeviceClass") == 1
    dra_nodes = sum(p.count for p in topo.pools if p.gpu_mode == "dra")
    assert kinds.count("ResourceSlice") == dra_nodes


def test_dra_nodes_expose_no_extended_gpu_and_slices_carry_nvidia_attributes():
    topo = topology.load()
    objects = topology.objects(topo)
    dra_pool = next(p for p in topo.pools if p.gpu_mode == "dra")
    node = next(o for o in objects if o["kind"] == "Node"
                and o["metadata"]["labels"][topology.POOL_LABEL] == dra_pool.name)
    assert "nvidia.com/gpu" not in node["status"]["capacity"]
    rslice = next(o for o in objects if o["kind"] == "ResourceSlice")
    device = rslice["spec"]["devices"][0]
    assert device["attributes"]["productName"] == {"string": "NVIDIA H200"}
    assert device["attributes"]["cudaComputeCapability"] == {"version": "9.0.0"}
    assert device["attributes"]["driverVersion"] == {"version": "580.159.4"}
    assert device["capacity"]["memory"] == {"value": "143771Mi"}
    assert rslice["spec"]["nodeName"] == rslice["spec"]["pool"]["name"]


def test_extended_nodes_report_gpus_like_a_device_plugin():
    topo = topology.load()
    pool = next(p for p in topo.pools if p.gpu_mode == "extended")
    node = topology.node(pool, "x-0")
    assert node["status"]["allocatable"]["nvidia.com/gpu"] == str(pool.gpus["count"])
    assert node["metadata"]["annotations"][topology.KWOK_ANNOTATION] == "fake"


@pytest.mark.parametrize("text, fragment", [
    ("pools: [", "not valid YAML"),
    ("- a\n- b\n", "must be a mapping"),
    ("pools: []", "non-empty list"),
    ("pools:\n- name: Bad_Name\n", "must be a DNS label"),
    ("pools:\n- name: a\n  count: 0\n", "count: must be an integer"),
    ("pools:\n- name: a\n  gpus: {mode: pci, count: 1}\n", "mode: must be 'extended' or 'dra'"),
    ("pools:\n- name: a\n  colour: red\n", "unknown field 'colour'"),
    ("pools:\n- name: a\n- name: a\n", "must be unique"),
])
def test_bad_topology_files_name_the_problem(tmp_path, text, fragment):
    path = tmp_path / "topo.yaml"
    path.write_text(text)
    with pytest.raises(UserError) as err:
        topology.load(path)
    assert fragment in str(err.value)


def test_cli_bad_topology_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "topo.yaml"
    path.write_text("pools:\n- name: a\n  gpus: {mode: pci, count: 1}\n")
    proc = subprocess.run([sys.executable, "-m", "harness.cli", "cluster", "up", "--name",
                           "never-started", "--topology", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr


def test_cli_missing_topology_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "harness.cli", "cluster", "up", "--topology",
                           str(tmp_path / "nope.yaml")], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "no such topology file" in proc.stderr


def test_busy_port_is_one_clear_error(tmp_path):
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "harness.cli", "cluster", "up", "--name",
                               "never-started", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == (f"error: port {port} is already in use: stop what uses it or pick "
                           "another with --port\n")


def test_unwritable_metrics_cert_folder_names_the_one_time_fix(tmp_path, monkeypatch):
    from harness.cluster import pki
    from harness.cluster.kueue import config, process
    monkeypatch.setattr(config, "METRICS_CERT_DIR", tmp_path / "metrics" / "certs")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(pki, "write_pair", refuse)
    with pytest.raises(UserError, match=r"sudo mkdir -p .*metrics/certs && sudo chown"):
        process.ensure_metrics_cert(pki.make_ca())
