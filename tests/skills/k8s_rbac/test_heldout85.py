"""Held-out round 85 (audit_rbac.py): a namespace's default ServiceAccount refused a custom resource.

A custom resource is granted only by the RBAC its operator or chart ships, bound to the
workload's own ServiceAccount (built-in roles name no custom group, kubernetes v1.37.2
plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go; kubebuilder's manager-rolebinding
names ServiceAccount controller-manager). trustyai-explainability/trustyai-service-operator#15:
the manager ran as the e2e namespace's default ServiceAccount and was denied its own kind; the
maintainer: "caused by the operator's incorrect deployment (no fix needed)".
"""
from __future__ import annotations

import pytest

from _rbac.prose import custom_group

from .test_rbac_prose import _audit

# trustyai-service-operator#15 as reported (lines broken by the reporter)
TRUSTYAI_15 = """W0531 14:29:13.095041 1 reflector.go:424] go/pkg/mod/k8s.io/client-go@v0.26.1/tools/cache/reflector.go:169: 
failed to list *v1alpha1.TrustyAIService: trustyaiservices.trustyai.opendatahub.io.trustyai.opendatahub.io is forbidden: 
User "system:serviceaccount:trustyai-e2e:default" cannot list resource "trustyaiservices" in API group "trustyai.opendatahub.io.trustyai.opendatahub.io" at the cluster scope

E0531 14:29:13.095076 1 reflector.go:140] go/pkg/mod/k8s.io/client-go@v0.26.1/tools/cache/reflector.go:169: 
Failed to watch *v1alpha1.TrustyAIService: failed to list *v1alpha1.TrustyAIService: trustyaiservices.trustyai.opendatahub.io.trustyai.opendatahub.io is forbidden: 
User "system:serviceaccount:trustyai-e2e:default" cannot list resource "trustyaiservices" in API group "trustyai.opendatahub.io.trustyai.opendatahub.io" at the cluster scope
"""  # noqa: W291


def _causes(found: list[dict]) -> list[tuple[str, str]]:
    return [(f["cause"], f["basis"]) for f in found]


def test_the_thread_paste_is_the_default_service_account(script, tmp_path):
    found = _audit(script, tmp_path, TRUSTYAI_15)
    assert _causes(found)[0] == ("default_service_account_used", "inferred"), found
    assert "trustyaiservices" in found[0]["message"], found
    assert found[0]["confirm"].startswith("kubectl get pods -n trustyai-e2e"), found
    # the denial stays, as the reported evidence the inference explains
    assert ("access_denied", "reported") in _causes(found), found


@pytest.mark.parametrize("text", [
    # 1.6-1.10 wording: resource.group, no "resource ... in API group"
    'F0101 10:00:00.000000 1 main.go:80] widgets.example.com is forbidden: User '
    '"system:serviceaccount:ops:default" cannot list widgets.example.com at the cluster scope\n',
    # controller-runtime's structured log, the error JSON-quoted, namespaced request
    '2024-03-01T10:00:00Z\tERROR\tcontroller-runtime.cache.UnhandledError\tFailed to watch\t'
    '{"type": "*v1beta1.Cluster", "error": "clusters.cluster.x-k8s.io is forbidden: User '
    '\\"system:serviceaccount:capz:default\\" cannot list resource \\"clusters\\" in API group '
    '\\"cluster.x-k8s.io\\" in the namespace \\"capz\\""}\n',
])
def test_other_wordings_of_a_custom_resource_denied_to_default(script, tmp_path, text):
    found = _audit(script, tmp_path, text)
    assert _causes(found)[0] == ("default_service_account_used", "inferred"), found


@pytest.mark.parametrize("text", [
    # a built-in kind denied to default is a missing rule (cluster-api#1600)
    'Failed to list *v1.ConfigMap: configmaps is forbidden: User '
    '"system:serviceaccount:ops:default" cannot list resource "configmaps" in API group "" at '
    'the cluster scope\n',
    # OpenShift's built-in routes: platform API, built-in roles grant it
    'routes.route.openshift.io is forbidden: User "system:serviceaccount:ops:default" cannot '
    'list resource "routes" in API group "route.openshift.io" in the namespace "ops"\n',
    # a CRD group under k8s.io stays with the built-ins (no change from before)
    'volumesnapshots.snapshot.storage.k8s.io is forbidden: User '
    '"system:serviceaccount:ops:default" cannot list resource "volumesnapshots" in API group '
    '"snapshot.storage.k8s.io" at the cluster scope\n',
])
def test_default_denied_a_built_in_kind_stays_a_missing_rule(script, tmp_path, text):
    found = _audit(script, tmp_path, text)
    assert _causes(found)[0] == ("missing_permission", "reported"), found


def test_a_named_service_account_denied_a_custom_resource_is_a_missing_rule(script, tmp_path):
    found = _audit(script, tmp_path, TRUSTYAI_15.replace("trustyai-e2e:default",
                                                         "trustyai-e2e:controller-manager"))
    assert _causes(found)[0] == ("missing_permission", "reported"), found
    assert "default_service_account_used" not in {f["cause"] for f in found}, found


@pytest.mark.parametrize("group,custom", [
    ("", False), ("apps", False), ("extensions", False), ("coordination.k8s.io", False),
    ("metrics.k8s.io", False), ("route.openshift.io", False), ("argoproj.io", True),
    ("cluster.x-k8s.io", True), ("monitoring.coreos.com", True),
])
def test_custom_group(group, custom):
    assert custom_group(group) is custom
