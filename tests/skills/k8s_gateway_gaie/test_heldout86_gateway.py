"""Round-86 held-out families of check_routes.py (group gateway): a ValidatingAdmissionPolicy
refusing the Gateway API CRDs themselves, a controller saying the Gateway API CRDs are absent
while the paste lists them installed, and Envoy Gateway's lookup of its own not yet
provisioned proxy Service.

Expected values: gateway-api config/crd/{standard,experimental}/
gateway.networking.k8s.io_vap_safeupgrades.yaml (v1.5.0..v1.6.1) and CHANGELOG/1.5-CHANGELOG.md
"Upgrades and ValidatingAdmissionPolicy"; hcloud-k8s/terraform-hcloud-kubernetes#349 and
kubernetes-sigs/external-dns#6367 (GKE's managed standard-channel policy);
cert-manager pkg/controller/context.go (v1.13.0..v1.19) and cert-manager/cert-manager#6649;
envoyproxy/gateway internal/provider/kubernetes/controller.go v1.5.0 (processServiceCluster,
processBackendRefs :618), internal/infrastructure/kubernetes/proxy/resource.go
ExpectedResourceHashedName, envoyproxy/gateway#6814, #7072, fixed by PR #7424."""
from __future__ import annotations

import pytest

from .conftest import paste_findings as _findings
from .conftest import paste_problems as _problems
from .conftest import problem_causes as _causes



# --- a ValidatingAdmissionPolicy refusing a Gateway API CRD --------------------------------

