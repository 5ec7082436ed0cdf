"""Held-out round 79 (Kueue): a conversion webhook call failing its CA for a kind Kueue never
converts, and Kueue's informer refused by its own ClusterRole.

Ground truth:
- kubernetes-sigs/kueue#4850 (v0.11.2, Helm, internal certs): `kubectl get topology` ->
  `conversion webhook for kueue.x-k8s.io/v1alpha1, Kind=Topology failed: Post ...: tls: failed
  to verify certificate: x509: certificate signed by unknown authority`, the controller logging
  `http: TLS handshake error ... remote error: tls: bad certificate`. v0.11.2's Topology CRD
  served a stray v1beta1 beside v1alpha1 with `strategy: Webhook`
  (charts/kueue/templates/crd/kueue.x-k8s.io_topologies.yaml@v0.11.2), and Kueue's cert rotator
  injected a CA into no CRD before v0.15 (pkg/util/cert/cert.go; from v0.15.0 only localqueues,
  clusterqueues, workloads, cohorts, multikueueclusters); fixed in v0.11.3 by #4873 (#4866).
  Wordings: apiextensions-apiserver v0.37.2 pkg/apiserver/conversion/webhook_converter.go:286;
  Go crypto/x509/verify.go:157 (the hint form), crypto/tls/common.go:1817 (Go 1.20+ prefix).
- kubernetes-sigs/kueue#564 (v0.2.1): `Failed to watch *v1.RuntimeClass: unknown (get
  runtimeclasses.node.k8s.io)` every 30s; the role granted runtimeclasses get;list only
  (config/components/rbac/role.yaml@v0.2.1), fixed by PR #565 (ff1d8ea, v0.3.0). "unknown" is
  client-go's message for a non-text error body (rest/request.go:1215@v0.25.6), kept for a 403
  by apimachinery (pkg/api/errors/errors.go:455-458@v0.25.6). Reflector layouts: client-go
  v0.25.6 reflector.go:140 / :424, v0.31.2 :158 / :561, v0.37.2 :227 / :747. Forbidden text:
  k8s.io/apiserver v0.37.2 pkg/endpoints/handlers/responsewriters/errors.go:79.
"""
from __future__ import annotations

import pytest

from .test_kueue_heldout75 import _findings

# kueue#4850, the reporter's lines
TOPOLOGY_X509 = (
    "$ kubectl get topology\n"
    'Error from server: conversion webhook for kueue.x-k8s.io/v1alpha1, Kind=Topology failed: '
    'Post "https://kueue-webhook-service.mlops-services.svc:443/convert?timeout=30s": tls: '
    "failed to verify certificate: x509: certificate signed by unknown authority\n"
    "Moroever, I also see a lot of TLS error in the controller logs:\n"
    "2025/03/31 23:55:55 http: TLS handshake error from 172.17.0.3:32593: remote error: tls: "
    "bad certificate\n")

# the same refusal before Go 1.20 (no `tls: failed to verify certificate:` prefix), with
# x509's hint, as an API server's JSON log quotes it, for another kind Kueue does not convert
OLD_GO_HINT = (
    '{"level":"error","msg":"conversion failed","err":"conversion webhook for '
    'kueue.x-k8s.io/v1beta1, Kind=AdmissionCheck failed: Post \\"https://kueue-webhook-service.'
    'kueue-system.svc:443/convert?timeout=30s\\": x509: certificate signed by unknown authority '
    '(possibly because of \\"crypto/rsa: verification error\\" while trying to verify candidate '
    'authority certificate \\"kueue-ca\\")"}\n')


def test_topology_conversion_ca_is_a_kueue_bug_not_the_controller_down():
    found = _findings(TOPOLOGY_X509)
    first = found[0]
    assert first["cause"] == "kueue_bug"
    assert first["basis"] == "reported"
    assert first["object"]["name"] == "topologies.kueue.x-k8s.io"
    assert any("TLS handshake error" in e for e in first["evidence"])
    assert "v0.11.3" in first["fix"]
    assert not any(f["cause"] == "kueue_controller_down" for f in found)


def test_older_go_wording_for_another_unconverted_kind():
    first = _findings(OLD_GO_HINT)[0]
    assert first["cause"] == "kueue_bug"
    assert first["object"]["name"] == "admissionchecks.kueue.x-k8s.io"


@pytest.mark.parametrize("paste", [
    # a kind Kueue converts and gives a CA (v0.15+): the CA setup, not a shipped CRD
    TOPOLOGY_X509.replace("v1alpha1, Kind=Topology", "v1beta1, Kind=ClusterQueue"),
    # the server not answering at all: the controller down (kueue#7457's shape)
    TOPOLOGY_X509.replace("tls: failed to verify certificate: x509: certificate signed by "
                          "unknown authority", "dial tcp 10.244.1.9:9443: connect: connection "
                                               "refused"),
])
def test_converted_kinds_and_refused_connections_keep_the_controller_down(paste):
    found = _findings(paste)
    assert found[0]["cause"] == "kueue_controller_down"
    assert not any(f["cause"] == "kueue_bug" for f in found)


