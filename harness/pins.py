"""Every pinned upstream version, in one place.

The local cluster's binaries and the CRDs installed into it come from these Go modules.
Change a version here and the next `k8s-skills cluster build` builds a new cache folder
(the old one stays until you delete it).
"""

KUBERNETES = "v1.37.2"   # newest minor whose go.mod accepts the machine's Go 1.26
KUEUE = "v0.19.2"
KWOK = "v0.8.0"
ETCD = "v3.6.16"         # go.etcd.io/etcd/server/v3, the version line Kubernetes 1.37 tests with
GATEWAY_API = "v1.6.3"
GATEWAY_API_INFERENCE_EXTENSION = "v1.6.0"  # v1.6.1 is listed but its zip is not served
JOBSET = "v0.12.0"
LEADERWORKERSET = "v0.9.0"   # v0.10.0 is listed but its zip is not served
# The newest release (2026-08); built against Gateway API v1.6.1, whose CRD schemas equal
# v1.6.3's (v1.6.2/3 change only docs and a whitespace in the safe-upgrade policy).
ENVOY_GATEWAY = "v1.9.0"
# Envoy AI Gateway's controller: Envoy Gateway's extension server for InferencePool (the
# route's custom backend) and the writer of InferencePool status. v1.1.0 is tagged but the
# Go module proxy refuses it (403, "This module version is not available"); v1.0.0 is the
# newest it serves. Built against Envoy Gateway v1.8.1, Gateway API v1.5.1 and GAIE v1.0.2:
# run with our newer pins (see harness/cluster/envoy_ai_gateway).
ENVOY_AI_GATEWAY = "v1.0.0"
DISTRIBUTION = "v3.1.2"      # github.com/distribution/distribution/v3: the local image registry

GO_MINIMUM = (1, 26)     # k8s 1.36+, Kueue 0.18+ and KWOK 0.8 all need go 1.26


def staging_version(kubernetes: str = KUBERNETES) -> str:
    """Kubernetes v1.X.Y publishes its staging modules as v0.X.Y.

    >>> staging_version("v1.37.2")
    'v0.37.2'
    """
    return "v0." + kubernetes.removeprefix("v1.")


def cache_key() -> str:
    """The cache folder name: changes whenever any binary's pin changes."""
    return f"k8s-{KUBERNETES}_kueue-{KUEUE}_kwok-{KWOK}_etcd-{ETCD}"
