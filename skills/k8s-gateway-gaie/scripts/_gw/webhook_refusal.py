"""An admission webhook that refused a gateway object, or that the API server could not call.

The API server calls every validating/mutating webhook whose rules match the request; when
the call fails and the webhook's failurePolicy is Fail, it refuses the request with
`failed calling webhook "NAME": <why>` (k8s.io/apiserver v0.37.2 pkg/util/webhook/error.go),
which kubectl prints as `Error from server (InternalError): ... Internal error occurred:
failed calling webhook ...`. Nothing was stored and no controller saw the object: the fault
is the webhook's Service or pods (connection refused, no endpoints, service not found), or a
ValidatingWebhookConfiguration left behind by an install that is gone. The Gateway API's own
webhook was one such (gateway-api v0.5.0-v0.8.x config/webhook/admission_webhook.yaml:
`validate.gateway.networking.k8s.io`, failurePolicy Fail, Service gateway-api-admission-server
in gateway-system; v1.0.0 CHANGELOG.md:69-77 unbundled it, CEL validation replaced it), so a
cluster whose CRDs were installed with it and whose webhook Deployment is not running refuses
every Gateway, GatewayClass and HTTPRoute (nginx/nginx-gateway-fabric#336).

A webhook named, or answering, that the API version used is deprecated or unsupported is
the cluster refusing a manifest written for another API version: manifest_api_mismatch, with
the version to use (GKE's `gateway-api-alpha-deprecated-use-beta-version.gke.io` webhook on
a v1alpha2 GatewayClass, l7mp/stunner#101). Reading the kit's parse of the refusal
(k8s_skillkit.admission_denials.refusals): the webhook's name, its message or call error.

A ValidatingAdmissionPolicy refuses in the API server itself (`ValidatingAdmissionPolicy
'<policy>' with binding '<binding>' denied request: <message>`, k8s.io/apiserver v0.37.2
pkg/admission/plugin/policy/validating/dispatcher.go; the kit's POLICY lists the other
wordings): the request was refused by the cluster's own policy, never stored, whatever the
message says: admission_webhook_denied, reported, the policy named. Policies that guard the
Gateway API CRDs themselves say why in their message:
- Gateway API v1.5+ installs `safe-upgrades.gateway.networking.k8s.io` with its CRDs
  (config/crd/{standard,experimental}/gateway.networking.k8s.io_vap_safeupgrades.yaml at
  v1.5.0..v1.6.1; CHANGELOG/1.5-CHANGELOG.md "Upgrades and ValidatingAdmissionPolicy"):
  `Installing experimental CRDs on top of standard channel CRDs is prohibited by default.
  ...`, `Installing CRDs with version before v1.5.0 is prohibited by default. Uninstall
  ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io to install older
  versions.` and, in the v1.6 experimental bundle, `Installing CRDs with version other than
  v0.0.0-dev or v1.5+ is prohibited by default. ...` (hcloud-k8s/terraform-hcloud-kubernetes
  #349: a rollback to v1.4.1 refused);
- a cloud's managed Gateway API may keep the CRDs on the standard channel with a policy of its
  own (GKE 1.34: `All Gateway API CRDs must belong to the 'standard' channel. Experimental
  CRDs are not permitted.`, kubernetes-sigs/external-dns#6367).

>>> match_webhook('customresourcedefinitions.apiextensions.k8s.io "tlsroutes.gateway.'
...               'networking.k8s.io" is forbidden: ValidatingAdmissionPolicy ' "'p' with "
...               "binding 'b' denied request: Experimental CRDs are not permitted.").pattern
'admission-policy-denied:channel'

>>> match_webhook('Internal error occurred: failed calling webhook "v.example.io": Post '
...               '"https://hook.ns.svc:443/validate": dial tcp 10.0.0.1:443: connect: '
...               'connection refused').cause
'admission_webhook_denied'
>>> match_webhook('failed calling webhook "api-beta-deprecated-use-v1.example.io": failed to '
...               'call webhook: service "x" not found').cause
'manifest_api_mismatch'
>>> match_webhook('admission webhook "v.example.io" denied the request: nope') is None
True
"""
from __future__ import annotations

import re

from k8s_skillkit.admission_denials import WEBHOOK_CAUSE, refusals

from _gw.messages import Verdict

# A webhook that exists to turn away an API version says so: its name (`...-alpha-deprecated-
# use-beta-version...`) or its message (`v1alpha2 is deprecated`, `... no longer served`)
# names a version and that it is deprecated or no longer served/supported.
_DEPRECATED = re.compile(r"deprecat|no[-\s]longer[-\s](?:served|supported)", re.I)
_NAME_VERSION = re.compile(r"alpha|beta|version|\bv\d", re.I)
_MESSAGE_VERSION = re.compile(r"\bv\d+(?:alpha|beta)\d*\b|\bapiVersion\b|\bAPI version\b")


def _names_version_refusal(text: str, version: re.Pattern[str]) -> bool:
    return bool(_DEPRECATED.search(text)) and bool(version.search(text))


def _version_hint(webhook: str, said: str) -> str:
    why = "its name says so" if said == webhook else said[:160]
    return (f"the cluster's admission webhook {webhook} turns away the API version the "
            f"manifest uses ({why}): write the object in a version the cluster serves "
            "(gateway.networking.k8s.io/v1, or v1beta1 on old clusters: kubectl "
            "api-resources --api-group=gateway.networking.k8s.io) and apply again; update "
            "the project's manifests that still use the old version")


