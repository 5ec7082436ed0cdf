"""The round-22 held-out families of check_routes.py: a load balancer health probe that does
not follow the readiness probe, the AWS Gateway API controller's missing backend Service, a
listener Selector on the namespace-name label with no Namespace in the paste (and a route
YAML the stored copy cut inside its last line), a route kind accepted only on listeners of
another protocol, a backend Service looked up in the route's namespace, and a Gateway API
version a controller asks for that the installed CRD does not serve.

Expected values: the public thread each paste is quoted from (named at each test), gateway-api
v1.6.3 (apis/v1 shared_types.go RouteReasonNotAllowedByListeners, gateway_types.go
AllowedRoutes, BackendObjectReference.Namespace; config/crd), k8s.io/api v0.37.2
core/v1/well_known_labels.go (LabelMetadataName, set on every Namespace by kubernetes
v1.37.2 pkg/registry/core/namespace/strategy.go), aws-application-networking-k8s
pkg/gateway/model_build_targetgroup.go (`error finding backend service %s due to %s`) and
apiextensions-apiserver v0.37.2 (CustomResourceDefinitionVersion.Served)."""
from __future__ import annotations

from .conftest import problem_causes as _causes, paste_findings as _findings
from .conftest import paste_problems as _problems

import sys
from pathlib import Path

import pytest

KIT = Path(__file__).resolve().parents[3] / "skills" / "_shared"



# --- a health probe that does not follow the readiness probe ----------------------------------
# https://github.com/Azure/AKS/issues/5644 (Application Gateway for Containers)
AKS_5644 = ("**Describe the bug**\n\nApplication Gateway for Containers falls back to its "
            "default health probe (`/`) instead of using the backend pod `readinessProbe`.\n")


def test_a_default_probe_instead_of_the_readiness_probe(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, AKS_5644)
    assert [f["cause"] for f in found] == ["backend_health_check_failing"]
    assert found[0]["basis"] == "inferred" and found[0]["confirm"]
    assert "HealthCheckPolicy" in found[0]["fix"]


def test_a_health_check_on_the_readiness_path_is_no_fault(gw_run, tmp_path):
    text = ("The Gateway works: its health check uses the readinessProbe path /healthz and "
            "the backend is healthy.\n")
    assert "backend_health_check_failing" not in _causes(gw_run, tmp_path, text)


# --- the AWS Gateway API controller cannot find the backend Service --------------------------
# https://github.com/aws/aws-application-networking-k8s/issues/493: the log line as pasted
# (an issue editor's typographic quotes)
LATTICE_493 = ("By creating a route with no backing service, we will see errors like:\n\n```\n"
               "failed at BuildModel: {\u201clogger\u201d:\u201ccontroller.route\u201d,"
               "\u201ccaller\u201d:\u201ccontrollers/route_controller.go:282\u201d,\u201cmsg"
               "\u201d:\u201cbuildAndDeployModel, Failed build model for salmo-5-ok4zh8ytnj due "
               "to failed to build rules due to buildTargetGroupSpec err error finding backend "
               "service e2e-test/bugmu-2-tfbytur05o due to Service \\\u201cbugmu-2-tfbytur05o"
               "\\\u201d not found\u201d}\n```\n")


def test_lattice_backend_service_not_found(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, LATTICE_493)
    assert [f["cause"] for f in found] == ["backend_not_found"]
    assert found[0]["basis"] == "reported"
    assert "e2e-test/bugmu-2-tfbytur05o" in found[0]["fix"]


def test_the_same_wording_with_plain_quotes(gw_run, tmp_path):
    # model_build_targetgroup.go wrapping the API's NotFound as controller-runtime prints it
    text = ('{"level":"error","logger":"controller.route","msg":"Failed build model due to '
            'error finding backend service default/web due to Service \\"web\\" not found"}\n')
    assert _causes(gw_run, tmp_path, text)[:1] == ["backend_not_found"]


