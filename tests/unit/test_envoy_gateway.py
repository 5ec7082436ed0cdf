"""Envoy Gateway's configuration, CRDs, address choice and sandbox (no cluster needed)."""
from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from harness.cluster import procs
from harness.cluster.envoy_gateway import config, netns
from harness.errors import UserError

REPO = Path(__file__).resolve().parents[2]


def test_config_keeps_the_shipped_controller_name_and_pins_proxies_to_kwok_nodes():
    cfg = config.envoy_gateway_config()
    assert cfg["kind"] == "EnvoyGateway"
    assert cfg["gateway"]["controllerName"] == "gateway.envoyproxy.io/gatewayclass-controller"
    kube = cfg["envoyProxy"]["provider"]["kubernetes"]
    assert kube["envoyDeployment"]["pod"]["nodeSelector"] == {"type": "kwok"}
    assert kube["envoyService"]["type"] == "ClusterIP"


def test_default_gateway_class_is_the_controllers_and_the_shared_gateway_uses_it():
    objs = {o["kind"]: o for o in config.default_objects()}
    assert objs["GatewayClass"]["spec"]["controllerName"] == config.CONTROLLER_NAME
    assert objs["Gateway"]["spec"]["gatewayClassName"] == objs["GatewayClass"]["metadata"]["name"]
    assert objs["Gateway"]["metadata"]["namespace"] == objs["Namespace"]["metadata"]["name"]


def test_helm_guard_is_stripped_and_other_templates_refused():
    text = "{{- if .Values.crds.envoyGateway.enabled }}\n---\nkind: X\n{{- end }}\n"
    assert config._strip_helm_guard(text).split() == ["---", "kind:", "X"]
    with pytest.raises(UserError):
        config._strip_helm_guard("kind: {{ .Values.kind }}\n")


def test_own_crds_come_from_the_pinned_module():
    crds = config.crd_objects()
    names = {c["metadata"]["name"] for c in crds}
    assert {"envoyproxies.gateway.envoyproxy.io", "httproutefilters.gateway.envoyproxy.io",
            "backends.gateway.envoyproxy.io"} <= names
    assert all(c["kind"] == "CustomResourceDefinition" for c in crds)


def test_first_free_subnet_skips_used_ones():
    used = [ipaddress.ip_network("169.254.100.0/30"), ipaddress.ip_network("10.0.0.0/8")]
    assert str(netns._free_subnet(used)) == "169.254.100.4/30"
    assert str(netns._free_subnet([ipaddress.ip_network("169.254.100.0/25")])) == \
        "169.254.100.128/30"
    with pytest.raises(UserError):
        netns._free_subnet([ipaddress.ip_network("169.254.0.0/16")])


PROBE = textwrap.dedent("""\
    package main

    import ("fmt"; "net"; "os"; "strings")

    func main() {
        entries, _ := os.ReadDir("/")
        names := []string{}
        for _, e := range entries { names = append(names, e.Name()) }
        fmt.Println("root:", strings.Join(names, ","))
        cert, err := os.ReadFile("/certs/tls.crt")
        fmt.Println("cert:", string(cert), err)
        fmt.Println("certs writable:", os.WriteFile("/certs/x", []byte("x"), 0o600) == nil)
        fmt.Println("wasm dir:", os.MkdirAll("/var/lib/eg/wasm", 0o755) == nil)
        _, err = net.Dial("tcp", os.Args[1])
        fmt.Println("off-machine:", err)
    }
    """)


@pytest.fixture(scope="module")
def probe_binary(tmp_path_factory):
    go = shutil.which("go")
    if not go:
        pytest.skip("needs Go")
    folder = tmp_path_factory.mktemp("probe")
    (folder / "go.mod").write_text("module probe\n\ngo 1.26\n")
    (folder / "main.go").write_text(PROBE)
    subprocess.run([go, "build", "-o", "probe", "."], cwd=folder, check=True, timeout=300,
                   env={**os.environ, "CGO_ENABLED": "0", "GOFLAGS": ""})
    return folder / "probe"


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"),
                    reason="namespaces need root and unshare")
def test_sandbox_shows_only_its_root_and_has_no_route_off_the_machine(probe_binary, tmp_path):
    cluster = tmp_path / "cluster"
    egdir = cluster / "envoy-gateway"
    (egdir / "certs").mkdir(parents=True)
    (egdir / "certs" / "tls.crt").write_text("CERT")
    (egdir / "rootfs").mkdir()
    argv = ["unshare", "--mount", "--net", "--propagation", "private", "--",
            sys.executable, "-m", "harness.cluster.envoy_gateway.sandbox",
            "--root", str(egdir / "rootfs"), "--ready", str(egdir / "net-ready"),
            "--certs", str(egdir / "certs"), "--bind", str(egdir), "--bind",
            str(probe_binary), "--", str(probe_binary), "192.0.2.1:80"]
    log = cluster / "sandbox.log"
    pid = procs.start_background(argv, log, {**os.environ, "PYTHONPATH": str(REPO)})
    own = os.readlink("/proc/self/ns/net")
    procs.wait_until(lambda: os.readlink(f"/proc/{pid}/ns/net") != own, 10, 0.01)
    link = netns.connect(pid, cluster, tmp_path)
    (egdir / "net-ready").touch()
    procs.wait_until(lambda: not procs.is_alive(pid), 20, 0.05, what="probe to finish")
    out = log.read_text()
    assert "cert: CERT <nil>" in out
    assert "certs writable: false" in out
    assert "wasm dir: true" in out
    assert "network is unreachable" in out.split("off-machine:")[1]
    root = out.split("root:")[1].split()[0].split(",")
    assert set(root) <= {"certs", "dev", "proc", "tmp", "var", cluster.parts[1]}
    assert os.listdir(egdir / "rootfs") == []  # nothing mounted on the host's side
    time.sleep(0.2)
    assert subprocess.run(["ip", "link", "show", link.host_iface],
                          capture_output=True).returncode != 0  # the pair died with it


CAPTURES = REPO / "tests" / "resources" / "gateway" / "envoy-gateway"


@pytest.mark.parametrize("path", sorted(CAPTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_captures_say_which_controller_wrote_them_at_the_pinned_version(path):
    """Re-capture (K8S_SKILLS_GATEWAY_CAPTURE=1, tests/live/test_gateway_live.py) when the
    pin moves: a fixture from another release is not ground truth for this one."""
    import yaml
    from harness import pins
    text = path.read_text()
    assert text.startswith(f"# Captured from Envoy Gateway {pins.ENVOY_GATEWAY} on the local "
                           "cluster")
    doc = yaml.safe_load(text)
    writers = {p.get("controllerName") for i in doc["items"]
               for p in (i.get("status") or {}).get("parents", []) or []}
    assert writers <= {config.CONTROLLER_NAME}
