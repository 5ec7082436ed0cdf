"""Envoy AI Gateway's controller: what we give it and tell Envoy Gateway about it, checked
against its source at the pinned version (Go module cache; no cluster needed)."""
from __future__ import annotations

import re

import pytest
import yaml

from harness import gomod
from harness.cluster.envoy_ai_gateway import config, process
from harness.cluster.envoy_gateway import config as eg_config
from harness.cluster.envoy_gateway import netns


@pytest.fixture(scope="module")
def module():
    return gomod.pinned_dir("envoy-ai-gateway")


@pytest.fixture(scope="module")
def main_go(module):
    return (module / "cmd" / "controller" / "main.go").read_text()


def test_flags_and_ports_are_the_controllers_own(main_go):
    """Every flag we pass exists, and the ports we probe are its defaults."""
    flags = set(re.findall(r'fs\.\w+\(\s*"(\w+)"', main_go))
    passed = {a.lstrip("-").split("=")[0] for a in config.controller_args("/certs")
              if a.startswith("--")}
    assert passed <= flags, passed - flags
    assert f'":{config.EXTENSION_PORT}"' in main_go
    assert re.search(rf'"webhookPort",\s*{config.WEBHOOK_PORT},', main_go)


def test_webhook_configuration_has_the_name_the_controller_patches(main_go):
    """maybePatchAdmissionWebhook exits unless `<name>.<POD_NAMESPACE>` exists with one
    webhook."""
    base = re.search(r'mutatingWebhookConfigurationName = "([^"]+)"', main_go).group(1)
    assert config.WEBHOOK_NAME == f"{base}.{config.NAMESPACE}"
    hook = config.webhook_configuration("169.254.100.6", b"CA")
    assert len(hook["webhooks"]) == 1
    assert hook["webhooks"][0]["clientConfig"]["url"] == \
        f"https://169.254.100.6:{config.WEBHOOK_PORT}/mutate"
    # a stopped controller must not block pods anywhere else
    assert hook["webhooks"][0]["failurePolicy"] == "Ignore"
    assert hook["webhooks"][0]["namespaceSelector"]["matchLabels"] == {
        "kubernetes.io/metadata.name": eg_config.NAMESPACE}


def test_extension_manager_is_upstreams_with_our_address(module):
    """Hooks from manifests/envoy-gateway-values.yaml, backendResources from the
    inference-pool example addon; only the service differs."""
    values = yaml.safe_load((module / "manifests" / "envoy-gateway-values.yaml").read_text())
    addon = yaml.safe_load((module / "examples" / "inference-pool" /
                            "envoy-gateway-values-addon.yaml").read_text())
    upstream = values["config"]["envoyGateway"]["extensionManager"]
    ours = config.extension_manager("169.254.101.2")
    assert ours["hooks"] == upstream["hooks"]
    assert ours["backendResources"] == \
        addon["config"]["envoyGateway"]["extensionManager"]["backendResources"]
    assert ours["service"] == {"ip": {"address": "169.254.101.2",
                                      "port": config.EXTENSION_PORT}}
    assert upstream["service"]["fqdn"]["port"] == config.EXTENSION_PORT
    cfg = eg_config.envoy_gateway_config(ours)
    assert cfg["extensionManager"] is ours
    assert "extensionManager" not in eg_config.envoy_gateway_config()


def test_extension_address_is_on_the_pair_between_the_namespaces():
    assert process.extension_ip() == "169.254.101.2"
    # the pair never overlaps the host pairs' pool
    assert not config.PEER_NETWORK.overlaps(netns.POOL)


def test_crds_come_from_the_pinned_module():
    objs = config.crd_objects()
    kinds = {o["spec"]["names"]["kind"] for o in objs}
    assert {"AIGatewayRoute", "AIServiceBackend", "BackendSecurityPolicy"} <= kinds
    assert all(o["kind"] == "CustomResourceDefinition" for o in objs)
    assert all(o["spec"]["group"] == "aigateway.envoyproxy.io" for o in objs)


def test_its_fixed_ports_collide_with_envoy_gateways(module):
    """Why it needs a network namespace of its own: its rate-limit xDS server binds 18002
    on every address, as does Envoy Gateway's Wasm server."""
    runner = (module / "internal" / "ratelimit" / "runner" / "runner.go").read_text()
    assert "DefaultPort = 18002" in runner and '"0.0.0.0"' in runner
    eg = (gomod.pinned_dir("envoy-gateway") / "internal" / "wasm" / "httpserver.go").read_text()
    assert re.search(r"serverPort\s+= 18002", eg)


def test_host_pair_names_differ_per_component(tmp_path):
    names = {netns.host_iface_name(tmp_path, tag) for tag in ("eg", "aigw")}
    assert len(names) == 2 and all(len(n) <= 15 for n in names)
    assert netns.host_iface_name(tmp_path) == netns.host_iface_name(tmp_path, "eg")


POOL_CAPTURES = (__import__("pathlib").Path(__file__).resolve().parents[1] / "resources"
                 / "gateway" / "envoy-ai-gateway")


@pytest.mark.parametrize("path", sorted(POOL_CAPTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_pool_captures_name_both_controllers_at_the_pinned_versions(path):
    """Re-capture (K8S_SKILLS_GATEWAY_CAPTURE=1, tests/live/test_gateway_live.py) when a pin
    moves: a fixture from another release is not ground truth for this one."""
    from harness import pins
    text = path.read_text()
    assert text.startswith(f"# Captured from Envoy Gateway {pins.ENVOY_GATEWAY} and Envoy AI "
                           f"Gateway {pins.ENVOY_AI_GATEWAY}\n")
    doc = yaml.safe_load(text)
    routes = [i for i in doc["items"] if i["kind"] in ("HTTPRoute", "GRPCRoute")]
    writers = {p.get("controllerName") for i in routes
               for p in (i.get("status") or {}).get("parents", []) or []}
    assert writers <= {eg_config.CONTROLLER_NAME}
    pools = [i for i in doc["items"] if i["kind"] == "InferencePool"]
    assert pools, "a pool case without its pool"
    for pool in pools:  # the AI Gateway controller signs its messages
        for parent in (pool.get("status") or {}).get("parents") or []:
            for cond in parent["conditions"]:
                if cond.get("reason") != "Pending":
                    assert "by controller ai-gateway-controller" in cond["message"], cond