# --- a Selector on the namespace-name label, no Namespace in the paste ------------------------
# https://github.com/aws/aws-application-networking-k8s/issues/786: the Gateway, and the
# HTTPRoute the stored copy cut inside its last line (`rules` where `rules:` began)
LATTICE_786 = '''**Gateway definition**:
```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: my-hotel
  namespace: default
spec:
  gatewayClassName: amazon-vpc-lattice
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes:
        namespaces:
          from: Selector
          selector:
            matchExpressions:
              - key: kubernetes.io/metadata.name
                operator: In
                values:
                  - default
```

**Httproute definition**:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: db
  namespace: db
spec:
  parentRefs:
    - name: my-hotel
      namespace: default
      sectionName: http
  rules'''


def test_a_name_label_selector_is_decided_by_the_route_namespace(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, LATTICE_786)
    assert [f["cause"] for f in found] == ["not_allowed_by_listener"]
    assert found[0]["object"] == {"kind": "HTTPRoute", "namespace": "db", "name": "db"}
    assert any("kubernetes.io/metadata.name" in e for e in found[0]["evidence"])


def test_a_route_in_the_selected_namespace_attaches(gw_run, tmp_path):
    text = LATTICE_786.replace("  name: db\n  namespace: db\n", "  name: db\n  namespace: default\n")
    assert "not_allowed_by_listener" not in _causes(gw_run, tmp_path, text)


def test_a_selector_on_another_label_still_needs_the_namespace(gw_run, tmp_path):
    text = LATTICE_786.replace("key: kubernetes.io/metadata.name", "key: team")
    found = _findings(gw_run, tmp_path, text)
    assert "not_allowed_by_listener" not in [f["cause"] for f in found]
    assert "not_checked" in [f["cause"] for f in found]


@pytest.fixture
def loading():
    if str(KIT) not in sys.path:
        sys.path.insert(0, str(KIT))
    from k8s_skillkit import loading as module
    from k8s_skillkit.errors import InputError
    return module, InputError


def test_a_paste_cut_inside_its_last_line_is_read_without_it(loading):
    module, _ = loading
    text = LATTICE_786.split("**Httproute definition**:\n\n```yaml\n", 1)[1]
    dump = module.parse_paste(text, "paste.txt")
    route = next(o for o in dump if o.get("kind") == "HTTPRoute")
    assert route["spec"]["parentRefs"][0]["sectionName"] == "http"
    assert any("last line `rules`" in note for note in dump.unread)


def test_a_manifest_file_with_a_broken_last_line_is_still_refused(loading):
    # the manifests skill's malformed input (tests/resources/manifests/malformed.yaml)
    module, input_error = loading
    with pytest.raises(input_error):
        module.parse_documents("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n"
                               "  labels: [unclosed\n", "malformed.yaml")


# --- a route kind accepted only on listeners of another protocol ------------------------------
# https://github.com/Kong/kubernetes-ingress-controller/issues/4273 (KIC 2.x: GRPCRoute only
# among an HTTPS listener's supported kinds; fixed by #5128)
KIC_4273 = ("### Current Behavior\n\nI want to use grpcroute with http listener, but It seems "
            "to be supported only by https listeners.\nWe need grpcroute with http listener, "
            "because our servers do not use TLS.\n\n### Expected Behavior\n\nGRPCRoute should "
            "be supported by HTTP Listener.\n")


def test_a_kind_supported_only_on_https_listeners(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, KIC_4273)
    assert [f["cause"] for f in found] == ["not_allowed_by_listener"]
    assert "supportedKinds" in found[0]["confirm"]
    assert "GRPCRoute" in found[0]["fix"]


def test_an_expectation_alone_is_not_the_fault(gw_run, tmp_path):
    text = "### Expected Behavior\n\nGRPCRoute should be supported by HTTP Listener.\n"
    assert "not_allowed_by_listener" not in _causes(gw_run, tmp_path, text)


