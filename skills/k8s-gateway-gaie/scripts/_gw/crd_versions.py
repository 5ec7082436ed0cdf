"""A Gateway API or Inference Extension version a client asks for that the installed CRD
does not serve.

The paste names the API path a controller requests (`/apis/gateway.networking.k8s.io/
v1alpha2`) and shows the versions a CRD of that group serves (`kubectl get crd NAME`: its
`spec.versions[].served`, read by k8s_skillkit.crd). A version the CRD does not serve is
404 under that path: a controller that watches the kind there cannot start its informer,
as if the CRD were not installed (linkerd/linkerd2#13334: Linkerd's policy controller reads
GRPCRoute v1alpha2, the Gateway API v1.1+ standard bundle serves only v1; #13032).
"""
from __future__ import annotations

from k8s_skillkit import crd
from k8s_skillkit.findings import finding

_GROUPS = ("gateway.networking.k8s.io", "gateway.networking.x-k8s.io",
           "inference.networking.k8s.io", "inference.networking.x-k8s.io")


def unserved_findings(lines, index) -> list[dict]:
    """crd_not_installed or, when the CRD serves a newer version, crd_version_unsupported
    (inferred) for each requested group/version that a CRD of that group, as the paste lists
    it, does not serve."""
    requested = dict.fromkeys(gv for line in lines or [] for gv in crd.api_paths(str(line))
                              if gv[0] in _GROUPS)
    served = crd.served_versions(lines, index.of_kind("CustomResourceDefinition"))
    out = []
    for name, versions in sorted(served.items()):
        group = name.split(".", 1)[1] if "." in name else ""
        for want_group, version in requested:
            if want_group == group and not versions.get(version):
                out.append(_finding(name, group, version, versions))
    return out


def _finding(name: str, group: str, version: str, versions: dict[str, bool]) -> dict:
    serves = ", ".join(v for v, on in versions.items() if on) or "no version"
    # a CRD that serves a newer version than the one asked for is newer than the client
    # (crd_version_unsupported); one that serves only older ones is not yet installed at the
    # version the client needs
    newer = any(on and crd.version_rank(v) > crd.version_rank(version)
                for v, on in versions.items())
    why = ("the CRD is newer than the client: its bundle no longer serves that version"
           if newer else "as if the CRD were not installed")
    return finding(
        "error", "crd_version_unsupported" if newer else "crd_not_installed",
        {"kind": "CustomResourceDefinition", "name": name},
        f"a client in the paste asks for {group}/{version}; CRD {name} serves only {serves}: "
        f"the kind is not served at {version} (404), so a controller that watches it there "
        f"cannot start ({why})",
        [f"requested: /apis/{group}/{version}", f"CRD {name} served versions: {serves}"],
        f"run a controller release that reads a served version ({serves}), or install a CRD "
        f"release that still serves {version} for this kind (the Gateway API's newer standard "
        "bundles serve only the GA version; the experimental ones keep some alpha versions "
        "served)", basis="inferred", confirm=f"kubectl get --raw /apis/{group}/{version}")
