"""The real node's configuration, checked against the pinned upstream sources.

Field names come from the pinned modules' Go types (json tags of KubeletConfiguration and
KubeProxyConfiguration), not from our own code: a misspelt field is silently ignored by a
lenient decoder, so this is where it gets caught. The kwokctl argument order follows
kwokctl v0.8.0's own parser, ported below with its source location.
"""
from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from harness import gomod, pins
from harness.cluster import local, node_config, node_sandbox
from tests.needs import go_toolchain


@pytest.fixture
def layout(tmp_path) -> node_config.NodeLayout:
    return node_config.NodeLayout(
        dir=tmp_path / "node", host_ip="10.250.0.1", node_ip="10.250.0.2",
        apiserver_port=32766, cgroup_root="/k8s-skills-t-00000000",
        registry="10.250.0.1:5000", private_registry="10.250.0.1:5001",
        private_host="registry.internal")


def _json_fields(path: Path) -> set[str]:
    return set(re.findall(r'json:"([A-Za-z0-9]+)', path.read_text()))


def _keys(doc, prefix=""):
    for key, value in doc.items():
        yield key
        if isinstance(value, dict) and key not in ("evictionHard", "featureGates"):
            yield from _keys(value)


def test_kubelet_config_fields_exist_in_the_pinned_kubelet_types(layout, tmp_path):
    go_toolchain()
    kubelet = gomod.module_dir("k8s.io/kubelet", pins.staging_version())
    fields = _json_fields(kubelet / "config" / "v1beta1" / "types.go") | {"apiVersion", "kind"}
    config = node_config.kubelet_config(layout, tmp_path / "ca.crt")
    unknown = sorted(set(_keys(config)) - fields)
    assert unknown == []
    assert config["failCgroupV1"] is False and config["cgroupDriver"] == "cgroupfs"


def test_kube_proxy_config_fields_exist_in_the_pinned_types(layout):
    go_toolchain()
    proxy = gomod.module_dir("k8s.io/kube-proxy", pins.staging_version())
    base = gomod.module_dir("k8s.io/component-base", pins.staging_version())
    # clientConnection is component-base's ClientConnectionConfiguration.
    fields = (_json_fields(proxy / "config" / "v1alpha1" / "types.go")
              | _json_fields(base / "config" / "v1alpha1" / "types.go") | {"apiVersion", "kind"})
    unknown = sorted(set(_keys(node_config.kube_proxy_config(layout))) - fields)
    assert unknown == []


def test_every_registry_host_goes_to_the_local_registry_without_fallback(layout):
    hosts = node_config.registry_hosts(layout)
    # containerd 1.6 reads <config_path>/_default/hosts.toml for any host without a folder;
    # a `server` entry replaces the upstream host (no fallback to it).
    assert 'server = "http://10.250.0.1:5000"' in hosts["_default"].splitlines()
    assert 'server = "http://10.250.0.1:5001"' in hosts["registry.internal"].splitlines()
    # containerd 1.6.20 refuses a hosts.toml without a [host] table (and then goes upstream)
    assert '[host."http://10.250.0.1:5000"]' in hosts["_default"].splitlines()
    assert 'config_path = "' + str(layout.registry_hosts_dir) + '"' in \
        node_config.containerd_config(layout)


def test_containerd_writes_nothing_outside_the_node_folder(layout):
    text = node_config.containerd_config(layout)
    assert f'root = "{layout.dir}' in text
    assert '"io.containerd.internal.v1.opt"' in text   # would create /opt/containerd
    assert "restrict_oom_score_adj = true" in text


def _kwokctl_patches(flags: list[str]) -> dict[str, list[str]]:
    """kwokctl v0.8.0 pkg/kwokctl/cmd/create/cluster/cluster.go mutationComponentPatches,
    ported: the index stored per component is the flag's position, not the patch's."""
    patches: list[tuple[str, list[str]]] = []
    names: dict[str, int] = {}
    for i, flag in enumerate(flags):
        component, key, value = flag.removeprefix("--extra-args=").split("=", 2)
        if component in names:
            patches[names[component]][1].append(f"{key}={value}")  # IndexError = a panic
            continue
        patches.append((component, [f"{key}={value}"]))
        names[component] = i
    return {c: args for c, args in patches}


def test_extra_args_land_on_their_components_in_kwokctl():
    wanted = {"etcd": [("unsafe-no-fsync", "true")],
              "kube-apiserver": [("advertise-address", "10.250.0.1"), ("a", "1"), ("b", "2")],
              "kwok-controller": [("manage-all-nodes", "false"),
                                  ("manage-nodes-with-annotation-selector",
                                   "kwok.x-k8s.io/node=fake")]}
    got = _kwokctl_patches(local.extra_args(wanted))
    assert got == {c: [f"{k}={v}" for k, v in args] for c, args in wanted.items()}


def test_naive_order_breaks_in_kwokctl():
    """Why extra_args() reorders: grouped by component, kwokctl mixes them up."""
    naive = ["--extra-args=etcd=x=1", "--extra-args=kube-apiserver=a=1",
             "--extra-args=kube-apiserver=b=2", "--extra-args=kwok-controller=m=1",
             "--extra-args=kwok-controller=n=2"]
    with pytest.raises(IndexError):
        _kwokctl_patches(naive)


def test_link_allocation_skips_networks_in_use(monkeypatch):
    names = node_sandbox.NodeNames.for_cluster(Path("/x/clusters/a"), "a")
    first = node_sandbox.allocate_link(Path("/x"), names, "seed")
    monkeypatch.setattr(node_sandbox, "_host_networks", lambda: [f"{first.host_ip}/30"])
    second = node_sandbox.allocate_link(Path("/x"), names, "seed")
    assert first != second
    net = ipaddress.ip_network(f"{second.host_ip}/30", strict=False)
    assert ipaddress.ip_address(second.node_ip) in net
    assert net.subnet_of(node_sandbox.LINK_POOL)


def test_host_visible_names_fit_the_kernel_limits():
    names = node_sandbox.NodeNames.for_cluster(Path("/a/very/long/state/folder/clusters/x"),
                                               "a-cluster-name-that-is-rather-long-indeed")
    assert len(names.host_if) <= 15   # IFNAMSIZ - 1
    assert names.cgroup_root.startswith("/k8s-skills-")