# --- a backend Service looked up in the route's namespace -------------------------------------
# https://github.com/linuxfoundation/lfx-self-serve/issues/1904 (the Problem section)
LFX_1904 = ("## Problem\n\nFive v2 backend services had been showing **Gateway route invalid** "
            "errors in staging for 282+ days.\n\n**Root cause:** The `httproute.yaml` Helm chart "
            "template in each service used `.Values.lfx.namespace` for the HTTPRoute metadata "
            "namespace. The chart default for this value was `lfx` (intended for local dev). "
            "The Gateway then looked for the backend Service in `lfx`, but each Service lives "
            "in its own namespace (`project-service`, `committee-service`, etc.).\n")


def test_a_service_looked_up_where_it_does_not_live(gw_run, tmp_path):
    found = _problems(gw_run, tmp_path, LFX_1904)
    assert [f["cause"] for f in found] == ["backend_not_found"]
    assert found[0]["evidence"][0].startswith("The Gateway then looked for the backend Service")
    assert "ReferenceGrant" in found[0]["fix"]


# --- a version the installed CRD does not serve -----------------------------------------------
# https://github.com/linkerd/linkerd2/issues/13334: the reporter's follow-up, with the served
# versions of the grpcroutes CRD Traefik's chart installed
LINKERD_13334 = '''Deploying version `2024.11.3` linkerd-control-plane does not work because the `policy` container in `linkerd-destination` deployment crash loop backoffs.

For sure related to https://github.com/linkerd/linkerd2/issues/13032 but it isn't clear how to solve (trying to make HTTP request for `https://10.43.0.1/apis/gateway.networking.k8s.io/v1alpha2` instead of `https://10.43.0.1/apis/gateway.networking.k8s.io/v1`

```
$ kubectl get crd grpcroutes.gateway.networking.k8s.io -o json | jq -r '.spec.versions[] | .name + " served=" + (.served | tostring)'
v1 served=true
```
'''


def test_a_requested_version_the_crd_does_not_serve(gw_run, tmp_path):
    # the CRD serves a newer version (v1) than the one asked for: the bundle is newer than the
    # controller (gateway-api v1.1.0 standard: grpcroutes v1 served, v1alpha2 served: false)
    found = _problems(gw_run, tmp_path, LINKERD_13334)
    assert [f["cause"] for f in found] == ["crd_version_unsupported"]
    assert found[0]["object"]["name"] == "grpcroutes.gateway.networking.k8s.io"
    assert found[0]["confirm"] == "kubectl get --raw /apis/gateway.networking.k8s.io/v1alpha2"


def test_a_served_version_is_no_fault(gw_run, tmp_path):
    # the experimental bundle of the time served v1alpha2 too (linkerd/linkerd2#13032)
    text = LINKERD_13334.replace("v1 served=true\n", "v1 served=true\nv1alpha2 served=true\n")
    causes = _causes(gw_run, tmp_path, text)
    assert "crd_not_installed" not in causes and "crd_version_unsupported" not in causes


def test_a_crd_object_says_which_versions_it_serves(gw_run, tmp_path):
    # config/crd/standard/gateway.networking.k8s.io_grpcroutes.yaml (v1.6.3): v1 alone
    text = ('The controller logs requests to /apis/gateway.networking.k8s.io/v1alpha2/grpcroutes '
            'that fail.\n---\napiVersion: apiextensions.k8s.io/v1\nkind: '
            'CustomResourceDefinition\nmetadata:\n  name: grpcroutes.gateway.networking.k8s.io\n'
            'spec:\n  group: gateway.networking.k8s.io\n  names: {kind: GRPCRoute, plural: '
            'grpcroutes}\n  scope: Namespaced\n  versions:\n  - {name: v1, served: true, '
            'storage: true}\n')
    # (v1 is newer than the v1alpha2 asked for: the CRD is newer than the controller)
    assert _causes(gw_run, tmp_path, text)[:1] == ["crd_version_unsupported"]
