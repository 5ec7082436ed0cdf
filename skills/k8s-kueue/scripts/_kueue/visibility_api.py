"""Kueue's visibility API (visibility.kueue.x-k8s.io, an aggregated API that
kueue-controller-manager serves itself) registered with the API server but not served:
Kueue defects of its shipped manifests and sample configuration (kueue_bug), as the API
server, the Namespace controller and Kueue's own log report them.

- The APIService registered while the manager does not serve the API: the aggregator cannot
  fetch the group's discovery, so every client's discovery lists it as failed and the
  Namespace controller cannot finish deleting any namespace (condition
  NamespaceDeletionDiscoveryFailure, reason DiscoveryFailed, `Discovery failed for some
  groups, 1 failing: unable to retrieve the complete list of server APIs:
  visibility.kueue.x-k8s.io/v1alpha1: stale GroupVersion discovery: ...`; client-go
  discovery StaleGroupVersionError "stale GroupVersion discovery: %v"). Kueue v0.6.0's
  release manifest deployed config/components/visibility (APIService, Service) while the
  VisibilityOnDemand gate that starts the server was off (config/default/kustomization.yaml
  @v0.6.0 lists ../components/visibility, @v0.6.1 no longer): kubernetes-sigs/kueue#1769,
  fixed by #1746 / #1764 in v0.6.1 (workaround: --feature-gates=VisibilityOnDemand=true, or
  delete the APIService v1alpha1.visibility.kueue.x-k8s.io).
- The visibility server unable to listen: its port is fixed in code
  (`o.SecureServing.BindPort = 8082`, pkg/visibility/server.go:73@v0.6.2; logged
  `Unable to apply VisibilityServerOptions` ... `failed to listen on 0.0.0.0:8082: listen tcp
  0.0.0.0:8082: bind: address already in use`, :52@v0.6.2; v0.19.2 returns `unable to apply
  VisibilityServerOptions: %w`, :85) and the sample Configuration's pprofBindAddress was the
  same :8082 (config/components/manager/controller_manager_config.yaml:24@v0.6.2, :8083 at
  v0.19.2). Something else then answers on that port, so the aggregator's discovery check
  fails (APIService Available False, FailedDiscoveryCheck `... http: server gave HTTP response
  to HTTPS client`) and the API answers ServiceUnavailable: kubernetes-sigs/kueue#2205.
- The aggregator's availability check refused on a READY endpoint: the kube-apiserver's
  available controller dials the APIService's discovery URL only after the Service has an
  endpoint ready on its port (k8s.io/kube-aggregator@v0.37.2 pkg/controllers/status/remote/
  remote_available_controller.go: `ServiceNotFound`, `EndpointsNotFound`, `MissingEndpoints`
  first; then `failing or missing response from %v: %w`, logged `%v failed with: %v`), so
  `v1alpha1.visibility.kueue.x-k8s.io failed with: failing or missing response from
  https://IP:443/apis/visibility.kueue.x-k8s.io/v1alpha1: ... connection refused` is a ready
  manager pod with nothing listening on the visibility port (8082): the server behind the
  APIService never started (VisibilityOnDemand off while the APIService was deployed,
  kubernetes-sigs/kueue#1519, fixed by #1746). kubectl's discovery cache then warns
  `couldn't get resource list for visibility.kueue.x-k8s.io/v1alpha1: the server is currently
  unable to handle the request` (client-go@v0.36.1 discovery/cached/memory/memcache.go:121).

The manager not running at all (its pods down, `no endpoints available`, `connection
refused`) is kueue_controller_down's (controller_down.py, messages.py), and then nothing here
is said."""
from __future__ import annotations

import re
from typing import Any

from k8s_skillkit.findings import finding

_GROUP = r"visibility\.kueue\.x-k8s\.io"
# discovery of the group failing: the Namespace controller's condition, kubectl's memcache
# warning, the client-go error itself
_STALE = re.compile(rf"(?:(?:stale GroupVersion discovery|unable to retrieve the complete list "
                    rf"of server APIs):|couldn't get resource list for)\s*{_GROUP}/(?P<version>v\w+)")
# the aggregator's availability check, which dials only a Service with a ready endpoint
# (kube-aggregator@v0.37.2 remote_available_controller.go `failing or missing response from
# %v: %w`; as logged, `<version>.visibility.kueue.x-k8s.io failed with: ...`, or the APIService's
# FailedDiscoveryCheck message), refused: nothing listens behind a running manager (kueue#1519)
_REFUSED_CHECK = re.compile(rf"failing or missing response from \S*/apis/{_GROUP}/(?P<version>v\w+)"
                            r"\S*\s.{0,300}?connect: connection refused")
# the visibility server's listener refused (v0.6: logged by the "visibility-server" logger;
# v0.19: wrapped in the manager's setup error)
_BIND = re.compile(r"(?:Unable to apply VisibilityServerOptions|unable to apply "
                   r"VisibilityServerOptions).{0,200}?failed to listen on (?P<addr>[^\s:\"]*:\d+)"
                   r".{0,200}?address already in use", re.I)
