"""Round-36 family of check_routes.py: a report that InferenceModel no longer exists (GAIE
v1.0.0 replaced it with InferenceObjective, gateway-api-inference-extension PR #1255), read
also when Markdown wraps the sentence over lines (defilantech/LLMKube#1725, verbatim)."""
from __future__ import annotations

from .conftest import problem_causes as _causes

LLMKUBE = ("`dataPlane: AgentGateway` can never activate against a current Gateway API\n"
           "Inference Extension install, because its CRD-presence gate requires a kind GIE\n"
           "has removed.\n\n`InferencePool` exists at `inference.networking.k8s.io/v1`. "
           "**`InferenceModel`\ndoes not exist at all.** GIE renamed it to `InferenceObjective`. "
           "On our cluster:\n\n```\n$ kubectl api-resources --api-group=inference.networking.k8s.io"
           "\nNAME             SHORTNAMES   APIVERSION                      KIND\ninferencepools   "
           "infpool      inference.networking.k8s.io/v1  InferencePool\n```\n")


def test_a_wrapped_sentence_saying_inferencemodel_is_gone(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, LLMKUBE) == ["outdated_inference_api"]


def test_yaml_lines_are_not_joined_into_a_sentence(gw_run, tmp_path):
    # two listeners on one port with distinct hostnames are no conflict, whatever their joined
    # lines happen to contain
    text = ("The gateway below works.\n\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
            "metadata:\n  name: gw\n  namespace: default\nspec:\n  gatewayClassName: istio\n"
            "  listeners:\n  - name: a\n    hostname: a.example.com\n    port: 443\n"
            "    protocol: HTTPS\n  - name: b\n    hostname: b.example.com\n    port: 443\n"
            "    protocol: HTTPS\n")
    assert "listener_conflict" not in _causes(gw_run, tmp_path, text)
