"""Whose ServiceAccount an RBAC denial names (informers that never synced: _gw/informer_sync.py).

1. An API server's denial names its subject (apiserver endpoints/handlers/responsewriters
   forbiddenMessage: `User %q cannot %s resource %q in API group %q` ... `in the namespace
   %q` / `at the cluster scope`). The endpoint picker's kinds (InferencePool, its objectives)
   are listed by the controllers that manage pools too, so a denial of them is the picker's
   only when nothing says otherwise: a ServiceAccount named as a controller's (kubebuilder
   scaffolds `controller-manager`, config/rbac/service_account.yaml; operators and
   `*-controller` accounts) and not as a picker's (`epp`, `endpoint-picker`) is that
   controller's own RBAC: controller_forbidden (opendatahub-io/opendatahub-operator#3073:
   `failed to list inference.networking.k8s.io/v1, Kind=InferencePool: inferencepools... is
   forbidden: User "system:serviceaccount:<ns>:<operator>-controller-manager" cannot list
   resource "inferencepools" ... at the cluster scope`, fixed by the ClusterRole rule).

2. A client-go informer whose list is refused never syncs; a program that waits for its
   caches with a deadline fails with `failed to sync <type>: context deadline exceeded`, and
   the reflector's `forbidden` line is often not in the paste (external-dns
   source/source.go waitForCacheSync@v0.13.4 `failed to sync %v: %v`; source/informers/
   informers.go@v0.19 `failed to sync %v: %w with timeout %s`, later `failed to sync %v: %w`).
   For a built-in kind (Namespace, Service, Pod, ...) the server always serves it, so the
   list can only be refused: the program's ServiceAccount lacks list/watch on it
   (missing_permission, inferred; kubernetes-sigs/external-dns#3537: the Gateway route
   sources list Namespaces, which the chart's ClusterRole 1.12.2 did not grant). A custom
   kind's timeout may also be its CRD not installed: not read here.
"""
from __future__ import annotations

import re


from _gw.messages import Verdict

# the subject of an apiserver denial (quotes JSON-escaped in a log record, or none)
_SUBJECT = re.compile(r'is forbidden:\s*User \\?"?system:serviceaccount:(?P<ns>[\w.-]+):'
                      r'(?P<sa>[\w.-]+)\\?"?', re.IGNORECASE)
_PICKER = re.compile(r"(?:^|[-_.])(?:epp|endpoint-?picker|picker)(?:$|[-_.])", re.IGNORECASE)
_CONTROLLER = re.compile(r"(?:^|[-_.])(?:controller|operator|manager)(?:$|[-_.])",
                         re.IGNORECASE)
# an account named after the gateway implementation is its controller's: the ServiceAccount
# of Envoy Gateway's chart is `envoy-gateway` (charts/gateway-helm templates, the
# envoy-gateway-system namespace), whose provider watches InferencePools for the AI Gateway
# (envoyproxy/ai-gateway commit acf6ba31 (#1477): `User "system:serviceaccount:envoy-gateway-
# system:envoy-gateway" cannot watch resource "inferencepools"`, the chart's ClusterRole had
# lost `watch`); NGINX Gateway Fabric `nginx-gateway`, Istio `istiod`, kgateway, Contour,
# Traefik, Kong (an `-operator` account is read by _CONTROLLER)
_IMPLEMENTATION = re.compile(r"^(?:envoy-gateway|nginx-gateway|istiod(?:-[\w.-]+)?|kgateway|"
                             r"gloo|contour|traefik|kong|ingress-kong|"
                             r"gateway-api-controller|aws-application-networking-controller)$",
                             re.IGNORECASE)
_CONTROLLER_HINT = ("the controller's ServiceAccount {sa} (namespace {ns}) may not list or "
                    "watch what the message names (it manages InferencePools, so it lists "
                    "them, not only the endpoint picker): add get/list/watch on that resource "
                    "and API group to the controller's ClusterRole, or install the RBAC of "
                    "the release you run; confirm: kubectl auth can-i list <resource>.<group> "
                    "--as=system:serviceaccount:{ns}:{sa} -A")