# the aggregator's check of the APIService, answered by something that is not a TLS server
_PLAIN_HTTP = re.compile(rf"{_GROUP}.{{0,300}}?server gave HTTP response to HTTPS client")
# the manager down: not a defect of the visibility API
_DOWN = re.compile(r"no endpoints available for service|connection refused", re.I)

_UNSERVED_FIX = ("kueue-controller-manager is not serving the visibility API its manifest "
                 "registered: upgrade Kueue (v0.6.0's manifest registered it with "
                 "VisibilityOnDemand off, fixed in v0.6.1: kueue#1769), or enable the "
                 "VisibilityOnDemand feature gate, or delete the APIService (kubectl delete "
                 "apiservice v1alpha1.visibility.kueue.x-k8s.io); namespaces stuck Terminating "
                 "then finish deleting")
_BIND_FIX = ("give the visibility server its port: another listener of the manager takes it "
             "(the sample Configuration's pprofBindAddress :8082 before it moved to :8083, "
             "kueue#2205; or metrics/health on that port): move pprofBindAddress (or the other "
             "listener) to a free port in the kueue-manager-config ConfigMap and restart "
             "kueue-controller-manager")


def findings(texts: list[str]) -> list[dict[str, Any]]:
    """kueue_bug (reported) for the visibility API registered but not served: its listener's
    port taken, or its APIService registered with the server off."""
    # (one line: a YAML message folds its words over lines)
    text = " ".join(" ".join(str(t) for t in texts or []).split())
    bind = _BIND.search(text)
    if bind:
        plain = _PLAIN_HTTP.search(text)
        evidence = [" ".join(bind.group(0).split())[:240]]
        evidence += [" ".join(plain.group(0).split())[:240]] if plain else []
        return [finding("error", "kueue_bug", {"kind": "Deployment",
                                               "name": "kueue-controller-manager"},
                        f"Kueue's visibility server cannot listen on {bind.group('addr')}: "
                        "another listener of kueue-controller-manager holds the port, so the "
                        "visibility API (pending workloads) is not served and its APIService "
                        "fails its discovery check", evidence, _BIND_FIX, basis="reported",
                        confirm="kubectl get cm -n kueue-system kueue-manager-config -o yaml | "
                                "grep -n 'BindAddress\\|bindPort'")]
    refused = _REFUSED_CHECK.search(text)
    # (the manager down shows elsewhere: its webhooks refused, no endpoints)
    if refused and not _DOWN.search(_REFUSED_CHECK.sub(" ", text)):
        return [_unstarted(refused, _STALE.search(text))]
    stale = _STALE.search(text)
    if stale is None or _DOWN.search(text):
        return []
    where = ("the Namespace controller cannot finish deleting namespaces "
             "(NamespaceDeletionDiscoveryFailure)" if "NamespaceDeletion" in text
             or "DiscoveryFailed" in text else "API discovery fails for that group")
    return [finding("error", "kueue_bug", {"kind": "APIService",
                                           "name": f"{stale.group('version')}.visibility."
                                                   "kueue.x-k8s.io"},
                    f"the API server cannot read the discovery of Kueue's visibility API "
                    f"(visibility.kueue.x-k8s.io/{stale.group('version')}): its APIService is "
                    f"registered but nothing serves it, so {where}",
                    [" ".join(stale.group(0).split())[:240]], _UNSERVED_FIX,
                    # the failing discovery is reported; that nothing serves it is read from it
                    basis="inferred",
                    confirm="kubectl get apiservice "
                            f"{stale.group('version')}.visibility.kueue.x-k8s.io -o yaml")]


def _unstarted(refused: re.Match, stale: re.Match | None) -> dict[str, Any]:
    """The availability check refused on a ready endpoint: the manager runs, its visibility
    server does not (the refusal is the API server's; why nothing listens is inferred)."""
    version = refused.group("version")
    evidence = [" ".join(refused.group(0).split())[:240]]
    evidence += [" ".join(stale.group(0).split())[:240]] if stale else []
    return finding("error", "kueue_bug", {"kind": "APIService",
                                          "name": f"{version}.visibility.kueue.x-k8s.io"},
                   f"the API server's availability check of Kueue's visibility API "
                   f"(visibility.kueue.x-k8s.io/{version}) reaches a ready endpoint of its "
                   "Service and is refused: kueue-controller-manager runs without its "
                   "visibility server (the VisibilityOnDemand feature gate off while the "
                   "APIService is deployed, kueue#1519), so the APIService is unavailable and "
                   "discovery of that group fails for every client", evidence, _UNSERVED_FIX,
                   basis="inferred",
                   confirm="kubectl get deploy -n kueue-system kueue-controller-manager -o "
                           "jsonpath='{.spec.template.spec.containers[0].args}' (no "
                           "VisibilityOnDemand=true in --feature-gates, or the Configuration's "
                           "featureGates)")
