"""EndpointPickerConfig checks. Expected messages are the llm-d-router v0.10.0 loader's own
(pkg/epp/config/loader/validation.go l.36-130, configloader.go l.386-398, defaults.go
l.108-175); the config shape is apix/config/v1alpha1/endpointpickerconfig_types.go."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "skills" / "k8s-gateway-gaie" / "scripts"
sys.path[:0] = [str(SCRIPTS), str(ROOT / "skills" / "_shared")]

from _gw import epp_config  # noqa: E402

API = "llm-d.ai/v1alpha1"


def config(plugins, profiles, **extra) -> dict:
    return {"apiVersion": API, "kind": "EndpointPickerConfig", "plugins": plugins,
            "schedulingProfiles": profiles, **extra}


GOOD = config([{"type": "queue-scorer"}, {"type": "lora-affinity-scorer"},
               {"type": "max-score-picker"}],
              [{"name": "default", "plugins": [{"pluginRef": "queue-scorer", "weight": 1},
                                               {"pluginRef": "lora-affinity-scorer"},
                                               {"pluginRef": "max-score-picker"}]}])


@pytest.mark.parametrize("cfg,expected", [
    (GOOD, []),
    # an unnamed plugin is named after its type (defaults.go l.108-111)
    (config([{"name": "q", "type": "queue-scorer"}],
            [{"name": "default", "plugins": [{"pluginRef": "queue-scorer"}]}]),
     ["schedulingProfiles[default] references undefined plugin 'queue-scorer'"]),
    (config([{"name": "q"}], []), ["plugin 'q' is missing a type"]),
    (config([{"name": "q", "type": "queue-scorer"}, {"name": "q", "type": "prefix-cache-scorer"}],
            []), ["duplicate plugin name 'q'"]),
    (config([{"type": "queue-scorer"}], [{"name": "a", "plugins": [{"weight": 2}]}]),
     ["schedulingProfiles[a].plugins[0] is missing a 'pluginRef'"]),
    (config([{"type": "queue-scorer"}], [{"name": "a"}, {"name": "a"}]),
     ["schedulingProfiles[1] has duplicate name 'a'", "no profile handler configured"]),
    (config([{"type": "queue-scorer"}], [{"name": "prefill"}, {"name": "decode"}]),
     ["no profile handler configured"]),
    (config([{"type": "single-profile-handler"}], [{"name": "prefill"}, {"name": "decode"}]),
     ["SingleProfileHandler cannot support multiple scheduling profiles"]),
    (config([{"type": "pd-profile-handler"}, {"type": "single-profile-handler"}], []),
     ["multiple profile handlers found ('pd-profile-handler', 'single-profile-handler'); "
      "only one is allowed"]),
    (config([{"type": "pd-profile-handler"}], [{"name": "prefill"}, {"name": "decode"}]), []),
    (config([], [], flowControl={"saturationDetector": {"pluginRef": "util"}}),
     ["saturation detector references undefined plugin 'util'"]),
    (config([], [], requestHandler={"parsers": [{"pluginRef": "openai-parser"}]}),
     ["parser references undefined plugin 'openai-parser'"]),
])
def test_problems_use_the_loaders_words(cfg, expected):
    assert epp_config.problems(cfg) == expected


def test_check_routes_reads_a_config_in_a_configmap(tmp_path):
    bad = config([{"type": "queue-scorer"}],
                 [{"name": "default", "plugins": [{"pluginRef": "lora-affinity-scorer"}]}])
    cm = {"apiVersion": "v1", "kind": "ConfigMap",
          "metadata": {"name": "epp-config", "namespace": "llm"},
          "data": {"config.yaml": yaml.safe_dump(bad), "other": "x: 1"}}
    good = {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "epp-ok", "namespace": "llm"},
            "data": {"config.yaml": yaml.safe_dump(GOOD)}}
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": [cm, good]}))
    proc = subprocess.run([sys.executable, str(SCRIPTS / "check_routes.py"), "-f", str(path),
                           "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    found = [f for f in json.loads(proc.stdout)["findings"]
             if f["cause"] == "endpoint_picker_misconfigured"]
    assert [f["object"]["name"] for f in found] == ["epp-config"]
    assert "references undefined plugin 'lora-affinity-scorer'" in found[0]["message"]
    assert "(data key config.yaml)" in found[0]["message"]


def _objective(pool: str, ns: str = "llm") -> dict:
    """llm-d-router v0.10.0 apix/v1alpha2: group llm-d.ai, spec{priority, poolRef}."""
    return {"apiVersion": "llm-d.ai/v1alpha2", "kind": "InferenceObjective",
            "metadata": {"name": "batch", "namespace": ns},
            "spec": {"priority": -1, "poolRef": {"name": pool}}}


POOL = {"apiVersion": "inference.networking.k8s.io/v1", "kind": "InferencePool",
        "metadata": {"name": "vllm", "namespace": "llm"},
        "spec": {"selector": {"matchLabels": {"app": "vllm"}}, "targetPorts": [{"number": 8000}],
                 "endpointPickerRef": {"name": "vllm-epp", "port": {"number": 9002}}}}


@pytest.mark.parametrize("objective,expected", [
    (_objective("vllm"), []),
    (_objective("vlm"), ["objective_pool_not_found"]),
])
def test_objective_pool_ref(tmp_path, objective, expected):
    path = tmp_path / "dump.yaml"
    path.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List",
                                    "items": [POOL, objective]}))
    proc = subprocess.run([sys.executable, str(SCRIPTS / "check_routes.py"), "-f", str(path),
                           "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    causes = [f["cause"] for f in json.loads(proc.stdout)["findings"]
              if f["object"]["kind"] == "InferenceObjective"]
    assert causes == expected


def _make_route(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPTS / "make_route.py"), *args],
                          capture_output=True, text=True, timeout=60)


def test_make_route_prints_llmd_objectives():
    proc = _make_route("pool", "llama", "-n", "llm", "--selector", "app=llama",
                       "--objective", "batch=-1", "--objective", "chat=10")
    assert proc.returncode == 0, proc.stderr
    docs = [d for d in yaml.safe_load_all(proc.stdout) if d]
    objectives = [d for d in docs if d["kind"] == "InferenceObjective"]
    assert [(o["apiVersion"], o["metadata"]["name"], o["spec"]) for o in objectives] == [
        ("llm-d.ai/v1alpha2", "batch", {"priority": -1, "poolRef": {"name": "llama"}}),
        ("llm-d.ai/v1alpha2", "chat", {"priority": 10, "poolRef": {"name": "llama"}})]
    assert "x-llm-d-inference-objective" in proc.stdout


@pytest.mark.parametrize("value", ["batch", "batch=high", "batch=4294967296"])
def test_make_route_bad_objective_is_one_line_exit_2(value):
    proc = _make_route("pool", "llama", "-n", "llm", "--selector", "app=llama",
                       "--objective", value)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "--objective" in proc.stderr
