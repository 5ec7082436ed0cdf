"""Volume wordings from the upstream source sweep (references/catalogue/kubelet.yaml and
controllers.yaml cite each one): what the fix tells the user, beyond the cause id that
test_catalogue.py checks. Expected values come from the source named per test."""
from __future__ import annotations

from .conftest import as_dump, first_finding, run_script

_DESCRIBE = """Name:             web-0
Namespace:        apps
Node:             worker-2/10.0.0.12
Status:           Pending
Containers:
  app:
    Image:          nginx:1.27
    State:          Waiting
      Reason:       ContainerCreating
Events:
  Type     Reason       Age               From     Message
  ----     ------       ----              ----     -------
  Warning  {reason}  30s (x9 over 2m)  {source}  {message}
"""


def _describe(reason: str, message: str, source: str = "kubelet") -> str:
    return _DESCRIBE.format(reason=reason, message=message, source=source)


def test_multi_attach_renamed_waiting_for_detach_in_1_37():
    # v1.37.2 attachdetach/reconciler/reconciler.go:430 (holders in other namespaces counted)
    top = first_finding("triage.py", _describe(
        "FailedAttachVolume", 'Waiting for detach for volume "pvc-3f2a" Volume is already used '
        "by 2 pod(s) in different namespaces", "attachdetach-controller"))
    assert top["cause"] == "mount_failed"
    assert "VolumeAttachment" in top["fix"]


def test_kubelet_node_affinity_check_names_the_pv_affinity():
    # v1.37.2 operation_generator.go:459 checkNodeAffinity; component-helpers helpers.go:79
    top = first_finding("triage.py", 'MountVolume.NodeAffinity check failed for volume '
                        '"local-pv-1" : no matching NodeSelectorTerms\n')
    assert top["cause"] == "mount_failed"
    assert "nodeAffinity" in top["message"]
    assert "nodeName" in top["fix"]


def test_local_pv_path_missing_names_the_path():
    # v1.37.2 pkg/volume/local/local.go getGlobalLocalPath -> hostutil.go:84
    top = first_finding("triage.py", 'MountVolume.NewMounter initialization failed for volume '
                        '"local-pv-1" : path "/mnt/disks/ssd1" does not exist\n')
    assert top["cause"] == "mount_failed"
    assert "/mnt/disks/ssd1" in top["fix"]


def test_pod_dump_with_the_node_affinity_event_is_still_reported():
    # a Pod stuck ContainerCreating and the kubelet's FailedMount event, as `kubectl get
    # pod,events -o json` gives them: the pod readers keep mount causes only
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-0", "namespace": "apps"},
           "spec": {"nodeName": "worker-2", "containers": [{"name": "app", "image": "nginx"}]},
           "status": {"phase": "Pending", "containerStatuses": [
               {"name": "app", "ready": False, "restartCount": 0, "image": "nginx",
                "state": {"waiting": {"reason": "ContainerCreating"}}}]}}
    event = {"apiVersion": "v1", "kind": "Event", "type": "Warning", "reason": "FailedMount",
             "message": 'MountVolume.NodeAffinity check failed for volume "local-pv-1" : no '
                        "matching NodeSelectorTerms",
             "metadata": {"name": "web-0.1", "namespace": "apps"},
             "involvedObject": {"kind": "Pod", "name": "web-0", "namespace": "apps"}}
    res = run_script("triage.py", "-f", "-", "--json", stdin=as_dump(pod, event))
    assert res.code == 1, res.err
    assert res.doc["findings"][0]["cause"] == "mount_failed"


def test_no_topology_key_names_the_node_and_the_node_plugin():
    # kubernetes-csi/external-provisioner pkg/controller/topology.go@v6.3.0:388
    top = first_finding("triage.py", _describe(
        "ProvisioningFailed", "error generating accessibility requirements: no topology key "
        "found on CSINode ip-10-0-1-5.ec2.internal", "ebs.csi.aws.com_ebs-csi-controller-7c9"))
    assert top["cause"] == "pvc_pending"
    assert "ip-10-0-1-5.ec2.internal" in top["message"]
    assert "csinode" in top["fix"]


def test_infeasible_provisioning_points_at_the_driver_error():
    # external-provisioner v6.3.0 vendored sig-storage-lib-external-provisioner controller.go:1501
    top = first_finding("triage.py", "Volume provisioning failed with infeasible error. Retries "
                        "will be delayed. rpc error: code = InvalidArgument desc = Volume "
                        "capabilities not supported\n")
    assert top["cause"] == "pvc_pending"
    assert "driver" in top["fix"]


def test_ephemeral_claim_owned_by_another_names_the_collision():
    # v1.37.2 pkg/controller/volume/ephemeral/controller.go:252; component-helpers
    # storage/ephemeral/ephemeral.go:54
    top = first_finding("triage.py", "ephemeral volume scratch: PVC apps/web-0-scratch was not "
                        "created for pod apps/web-0 (pod is not owner)\n")
    assert top["cause"] == "pvc_pending"
    assert "ownerReferences" in top["fix"]


def test_subpath_failure_is_a_mount_problem_not_a_missing_configmap():
    # v1.37.2 pkg/kubelet/kubelet_pods.go:388 makeMounts; the Failed event "Error: %v" of
    # kuberuntime/kuberuntime_container.go:260 (a `kubectl get events` row)
    res = run_script("triage.py", "-f", "-", "--json", stdin=(
        "LAST SEEN   TYPE      REASON   OBJECT      MESSAGE\n"
        "12s         Warning   Failed   pod/web-0   Error: failed to prepare subPath for "
        "volumeMount \"config\" of container \"app\"\n"))
    assert res.code == 1, res.err
    top = res.doc["findings"][0]
    assert top["cause"] == "mount_failed"
    assert "subPath" in top["message"]
