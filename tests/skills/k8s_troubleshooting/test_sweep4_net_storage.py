"""Pod networking, runtime and CSI registration wordings of the fourth source sweep
(references/catalogue/kubelet.yaml and controllers.yaml cite each one): what the finding tells
the user beyond the cause id test_catalogue.py checks. Expected values come from the source
named per test."""
from __future__ import annotations

from .conftest import first_finding

_DESCRIBE = """Name:             web-5d9f8c-x2x4p
Namespace:        apps
Node:             worker-2/10.0.0.12
Status:           Pending
Events:
  Type     Reason                  Age               From     Message
  ----     ------                  ----              ----     -------
  Warning  {reason}  30s (x9 over 2m)  {source}  {message}
"""


def test_multus_missing_nad_names_the_network_attachment_definition():
    # multus-cni pkg/k8sclient/k8sclient.go@v4.3.0:297 (the pod's NoNetworkFound event)
    top = first_finding("triage.py", _DESCRIBE.format(
        reason="NoNetworkFound", source="multus",
        message='cannot find a network-attachment-definition (macvlan-conf) in namespace '
                '(apps): network-attachment-definitions.k8s.cni.cncf.io "macvlan-conf" not '
                'found'))
    assert top["cause"] == "sandbox_failed"
    assert "macvlan-conf" in top["message"] and "k8s.v1.cni.cncf.io/networks" in top["fix"]


def test_containerd_sandbox_name_reserved_points_at_the_first_attempt_not_the_cni_config():
    # containerd internal/cri/server/sandbox_run.go@v2.3.4:86; registrar.go@v2.3.4:50
    top = first_finding("triage.py", _DESCRIBE.format(
        reason="FailedCreatePodSandBox", source="kubelet",
        message='Failed to create pod sandbox: rpc error: code = Unknown desc = failed to '
                'reserve sandbox name "web-5d9f8c-x2x4p_apps_1c2d_0": name '
                '"web-5d9f8c-x2x4p_apps_1c2d_0" is reserved for "9b1e6c4a"'))
    assert top["cause"] == "sandbox_failed"
    assert "earlier attempt" in top["message"] and "containerd" in top["fix"]


def test_calico_cni_plugin_quoted_alone_is_the_sandbox_network():
    # projectcalico/calico cni-plugin/pkg/plugin/plugin.go@v3.32.1:231; libcni api.go@v1.3.0:521
    top = first_finding("triage.py", 'plugin type="calico" name="k8s-pod-network" failed '
                        "(add): error getting ClusterInformation: connection is unauthorized: "
                        "Unauthorized\n")
    assert top["cause"] == "sandbox_failed"


def test_node_driver_registrar_refused_registration_says_the_node_plugin_is_unregistered():
    # node-driver-registrar main.go@v2.17.0:104; kubelet operation_generator.go@v1.37.2:134
    top = first_finding("triage.py", 'E1202 12:00:03.118245       1 main.go:104] '
                        '"Registration process failed with error, restarting registration '
                        'container" err="RegisterPlugin error -- plugin registration failed '
                        'with err: failed to get NodeGetInfo from driver \\"ebs.csi.aws.com\\": '
                        'rpc error: code = DeadlineExceeded desc = context deadline exceeded"\n')
    assert top["cause"] == "mount_failed"
    assert "not registered" in top["message"] and "RegisterPlugin error" in top["fix"]


def test_containerd_pull_quoted_alone_names_the_image_and_the_kind():
    # containerd image_pull.go@v2.3.4:282, client/pull.go@v2.3.4:198, resolver.go@v2.3.4:337
    top = first_finding("triage.py", 'failed to pull and unpack image "docker.io/acme/app:1.0": '
                        'failed to resolve reference "docker.io/acme/app:1.0": '
                        "docker.io/acme/app:1.0: not found\n")
    assert top["cause"] == "image_pull"
    assert "docker.io/acme/app:1.0" in top["message"] and "tag" in top["fix"]