# the verb and resource of the denial (forbiddenMessage `cannot %s resource %q`)
_VERB = re.compile(r'cannot (?P<verb>\w+) resource \\?"(?P<resource>[\w./-]+)\\?"'
                   r'(?: in API group \\?"(?P<group>[\w.-]*)\\?")?'
                   r'(?: in the namespace \\?"(?P<where>[\w.-]+))?', re.IGNORECASE)
# the endpoint picker only reads its kinds: the inferencepool chart's Role grants it get,
# watch and list on inferencepools, inferenceobjectives (inferencemodels before) and pods,
# nothing more (gateway-api-inference-extension config/charts/inferencepool/templates/
# rbac.yaml@v1.0.0); a refused write of them is the controller that creates or updates
# them (llm-d/llm-d-deployer#56: a ModelService controller's ClusterRole naming the
# resources in the singular, `cannot create resource "inferencepools"`)
_WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")
_WRITER_HINT = ("the ServiceAccount {sa} (namespace {ns}) may not {verb} {resource}: the "
                "endpoint picker only reads them (get/list/watch), so this is the controller "
                "that creates or updates them (a model-serving or pool-managing operator): "
                "add {verb} on {resource} (the plural resource name, API group {group}) to "
                "that controller's ClusterRole or Role; confirm: kubectl auth can-i {verb} "
                "{resource}.{group} --as=system:serviceaccount:{ns}:{sa} {scope}")


def controller_denial(text: str) -> Verdict | None:
    """A denial whose ServiceAccount is a controller's, not an endpoint picker's: named as a
    controller's, or refused a write the picker never makes."""
    hit = _SUBJECT.search(text or "")
    if not hit:
        return None
    verb = _VERB.search(text, hit.end())
    if verb and verb["verb"].lower() in _WRITE_VERBS:
        return Verdict("controller_forbidden", "class", "controller-forbidden-write",
                       {"kind": "ServiceAccount", "name": hit["sa"]},
                       _WRITER_HINT.format(sa=hit["sa"], ns=hit["ns"], verb=verb["verb"],
                                           resource=verb["resource"],
                                           group=verb["group"] or "core",
                                           scope=f"-n {verb['where']}" if verb["where"]
                                           else "-A"))
    if _PICKER.search(hit["sa"]) or not (
            _CONTROLLER.search(hit["sa"]) or _IMPLEMENTATION.match(hit["sa"])):
        return None
    return Verdict("controller_forbidden", "class", "controller-forbidden-account",
                   {"kind": "ServiceAccount", "name": hit["sa"]},
                   _CONTROLLER_HINT.format(sa=hit["sa"], ns=hit["ns"]))


def reassign(hits: list, lines=None) -> list:
    """(verdict, line) hits with a picker reading of a denial whose line names a
    controller's ServiceAccount read as that controller's. A denial a log wrapped (`is
    forbidden: User` at a line's end, the account on the next) is read with the lines that
    follow it in `lines`."""
    out = []
    for verdict, line in hits:
        if verdict.pattern == "epp-forbidden":
            verdict = controller_denial(_joined(_with_next(line, lines))) or verdict
        out.append((verdict, line))
    return out


def _joined(text: str) -> str:
    return " ".join(str(text).replace('\\"', '"').split())


def _with_next(line, lines, more: int = 2) -> str:
    """The line and the `more` lines after it when its subject is cut at its end."""
    text = str(line)
    if _SUBJECT.search(_joined(text)) or not lines:
        return text
    listed = [str(x) for x in lines]
    at = next((i for i, x in enumerate(listed) if x.strip() and x.strip() in text), None)
    if at is None:
        return text
    return " ".join([text] + listed[at + 1:at + 1 + more])
