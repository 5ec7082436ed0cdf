"""Held-out round 81 (audit_rbac.py): a kubelet that does not trust its API server.

The kubelet connects with the CA of its --kubeconfig (client-go v0.37.2 tools/clientcmd/
client_config.go:263); Go's TLS client refuses a server certificate that CA did not sign with
`x509: certificate signed by unknown authority` (go1.26.8 crypto/x509/verify.go:157; Go 1.20+
prefixes `tls: failed to verify certificate: `, crypto/tls/common.go:1817). Beside the
kubelet's own Node lines (kubernetes v1.37.2 pkg/kubelet/kubelet_node_status.go:75,108,435,
465,479; v1.13.0 :94) it means the kubelet's credentials are another cluster's:
mj006648/netai-devsecops-runbook datax-worker-rejoin-recovery-2026-07-24 (a worker moved
between clusters kept the old /etc/kubernetes/kubelet.conf; an existing kubeconfig is used
as is, v1.37.2 cmd/kubelet/app/options/options.go:285-287).
"""
from __future__ import annotations

from _rbac.kubelet_trust import findings

from .test_rbac_prose import _audit

# the runbook's two kubelet lines, verbatim, under the author's sentence (rendered in English)
RUNBOOK = ("The worker's API proxy points at the new control plane, but the join keeps "
           "failing. kubelet:\n\n```text\nx509: certificate signed by unknown authority\n"
           "Unable to register node with API server\n```\n")
# the same refusal as a 1.37 kubelet logs it (structured klog, one line; Go 1.20+ TLS prefix)
MODERN = ('Jul 24 10:01:02 w1 kubelet[812]: E0724 10:01:02.123456     812 '
          'kubelet_node_status.go:108] "Unable to register node with API server" err="Post '
          '\\"https://10.0.0.10:6443/api/v1/nodes\\": tls: failed to verify certificate: x509: '
          'certificate signed by unknown authority" node="worker-7"\n')
# the <= 1.20 wording (v1.13.0 kubelet_node_status.go:94), with Go's candidate-CA hint
OLD = ('E0311 21:48:11.879498   21676 kubelet_node_status.go:94] Unable to register node '
       '"worker-3" with API server: Post https://10.0.0.10:6443/api/v1/nodes: x509: '
       'certificate signed by unknown authority (possibly because of "crypto/rsa: '
       'verification error" while trying to verify candidate authority certificate '
       '"kubernetes")\n')


def test_the_runbook_lines_name_the_kubelet_credentials(script, tmp_path):
    top = _audit(script, tmp_path, RUNBOOK)[0]
    assert (top["cause"], top["severity"], top["basis"]) == \
        ("node_credential_mismatch", "error", "inferred"), top
    assert "kubelet.conf get --raw /readyz" in top["confirm"]


def test_the_one_line_forms_of_1_37_and_1_13_name_the_node(script, tmp_path):
    for text, node in ((MODERN, "worker-7"), (OLD, "worker-3")):
        top = _audit(script, tmp_path, text)[0]
        assert (top["cause"], top["object"]) == \
            ("node_credential_mismatch", {"kind": "Node", "namespace": "", "name": node}), top


def test_a_status_update_refused_the_same_way_counts_too():
    line = ('E0724 10:01:02.1 812 kubelet_node_status.go:435] "Error updating node status, '
            'will retry with syncNodeStatus" err="Get \\"https://api:6443/api/v1/nodes/w1\\": '
            'tls: failed to verify certificate: x509: certificate signed by unknown authority"')
    assert [f["cause"] for f in findings([line])] == ["node_credential_mismatch"]


def test_near_misses_stay_silent():
    silent = [
        # the kubelet cannot reach the API server at all: no CA involved
        ['"Unable to register node with API server" err="Post \\"https://10.0.0.10:6443/api/'
         'v1/nodes\\": dial tcp 10.0.0.10:6443: connect: connection refused" node="w1"'],
        # kubectl with the user's kubeconfig, no kubelet line
        ["Unable to connect to the server: x509: certificate signed by unknown authority"],
        # another x509 error: a name the serving certificate lacks (a proxy, a new address)
        ['"Unable to register node with API server" err="Post \\"https://lb:6443/api/v1/'
         'nodes\\": x509: certificate is valid for 10.0.0.10, not 10.0.0.20" node="w1"'],
        # an image pull's registry certificate logged next to the kubelet's registration
        ['"Attempting to register node" node="w1"',
         'Failed to pull image "reg.local/app:1": x509: certificate signed by unknown '
         'authority'],
    ]
    for lines in silent:
        assert findings(lines) == [], lines


def test_a_kubectl_unknown_authority_keeps_the_old_answer(script, tmp_path):
    found = _audit(script, tmp_path, "kubectl get pods fails:\nUnable to connect to the "
                   "server: x509: certificate signed by unknown authority\n")
    assert "node_credential_mismatch" not in [f["cause"] for f in found]