def test_safe_upgrades_policy_refusing_an_older_bundle_wrapped(gw_run, tmp_path):
    # the held-out lines (hcloud-k8s/terraform-hcloud-kubernetes#349), wrapped as pasted
    text = ('customresourcedefinitions.apiextensions.k8s.io "backendtlspolicies.gateway.'
            'networking.k8s.io" is forbidden:\n'
            "ValidatingAdmissionPolicy 'safe-upgrades.gateway.networking.k8s.io' with binding\n"
            "'safe-upgrades.gateway.networking.k8s.io' denied request: Installing CRDs with "
            "version before\n"
            "v1.5.0 is prohibited by default. Uninstall ValidatingAdmissionPolicy\n"
            "safe-upgrades.gateway.networking.k8s.io to install older versions.\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["admission_webhook_denied"], found
    assert found[0]["basis"] == "reported"
    assert "older Gateway API CRD bundle" in found[0]["fix"], found
    assert "backendtlspolicies.gateway.networking.k8s.io" in found[0]["fix"], found


def test_managed_standard_channel_policy_refusing_an_experimental_crd(gw_run, tmp_path):
    # the held-out line (kubernetes-sigs/external-dns#6367, a GitOps sync error on GKE 1.34)
    text = ("Failed last sync attempt to [1.6.1 0123abcd]: one or more objects failed to "
            'apply, reason: customresourcedefinitions.apiextensions.k8s.io "tlsroutes.gateway.'
            "networking.k8s.io\" is forbidden: ValidatingAdmissionPolicy 'standard-only' with "
            "binding 'standard-only-binding' denied request: All Gateway API CRDs must belong "
            "to the 'standard' channel. Experimental CRDs are not permitted.\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["admission_webhook_denied"], found
    assert "standard-channel" in found[0]["fix"], found


@pytest.mark.parametrize("message,hint", [
    # v1.5.0+ both channels: experimental over standard
    ("Installing experimental CRDs on top of standard channel CRDs is prohibited by default. "
     "Uninstall ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io to install "
     "experimental CRDs on top of standard channel CRDs.", "standard-channel"),
    # v1.6 experimental bundle's release rule
    ("Installing CRDs with version other than v0.0.0-dev or v1.5+ is prohibited by default. "
     "Uninstall ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io to install "
     "other versions.", "older Gateway API CRD bundle"),
])
def test_safe_upgrades_wordings_in_kubectl_and_helm_form(gw_run, tmp_path, message, hint):
    text = ("Error: UPGRADE FAILED: failed to create resource: The CustomResourceDefinition "
            '"tcproutes.gateway.networking.k8s.io" is invalid: : ValidatingAdmissionPolicy '
            "'safe-upgrades.gateway.networking.k8s.io' with binding 'safe-upgrades.gateway."
            f"networking.k8s.io' denied request: {message}\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["admission_webhook_denied"], found
    assert hint in found[0]["fix"], found


def test_an_admins_policy_refusing_a_route_names_the_policy(gw_run, tmp_path):
    text = ("$ kubectl apply -f route.yaml\n"
            "The httproutes \"web\" is invalid: : ValidatingAdmissionPolicy 'require-hostnames' "
            "with binding 'require-hostnames-b' denied request: routes must set hostnames\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["admission_webhook_denied"], found
    assert "require-hostnames" in found[0]["fix"], found
    assert "channel" not in found[0]["fix"], found


def test_a_policy_warning_refuses_nothing(gw_run, tmp_path):
    # the Warn action prints a warning and the object is created
    text = ("$ kubectl apply -f route.yaml\n"
            "Warning: Validation failed for ValidatingAdmissionPolicy 'require-hostnames' with "
            "binding 'require-hostnames-b': routes should set hostnames\n"
            "httproute.gateway.networking.k8s.io/web created\n")
    assert "admission_webhook_denied" not in _causes(gw_run, tmp_path, text)


# --- "the Gateway API CRDs are absent" while the paste lists them --------------------------

_CERT_MANAGER = ('E0117 14:18:32.221936       1 main.go:39] "error executing command" err="the '
                 "Gateway API CRDs do not seem to be present, but ExperimentalGatewayAPISupport "
                 "is set to true. Please install the gateway-api CRDs. (the server could not "
                 'find the requested resource)" logger="cert-manager"\n')


def test_cert_manager_beside_a_crd_listing_is_an_unserved_version(gw_run, tmp_path):
    # the held-out lines (cert-manager/cert-manager#6649: GKE's v1beta1-only CRDs)
    text = (_CERT_MANAGER + "\n$ kubectl get crd | grep -i gateway\n"
            "gatewayclasses.gateway.networking.k8s.io                            "
            "2023-09-12T10:27:24Z\n"
            "gateways.gateway.networking.k8s.io                                  "
            "2023-09-12T10:27:24Z\n"
            "gcpgatewaypolicies.networking.gke.io                                "
            "2023-09-12T10:27:24Z\n"
            "httproutes.gateway.networking.k8s.io                                "
            "2023-09-12T10:27:24Z\n"
            "referencegrants.gateway.networking.k8s.io                           "
            "2023-09-12T10:27:25Z\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["crd_version_unsupported"], found
    assert found[0]["basis"] == "inferred" and found[0]["confirm"], found


def test_api_resources_rows_show_the_served_version(gw_run, tmp_path):
    text = (_CERT_MANAGER + "\n$ kubectl api-resources --api-group=gateway.networking.k8s.io\n"
            "NAME              SHORTNAMES   APIVERSION                           NAMESPACED   KIND\n"
            "gatewayclasses    gc           gateway.networking.k8s.io/v1beta1    false        "
            "GatewayClass\n"
            "gateways          gtw          gateway.networking.k8s.io/v1beta1    true         "
            "Gateway\n"
            "httproutes                     gateway.networking.k8s.io/v1beta1    true         "
            "HTTPRoute\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["crd_version_unsupported"], found
    assert "serves v1beta1" in found[0]["message"], found


def test_client_go_discovery_of_a_version_beside_the_listed_crds(gw_run, tmp_path):
    text = ('level=error msg="unable to retrieve the complete list of server APIs: '
            'gateway.networking.k8s.io/v1alpha2: the server could not find the requested '
            'resource"\n\n$ kubectl get crd\n'
            "NAME                                        CREATED AT\n"
            "gatewayclasses.gateway.networking.k8s.io    2025-01-10T08:00:00Z\n"
            "gateways.gateway.networking.k8s.io          2025-01-10T08:00:00Z\n"
            "httproutes.gateway.networking.k8s.io        2025-01-10T08:00:00Z\n")
    found = _problems(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["crd_version_unsupported"], found
    assert "(v1alpha2)" in found[0]["message"], found


@pytest.mark.parametrize("listing", [
    "",                                                     # nothing listed
    "\n$ kubectl get crd | grep -i gateway\n"               # only another group's CRD
    "gcpgatewaypolicies.networking.gke.io                  2023-09-12T10:27:24Z\n",
])
def test_cert_manager_without_the_group_listed_stays_not_installed(gw_run, tmp_path, listing):
    assert _causes(gw_run, tmp_path, _CERT_MANAGER + listing) == ["crd_not_installed"]


# --- Envoy Gateway's lookup of its own proxy Service ----------------------------------------

def test_merged_gateways_proxy_service_lookup_is_noise(gw_run, tmp_path):
    # the held-out line (envoyproxy/gateway#7072, posted by the maintainer)
    text = ("2025-09-26T08:03:56.650Z\tERROR\tprovider\tkubernetes/controller.go:618\tfailed to "
            'get Service\t{"runner": "provider", "namespace": "envoy-gateway-system", "name": '
            '"envoy-merge-gateways-89bb74d4", "error": "Service \\"envoy-merge-gateways-89bb74d4'
            '\\" not found"}\n')
    found = _findings(gw_run, tmp_path, text)
    assert not [f for f in found if f["severity"] != "info"], found
    assert [f["cause"] for f in found] == ["proxy_not_provisioned"], found


def test_a_gateways_proxy_service_lookup_in_json_logs_is_noise(gw_run, tmp_path):
    text = ('{"level":"error","ts":"2025-08-01T10:00:00.000Z","logger":"provider","caller":'
            '"kubernetes/controller.go:620","msg":"failed to get Service","runner":"provider",'
            '"namespace":"envoy-gateway-system","name":"envoy-default-eg-e41e7b31","error":'
            '"Service \\"envoy-default-eg-e41e7b31\\" not found"}\n')
    found = _findings(gw_run, tmp_path, text)
    assert [f["cause"] for f in found] == ["proxy_not_provisioned"], found


def test_a_users_backend_service_lookup_stays_a_missing_backend(gw_run, tmp_path):
    text = ("2025-09-26T08:03:56.650Z\tERROR\tprovider\tkubernetes/controller.go:618\tfailed to "
            'get Service\t{"runner": "provider", "namespace": "default", "name": "backend", '
            '"error": "Service \\"backend\\" not found"}\n')
    assert _causes(gw_run, tmp_path, text) == ["backend_not_found"]


def test_a_proxy_named_service_a_route_references_stays_a_missing_backend(gw_run, tmp_path):
    text = ("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n"
            "  namespace: envoy-gateway-system\nspec:\n  parentRefs:\n  - name: eg\n  rules:\n"
            "  - backendRefs:\n    - name: envoy-default-eg-e41e7b31\n      port: 80\n"
            "---\n"
            "# 2025-09-26T08:03:56.650Z ERROR provider failed to get Service\n")
    log = ("2025-09-26T08:03:56.650Z\tERROR\tprovider\tkubernetes/controller.go:618\tfailed to "
           'get Service\t{"runner": "provider", "namespace": "envoy-gateway-system", "name": '
           '"envoy-default-eg-e41e7b31", "error": "Service \\"envoy-default-eg-e41e7b31\\" not '
           'found"}\n')
    causes = _causes(gw_run, tmp_path, text + log)
    assert "backend_not_found" in causes, causes
