"""Held-out round 79 of check_routes.py: a controller that cannot decode the Gateway API
objects it lists because they were written under another release's schema. Ground truth:

- client-go's reflector wraps the list error as "failed to list %v: %w" (k8s.io/client-go
  v0.37.2 tools/cache/reflector.go:747) and the decoder's as "json: cannot unmarshal <value>
  into Go struct field <Struct>.<path> of type <T>" (sigs.k8s.io/json internal/golang/
  encoding/json/decode.go:137); istiod logs it as "watch error in cluster %s: %v" (istio
  pilot/pkg/util/informermetric/informerutil.go:54).
- GatewayClass status.supportedFeatures are strings in Gateway API v1.1 and objects from v1.2
  (gateway-api apis/v1/gatewayclass_types.go v1.1.0:274 `type SupportedFeature string`,
  v1.2.0:286 `type SupportedFeature struct`).
- istio/istio#53846: istiod 1.24 on v1.1 CRDs; the maintainer names the breaking change of
  the Gateway API release as the cause.
"""
from __future__ import annotations

from .conftest import problem_causes as _causes

# istio/istio#53846 as the reporter pasted it
_ISTIO_53846 = """\
2024-11-09T14:16:18.383340Z     error   watch error in cluster neo: failed to list \
*v1beta1.GatewayClass: json: cannot unmarshal string into Go struct field \
GatewayClassStatus.items.status.supportedFeatures of type v1.SupportedFeature

is an error reported with GW API 1.1 and Istio 1.24.
"""

# the other direction and another logger: a controller-runtime program built on v1.1 types
# (a string) reading objects a v1.2+ controller wrote (an object), as client-go v0.31's
# DefaultWatchErrorHandler logs it ("%s: Failed to watch %v: %v", tools/cache/reflector.go
# v0.31.2:158); names invented
_CLIENT_GO_031 = """\
E1120 10:02:11.123456       1 reflector.go:158] "Unhandled Error" \
err="pkg/mod/k8s.io/client-go@v0.31.2/tools/cache/reflector.go:243: Failed to watch \
*v1.GatewayClass: failed to list *v1.GatewayClass: json: cannot unmarshal object into Go \
struct field GatewayClassStatus.items.status.supportedFeatures of type v1.SupportedFeature" \
logger="UnhandledError"
"""

# client-go v0.37's structured form ("Failed to watch" with err=, tools/cache/reflector.go
# v0.37.2:227) for a route kind; names invented
_CLIENT_GO_037 = """\
E0301 08:00:00.000000       1 reflector.go:227] "Failed to watch" err="failed to list \
*v1.HTTPRoute: json: cannot unmarshal string into Go struct field HTTPRouteSpec.items.spec.\
rules of type []v1.HTTPRouteRule" reflector="sigs.k8s.io/controller-runtime/pkg/cache/\
internal/informers.go:106" type="*v1.HTTPRoute"
"""


def test_istiod_cannot_decode_gatewayclass_is_crd_version(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _ISTIO_53846)[0] == "crd_version_unsupported"


def test_reflector_decode_error_other_forms(gw_run, tmp_path):
    assert _causes(gw_run, tmp_path, _CLIENT_GO_031)[0] == "crd_version_unsupported"
    assert _causes(gw_run, tmp_path, _CLIENT_GO_037)[0] == "crd_version_unsupported"


def test_decode_error_of_other_kind_is_not_crd_version(gw_run, tmp_path):
    # the same decode failure for a core kind says nothing of the Gateway API CRDs
    text = "the gateway controller logs:\n" + _ISTIO_53846.splitlines()[0].replace(
        "*v1beta1.GatewayClass", "*v1.Service").replace(
        "GatewayClassStatus.items.status.supportedFeatures of type v1.SupportedFeature",
        "ServiceSpec.items.spec.ports of type []v1.ServicePort") + "\n"
    assert "failed to list *v1.Service" in text
    assert _causes(gw_run, tmp_path, text) == []


def test_controller_config_decode_error_is_not_crd_version(gw_run, tmp_path):
    # a controller's own configuration file it cannot decode is not a list of a Gateway API
    # kind (an EnvoyGateway config with a string where an object belongs; invented)
    text = ('the gateway controller logs:\nfailed to load configuration: json: cannot '
            'unmarshal string into Go struct field EnvoyGatewaySpec.gateway of type '
            'v1alpha1.Gateway\n')
    assert "crd_version_unsupported" not in _causes(gw_run, tmp_path, text)


def test_list_not_found_stays_crd_not_installed(gw_run, tmp_path):
    text = ('2024-11-09T14:16:18.383340Z     error   watch error in cluster neo: failed to list '
            '*v1beta1.GatewayClass: the server could not find the requested resource\n')
    assert _causes(gw_run, tmp_path, text)[0] == "crd_not_installed"
