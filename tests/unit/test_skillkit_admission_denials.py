"""k8s_skillkit.admission_denials: each admission plugin's wording (the upstream file and
version in the module docstring; the lines below are as users pasted them in the threads
named), read to the cause it names."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "skills" / "_shared"))

from k8s_skillkit.admission_denials import psa_cause, refusals  # noqa: E402

CASES = [
    # openshift-qe/v3-testfiles#581 (LimitRanger, 1.5-era trailing ".")
    ('pods "rails-ex-1-" is forbidden: [minimum memory usage per Pod is 204Mi, but request is '
     "62914560., minimum cpu usage per Container is 39m, but request is 11m.]",
     ["limit_range_violation", "limit_range_violation"]),
    # v1.19+ wording without the final "." (limitranger/admission.go)
    ('pods "x" is forbidden: maximum memory usage per Container is 4Gi, but limit is 8Gi',
     ["limit_range_violation"]),
    ("cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000",
     ["limit_range_violation"]),
    # openshiftio/openshift.io#4668 (ResourceQuota)
    ('Error creating: pods "jenkins-1-dr8p8" is forbidden: exceeded quota: compute-resources, '
     "requested: limits.cpu=2,limits.memory=1Gi, used: limits.cpu=2,limits.memory=1Gi, "
     "limited: limits.cpu=2,limits.memory=1Gi", ["quota_exceeded"]),
    # kubernetes/website#641 (1.3: capital F)
    ('Error creating: pods "nginx-3137573019-" is forbidden: Failed quota: compute-resources: '
     "must specify limits.cpu,limits.memory,requests.cpu,requests.memory",
     ["quota_requires_limits"]),
    # open-policy-agent/gatekeeper#646 (PSP, 1.5-1.18) and alphagov/govuk-helm-charts#394 (1.19+)
    ('pods "gatekeeper-controller-manager-77ccf5456f-" is forbidden: unable to validate against '
     "any pod security policy: []", ["pod_security_policy_denied"]),
    ('pods "nginx-hostnetwork-deployment-76c46fdb6-" is forbidden: PodSecurityPolicy: unable to '
     "admit pod: [spec.securityContext.hostNetwork: Invalid value: true: Host network is not "
     "allowed to be used]", ["pod_security_policy_denied"]),
    # open-policy-agent/gatekeeper#2633 (Pod Security, first check first)
    ('pods "gatekeeper-controller-manager-75578bc95d-pc2wp" is forbidden: violates PodSecurity '
     '"restricted:v1.24": host namespaces (hostNetwork=true), hostPort (container "manager" uses '
     "hostPorts 8443, 8888, 9090)", ["host_namespaces", "host_port"]),
    # uoe-eidf-cluster-users/eidf-epcc-cluster#26 (a webhook)
    ('admission webhook "validation.gatekeeper.sh" denied the request: [userpodlimits] container '
     "<cudasample> has no cpu limit", ["admission_webhook_denied"]),
    ("unable to create new content in namespace team-a because it is being terminated",
     ["namespace_terminating"]),
    ('pods "web-0" is forbidden: error looking up service account shop/web: serviceaccount '
     '"web" not found', ["service_account_not_found"]),
]


@pytest.mark.parametrize("text,causes", CASES)
def test_each_plugins_wording(text, causes):
    assert [r.cause for r in refusals(text)] == causes


def test_a_pod_security_warning_refuses_nothing():
    # `would violate` is the warn/audit mode's warning (pod-security-admission admission.go)
    assert refusals('Warning: would violate PodSecurity "restricted:latest": seccompProfile '
                    '(pod or container "c" must set securityContext.seccompProfile.type)') == []


def test_unknown_pod_security_check_keeps_a_generic_id():
    assert psa_cause("allowPrivilegeEscalation != false") == "privilege_escalation_allowed"
    assert psa_cause("some future check") == "pod_security_violation"


# k8s.io/pod-security-admission v0.37.2: one ForbiddenReason "seccompProfile" for a profile set
# to Unconfined (check_seccompProfile_baseline.go:161, restricted.go:121) and for one not set
# (check_seccompProfile_restricted.go:134); the detail decides, wrapped or not
def test_the_seccomp_detail_tells_unconfined_from_missing():
    unconfined = ('pods "p" is forbidden: violates PodSecurity "baseline:latest": seccompProfile '
                  '(pod must not set securityContext.seccompProfile.type to "Unconfined")')
    missing = ('pods "p" is forbidden: violates PodSecurity "restricted:latest": seccompProfile '
               '(pod or container "c" must set securityContext.seccompProfile.type to '
               '"RuntimeDefault" or "Localhost")')
    assert [r.cause for r in refusals(unconfined)] == ["seccomp_unconfined"]
    assert [r.cause for r in refusals(missing)] == ["seccomp_missing"]
    # a terminal's wrap cut a word of the detail
    assert psa_cause("seccompProfile", 'pod must not set securityContext.seccomp Profile.type '
                     'to "Unconfined"') == "seccomp_unconfined"


def test_no_refusal_in_an_rbac_denial():
    assert refusals('pods is forbidden: User "u" cannot list resource "pods" in API group "" '
                    'in the namespace "default"') == []


def test_a_webhook_that_cannot_be_called_refuses_too():
    # k8s.io/apiserver v0.37.2 pkg/util/webhook/error.go: both of ErrCallingWebhook's forms
    found = refusals('Error creating: Internal error occurred: failed calling webhook '
                     '"validate.kyverno.svc": Post "https://kyverno-svc.kyverno.svc:443/'
                     'validate?timeout=10s": context deadline exceeded')
    assert [(r.cause, r.webhook) for r in found] == [("admission_webhook_denied",
                                                      "validate.kyverno.svc")]
    assert found[0].call_error.endswith("context deadline exceeded")
    bare = refusals('failed calling webhook "x.example.io"; no further details available')
    assert bare[0].call_error == "no further details available"
    assert refusals('admission webhook "x.example.io" denied the request: no')[0].call_error == ""


# --- ValidatingAdmissionPolicy (k8s.io/apiserver v0.37.2 pkg/admission/plugin/policy/
# validating/dispatcher.go; 1.26-1.27 without a binding name printed `'%s' '%s'`; the generic
# dispatcher pkg/admission/plugin/policy/generic/policy_dispatcher.go). The live wording is
# checked against the real apiserver in tests/live/test_admission_policy_live.py.
@pytest.mark.parametrize("text, name", [
    ("The deployments \"web\" is invalid: : ValidatingAdmissionPolicy 'max-replicas' with "
     "binding 'max-replicas-b' denied request: failed expression: object.spec.replicas <= 5",
     "max-replicas (binding max-replicas-b)"),
    ("ValidatingAdmissionPolicy 'max-replicas' denied request: too many replicas",
     "max-replicas"),
    ("ValidatingAdmissionPolicy 'max-replicas' '' denied request: too many replicas",
     "max-replicas"),
    ("policy 'add-label' with binding 'add-label-b' denied request: expression failed",
     "add-label (binding add-label-b)"),
    # a terminal's cut beside a quote, joined back without its space (unwrap_free_text):
    # hcloud-k8s/terraform-hcloud-kubernetes#349
    ("ValidatingAdmissionPolicy 'safe-upgrades.gateway.networking.k8s.io' with binding"
     "'safe-upgrades.gateway.networking.k8s.io' denied request: Installing CRDs with version "
     "before v1.5.0 is prohibited by default.",
     "safe-upgrades.gateway.networking.k8s.io (binding safe-upgrades.gateway.networking.k8s.io)"),
    ("ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-b'denied request: no",
     "max-replicas (binding max-replicas-b)"),
])
def test_an_admission_policy_refusal_is_read(text, name):
    found = refusals(text)
    assert [(r.cause, r.policy) for r in found] == [("admission_webhook_denied", name)]


def test_a_policy_warning_refuses_nothing():
    text = ("Warning: Validation failed for ValidatingAdmissionPolicy 'max-replicas' with "
            "binding 'max-replicas-b': failed expression: object.spec.replicas <= 5\n"
            "deployment.apps/web created")
    assert refusals(text) == []


# --- OpenShift 4's SCC list printed through ToAggregate (openshift/apiserver-library-go
# a8019f39 pkg/securitycontextconstraints/sccadmission/admission.go:130): an aggregate of one
# error has no brackets (k8s.io/apimachinery v0.37.2 pkg/util/errors/errors.go:75).
# decisionbox-io/decisionbox-platform#320: the items pasted one a line, no brackets
SCC_BARE_LINES = ('pods "test-6a68d0f08831-..." is forbidden: unable to validate against any '
                  'security context constraint:\n  provider restricted-v2: .spec.securityContext.'
                  'fsGroup: Invalid value: [1000]: 1000 is not an allowed group\n  provider '
                  'restricted-v2: .containers[0].runAsUser: Invalid value: 1000: must be in the '
                  'ranges: [1000740000, 1000749999]\n')
# admission_test.go:1127@a8019f39, the one-error message as the admission test expects it
SCC_BARE_ONE = ('pods "Unknown" is forbidden: unable to validate against any security context '
                'constraint: provider matchingPriorityAndScoreSCCOne: .containers[0].runAsUser: '
                'Invalid value: 5: must be: 6')
# an older apimachinery's value (%#v: []int64{...}), an item with no provider prefix
SCC_BARE_FIELD = ('Error creating: pods "db-0" is forbidden: unable to validate against any '
                  'security context constraint: fsGroup: Invalid value: []int64{26}: 26 is not '
                  'an allowed group')


@pytest.mark.parametrize("text, item", [
    (SCC_BARE_LINES, "1000 is not an allowed group"),
    (SCC_BARE_ONE, "Invalid value: 5: must be: 6"),
    (SCC_BARE_FIELD, "26 is not an allowed group"),
], ids=["lines", "one-error", "no-provider"])
def test_an_scc_list_without_brackets_is_read(text, item):
    found = refusals(text)
    assert [r.cause for r in found] == ["pod_security_policy_denied"]
    assert any(item in str(check) for check in found[0].checks)


def test_an_scc_head_followed_by_prose_is_no_list():
    # the head quoted in a sentence (no item, no colon-ended paste) names no refusal
    text = ("the pod fails with unable to validate against any security context constraint: "
            "see the events below")
    assert refusals(text) == []
