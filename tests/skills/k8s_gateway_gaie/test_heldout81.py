"""Held-out round 81 of check_routes.py. Ground truth (Gateway API Inference Extension):

- The EPP's config loader refuses a plugin type its binary does not register: `plugin type
  '%s' is not found in registry` up to v1.2 (pkg/epp/config/loader/configloader.go@v1.0.2:134),
  `plugin type '%s' is not registered` from v1.3.0 (configloader.go@v1.3.0:134, @v1.5.0:187),
  with `duplicate plugin name '%s'` (@v1.5.0:181); defaults.go@v1.5.0:337 `plugin type '%s' not
  found in registry`. The README table of andyzhangx/demo (llm/pd-disaggregation/kaito) quotes
  the v1.5 form for an llm-d-inference-scheduler plugin of another release.
- The EPP keeps a pod in its datastore only when it is Ready and carries the pool selector's
  labels (pkg/epp/controller/pod_reconciler.go@v1.5.0:92); with none it answers `no pods
  available in datastore` (pkg/epp/handlers/request.go@v1.5.0:48), the v1.6 lightweight picker
  `Unavailable desc = no pods available` (pkg/lwepp/handlers/request.go@v1.6.0:101). The line
  alone does not say whether the selector or readiness emptied it: inferred, with the command
  that tells; the pasted pool and pods decide when present.
"""
from __future__ import annotations

import pytest

from .conftest import paste_findings
from .conftest import problem_causes as _causes

# the README table's cells as written
_KAITO_PLUGIN = "epp crash: `plugin type 'token-producer' is not registered`\n"
_KAITO_DATASTORE = "epp error: `no pods available in datastore`\n"

# the v1.5 picker's JSON log of a body-less request (common_tests.go@v1.5.0:318 wording)
_EPP_LOG = ('{"level":"error","ts":"2026-01-01T00:00:00Z","logger":"epp","msg":"Failed to '
            'process request","error":"inference error: Internal - no pods available in '
            'datastore"}\n')

_POOL_AND_POD = """\
apiVersion: v1
kind: List
items:
- apiVersion: inference.networking.k8s.io/v1
  kind: InferencePool
  metadata: {name: qwen, namespace: llm}
  spec:
    selector:
      matchLabels: {app: qwen}
    targetPorts: [{number: 8000}]
    endpointPickerRef: {name: qwen-epp, port: {number: 9002}}
- apiVersion: v1
  kind: Pod
  metadata: {name: qwen-0, namespace: llm, labels: {app: LABEL}}
  spec:
    containers: [{name: vllm, image: vllm, ports: [{containerPort: 8000}]}]
  status:
    phase: Running
    conditions: [{type: Ready, status: "READY"}]
    containerStatuses: [{name: vllm, ready: READYLOWER, started: true, state: {running: {}}}]
"""


def _dump(label: str, ready: bool) -> str:
    return (_POOL_AND_POD.replace("LABEL", label)
            .replace("READYLOWER", str(ready).lower()).replace("READY", str(ready))
            + "# kubectl logs deploy/qwen-epp\n" + _EPP_LOG)


# --- plugin type not registered -------------------------------------------------------------

def test_kaito_readme_unregistered_plugin(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _KAITO_PLUGIN)[:1] == ["endpoint_picker_misconfigured"]


@pytest.mark.parametrize("line", [
    # v1.0.2 wording, as a klog-style startup error
    "E0101 00:00:00.000000 1 main.go:40] failed to load config: plugin type 'foo-scorer' is not "
    "found in registry",
    # v1.5.0 defaults.go, in a zap JSON log
    '{"level":"error","msg":"failed to load the configuration","error":"plugin type '
    '\'single-profile-handler\' not found in registry"}',
    "Error: failed to instantiate plugins: duplicate plugin name 'scorer'",
])
def test_other_loader_wordings(gw_run, tmp_path, line):
    assert _causes(gw_run, tmp_path, line + "\n")[:1] == ["endpoint_picker_misconfigured"]


def test_a_registered_plugin_is_no_refusal(gw_run, tmp_path):
    text = "epp log: `plugin type 'prefix-cache-scorer' is registered`\n"
    assert "endpoint_picker_misconfigured" not in _causes(gw_run, tmp_path, text)


# --- empty datastore --------------------------------------------------------------------------

def test_kaito_readme_empty_datastore_is_inferred(gw_run, tmp_path):
    found = [f for f in paste_findings(gw_run, tmp_path, _KAITO_DATASTORE)
             if f["severity"] != "info"]
    assert [(f["cause"], f["basis"]) for f in found][:1] == [("pool_selects_no_pods", "inferred")]
    assert "-l <the pool's spec.selector.matchLabels" in found[0]["confirm"]
    assert "pool_pods_not_ready" in found[0]["message"]   # the other reading is named


def test_lightweight_picker_wording(gw_run, tmp_path):
    text = ("upstream connect error: ext_proc error: rpc error: code = Unavailable desc = no "
            "pods available\n")
    assert _causes(gw_run, tmp_path, text)[:1] == ["pool_selects_no_pods"]


def test_pasted_pods_not_ready_decide(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, _dump("qwen", ready=False))
    problems = [(f["cause"], f["object"]["kind"]) for f in found if f["severity"] != "info"]
    assert problems == [("pool_pods_not_ready", "InferencePool")]


def test_pasted_unselected_pods_decide(gw_run, tmp_path):
    found = paste_findings(gw_run, tmp_path, _dump("other", ready=True))
    problems = [(f["cause"], f["object"]["kind"]) for f in found if f["severity"] != "info"]
    assert problems == [("pool_selects_no_pods", "InferencePool")]


def test_scheduler_filters_are_not_an_empty_datastore(gw_run, tmp_path):
    # scheduler_profile.go@v1.0.2:120: the profile's filters left no pod for this request;
    # the datastore was not empty
    text = "epp: inference error: Internal - no pods available for the given request\n"
    assert "pool_selects_no_pods" not in _causes(gw_run, tmp_path, text)
