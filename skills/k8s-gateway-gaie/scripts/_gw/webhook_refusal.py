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