def _call_hint(webhook: str, error: str) -> str:
    return (f"the API server could not call the admission webhook {webhook} ({error[:160]}) "
            "and its failurePolicy is Fail, so the object was refused and never stored: start "
            "the webhook's Deployment behind the Service the URL names (kubectl get "
            "validatingwebhookconfigurations,mutatingwebhookconfigurations -o yaml shows it), "
            "or delete the webhook configuration if what installed it is gone (the Gateway API "
            "webhook validate.gateway.networking.k8s.io of v0.5-v0.8 installs is not needed "
            "with v1.x CRDs, which validate with CEL)")


def match_webhook(text: str) -> Verdict | None:
    """The first admission webhook refusal in a line that names an API version refusal, or a
    webhook the API server could not call; None for a webhook's plain denial (its message is
    read with the status wordings: messages.match_denial, api_refusal.match_webhook_fields)."""
    for refusal in refusals(text):
        if refusal.cause == WEBHOOK_CAUSE and refusal.policy:
            return _policy_verdict(refusal, text)
        if refusal.cause != WEBHOOK_CAUSE or not refusal.webhook:
            continue
        message = "" if refusal.call_error else refusal.text.partition("denied the request")[2]
        said = refusal.webhook if _names_version_refusal(refusal.webhook, _NAME_VERSION) else (
            message if _names_version_refusal(message, _MESSAGE_VERSION) else "")
        subject = {"kind": "ValidatingWebhookConfiguration", "name": refusal.webhook}
        if said:
            return Verdict("manifest_api_mismatch", "class", "webhook-version-refused",
                           subject, _version_hint(refusal.webhook, said))
        if refusal.call_error:
            return Verdict(WEBHOOK_CAUSE, "class", "webhook-call-failed", subject,
                           _call_hint(refusal.webhook, refusal.call_error))
    return None


POLICY_DENIED = "admission-policy-denied"  # the verdicts' pattern, its variants after a colon

# the object a refusal names: `customresourcedefinitions.apiextensions.k8s.io "NAME" is
# forbidden:` (the API server's admission error), kubectl's `The CustomResourceDefinition
# "NAME" is invalid:` (a policy's reason Invalid), Helm's and Argo CD's wrap of either
_REFUSED_CRD = re.compile(r'(?:customresourcedefinitions?(?:\.apiextensions\.k8s\.io)?|'
                          r'CustomResourceDefinition) \\?"([a-z0-9.-]+)\\?" is (?:forbidden|invalid)',
                          re.IGNORECASE)
_GATEWAY_API_CRD = re.compile(r"\.gateway\.networking\.(?:x-)?k8s\.io$")
# what a Gateway API CRD guard says it refuses: a channel (experimental over standard, or any
# experimental CRD) or a release (one before the installed one)
_CHANNEL_WORDS = re.compile(r"\bexperimental\b|\bchannel\b", re.IGNORECASE)
_RELEASE_WORDS = re.compile(r"\bversions? (?:before|older than|other than)\b|\bolder versions?\b|"
                            r"\bdowngrad", re.IGNORECASE)


def _policy_verdict(refusal, text: str) -> Verdict:
    name = refusal.policy.split(" (binding ", 1)[0]
    message = (refusal.checks[0] if refusal.checks else "") or ""
    crd = _REFUSED_CRD.search(text)
    crd_name = crd.group(1) if crd else ""
    subject = {"kind": "ValidatingAdmissionPolicy", "name": name}
    said = (f"ValidatingAdmissionPolicy {refusal.policy} denied request: "
            f"{message[:300].rstrip('. ')}")
    if crd_name and _GATEWAY_API_CRD.search(crd_name):
        if _RELEASE_WORDS.search(message):
            return Verdict(WEBHOOK_CAUSE, "class", f"{POLICY_DENIED}:release", subject,
                           f"{said}. The cluster refuses an older Gateway API CRD bundle over "
                           f"the installed one (CRD {crd_name}): install a release at least as "
                           f"new as the installed bundle (kubectl get crd {crd_name} -o "
                           "jsonpath='{.metadata.annotations.gateway\\.networking\\.k8s\\.io/"
                           "bundle-version}' shows it; Gateway API v1.5+ refuses bundles "
                           "before v1.5.0), and upgrade the controllers that "
                           "need the old one; to downgrade on purpose, delete the policy first "
                           f"(kubectl delete validatingadmissionpolicy {name}, as the Gateway "
                           "API v1.5 release notes say) and accept the risk of served versions "
                           "going away")
        if _CHANNEL_WORDS.search(message):
            return Verdict(WEBHOOK_CAUSE, "class", f"{POLICY_DENIED}:channel", subject,
                           f"{said}. The cluster admits only standard-channel Gateway API CRDs "
                           f"and CRD {crd_name} is an experimental-channel one: use the "
                           "standard bundle, and a controller release that reads the kind at "
                           "a standard version (TLSRoute is standard as v1 from Gateway API "
                           "v1.5; TCPRoute, UDPRoute and the X-kinds have no standard CRD); "
                           "a cloud's managed Gateway API (GKE) owns the CRDs and its "
                           "policy: turn the managed install off before managing the CRDs "
                           "yourself; on your own cluster Gateway API v1.5+'s safe-upgrades "
                           f"policy can be deleted first (kubectl delete "
                           f"validatingadmissionpolicy {name}) if experimental CRDs are wanted")
    target = f"CRD {crd_name}" if crd_name else "the object"
    return Verdict(WEBHOOK_CAUSE, "class", POLICY_DENIED, subject,
                   f"{said}. The cluster's admission policy refused {target}: nothing was "
                   "stored; change the object so the policy's rule holds, or have the "
                   "policy's owner change it or its binding (kubectl get "
                   f"validatingadmissionpolicy {name} -o yaml shows the rule, kubectl get "
                   "validatingadmissionpolicybindings which objects it applies to)")
