"""Issue 19, live: check_routes.py reads an endpoint picker's EndpointPickerConfig from the
ConfigMap it lives in (the picker's --config-file), listed from the cluster like any other
object, and names the errors the picker refuses to start with.

No endpoint picker runs on the local cluster, so the expected words are the picker's own,
from its loader (llm-d-router v0.10.0 pkg/epp/config/loader/configloader.go: `errors.New("no
profile handler configured")` for 2+ profiles without one; validation.go:
`schedulingProfiles[%s] references undefined plugin '%s'`). What this test shows live is the
reading: the ConfigMap is listed in the namespace asked (`configmaps` in check_routes.py's
live kinds), the config inside its data key is parsed, and a fixed ConfigMap clears it.
"""
from __future__ import annotations

import pytest
import yaml

from tests.live.helpers import apply
from tests.live.test_gateway_live import check

pytestmark = pytest.mark.live

API = "llm-d.ai/v1alpha1"  # llm-d-router v0.10.0 apix/config/v1alpha1 (+groupName=llm-d.ai)


def config_map(name: str, ns: str, config: dict) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns},
            "data": {"config.yaml": yaml.safe_dump(config)}}


def picker_config(profiles: list[dict], extra_plugins: list[dict] = ()) -> dict:
    return {"apiVersion": API, "kind": "EndpointPickerConfig",
            "plugins": [{"type": "prefix-cache-scorer"}, {"type": "queue-scorer"},
                        *extra_plugins],
            "schedulingProfiles": profiles}


def profile(name: str, *refs: str) -> dict:
    return {"name": name, "plugins": [{"pluginRef": ref} for ref in refs]}


def about(doc: dict, name: str) -> list[dict]:
    return [f for f in doc["findings"] if f["object"]["kind"] == "ConfigMap"
            and f["object"]["name"] == name]


def test_picker_config_in_a_config_map_is_read_live(kubectl, kubectl_env, namespace,
                                                    other_namespace):
    broken = picker_config([profile("prefill", "prefix-cache-scorer"),
                            profile("decode", "queue-scorer", "kv-cache-scorer")])
    apply(kubectl, config_map("llama-epp", namespace, broken),
          config_map("llama-epp", other_namespace, broken),
          config_map("unrelated", namespace, {"mode": "batch"}))
    code, doc = check(kubectl_env, namespace)
    [found] = about(doc, "llama-epp")
    assert code == 1 and found["cause"] == "endpoint_picker_misconfigured", doc
    assert found["object"]["namespace"] == namespace  # the other namespace is not asked
    assert "(data key config.yaml)" in found["message"]
    assert set(found["evidence"]) == {
        "schedulingProfiles[decode] references undefined plugin 'kv-cache-scorer'",
        "no profile handler configured"}, found
    assert not about(doc, "unrelated")

    fixed = picker_config([profile("prefill", "prefix-cache-scorer"),
                           profile("decode", "queue-scorer")],
                          extra_plugins=[{"type": "pd-profile-handler"}])
    apply(kubectl, config_map("llama-epp", namespace, fixed))
    code, doc = check(kubectl_env, namespace)
    assert not about(doc, "llama-epp"), doc