# kueue#564, the reporter's lines (client-go v0.25.6 layout)
RUNTIMECLASS_WATCH = (
    "When using GKE with sandboxed nodes, and attempting to schedule into a gvisor sandbox "
    "using `runtimeClassName=gvisor`, kueue starts reporting this error every 30 seconds:\n"
    "```\n"
    '"pkg/mod/k8s.io/client-go@v0.25.6/tools/cache/reflector.go:169: Failed to watch '
    '*v1.RuntimeClass: unknown (get runtimeclasses.node.k8s.io)"\n'
    "```\n")

# the same refusal as client-go v0.32+ logs it (reflector.go:227@v0.37.2)
WATCH_NEW = (
    "$ kubectl logs -n kueue-system deploy/kueue-controller-manager | tail -1\n"
    'E0302 09:14:05.101010       1 reflector.go:227] "Failed to watch" err="unknown (get '
    'limitranges)" logger="UnhandledError" reflector="pkg/mod/k8s.io/client-go@v0.37.2/tools/'
    'cache/reflector.go:290" type="*v1.LimitRange"\n')

# a list refused for Kueue's service account (client-go v0.31 layout)
LIST_FORBIDDEN = (
    "kueue-controller-manager logs:\n"
    'E1111 18:40:52.560667       1 reflector.go:158] "Unhandled Error" err="k8s.io/client-go/'
    "informers/factory.go:160: Failed to watch *v1.FlowSchema: failed to list *v1.FlowSchema: "
    "flowschemas.flowcontrol.apiserver.k8s.io is forbidden: User \\\"system:serviceaccount:"
    "kueue-system:kueue-controller-manager\\\" cannot list resource \\\"flowschemas\\\" in API "
    "group \\\"flowcontrol.apiserver.k8s.io\\\" at the cluster scope\" logger=\"UnhandledError\"\n")


def test_runtimeclass_watch_refused_is_a_kueue_rbac_bug():
    found = _findings(RUNTIMECLASS_WATCH)
    first = found[0]
    assert first["cause"] == "kueue_bug"
    assert first["severity"] == "warning"  # the list works; Kueue relists
    assert "*v1.RuntimeClass" in first["message"]
    assert "watch runtimeclasses.node.k8s.io" in first["confirm"]
    assert not any(f["cause"] == "not_evaluated" for f in found)


def test_newer_client_go_layout_and_a_refused_list():
    watch = _findings(WATCH_NEW)[0]
    assert watch["cause"] == "kueue_bug" and "*v1.LimitRange" in watch["message"]
    listed = _findings(LIST_FORBIDDEN)[0]
    assert listed["cause"] == "kueue_bug"
    assert listed["severity"] == "error"  # nothing cached for that kind
    assert "system:serviceaccount:kueue-system:kueue-controller-manager" in listed["confirm"]


@pytest.mark.parametrize("paste", [
    # another component's service account refused: not Kueue's role
    LIST_FORBIDDEN.replace("kueue-system:kueue-controller-manager",
                           "cert-manager:cert-manager-webhook").replace(
        "kueue-controller-manager logs", "cert-manager-webhook logs"),
    # the same watch line with Kueue nowhere in the paste
    RUNTIMECLASS_WATCH.replace("kueue starts", "the controller starts"),
])
def test_refusals_not_of_kueue_stay_silent(paste):
    assert not any(f["cause"] == "kueue_bug" for f in _findings(paste))


def test_kueue_own_kind_refused_stays_the_controller_down():
    paste = RUNTIMECLASS_WATCH.replace("*v1.RuntimeClass", "*v1beta1.Workload").replace(
        "runtimeclasses.node.k8s.io", "workloads.kueue.x-k8s.io")
    found = _findings(paste)
    assert found[0]["cause"] == "kueue_controller_down"
    assert not any(f["cause"] == "kueue_bug" for f in found)


# kueue#5783 (Kueue v0.11.4): the manager's own cache (controller-runtime) refused a list;
# the line as the reporter pasted it, minus the markdown link
CACHE_LIST_FORBIDDEN = (
    "W0623 11:00:00.257566       1 reflector.go:569] sigs.k8s.io/controller-runtime/pkg/cache/"
    "internal/informers.go:108: failed to list *v1.PartialObjectMetadata: cronjobs.batch is "
    'forbidden: User "system:serviceaccount:kueue-system:kueue-controller-manager" cannot list '
    'resource "cronjobs" in API group "batch" at the cluster scope\n')


def test_a_list_the_managers_cache_needs_refused_alone_is_the_releases_rbac_bug():
    # (revised in round 80, kueue#5288: the same refusal with the manager running; the
    # manager down needs its own evidence, test_kueue_heldout80.py)
    first = _findings(CACHE_LIST_FORBIDDEN)[0]
    assert first["cause"] == "kueue_bug"
    assert first["object"]["kind"] == "ClusterRole"
    assert "cronjobs.batch" in first["message"]
