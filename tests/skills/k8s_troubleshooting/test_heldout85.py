"""Held-out round 85 (pods-nodes, ts-triage): three log lines that name their fault without an
object beside them.

- The kubelet's container manager refusing to start (pkg/kubelet/kubelet.go
  initializeRuntimeDependentModules: v1.6-1.20 klog.Fatalf "Failed to start ContainerManager %v",
  1.21+ ErrorS(err, "Failed to start ContainerManager") then os.Exit(1)), for a cgroup v1
  controller the kernel did not mount (pkg/kubelet/cm/container_manager_linux.go
  validateSystemRequirements "%s - Following Cgroup subsystem not mounted: %v"):
  abelperezok/kubernetes-raspberry-pi-cluster-hat#2 -> node_not_ready.
- A dynamic provisioner's reflector that cannot list claims (client-go tools/cache/reflector.go
  "%s: Failed to list %v: %v"; a json-iterator decode error of a client older than 1.18's
  managedFields: kubernetes/minikube#7218, #8414, cetic/fadi#128) -> pvc_pending.
- Karpenter's requirements with an empty zone set ("topology.kubernetes.io/zone DoesNotExist",
  kubernetes-sigs/karpenter pkg/scheduling/requirement.go Operator()): the pod's volumes in
  different zones (aws/karpenter-provider-aws#4192) -> volume_node_affinity, inferred.
"""
from __future__ import annotations

from .conftest import loud, paste_causes, paste_findings

SCRIPT = "triage.py"

# the PR author's kubelet fragment (abelperezok/kubernetes-raspberry-pi-cluster-hat#2)
CGROUP_FRAGMENT = ("Failed to start ContainerManager system validation failed - Following Cgroup "
                   "subsystem not mounted: [memory]\n")


def test_cgroup_fragment_is_node_not_ready_with_the_kernel_fix():
    found = loud(paste_findings(SCRIPT, CGROUP_FRAGMENT))
    assert [f["cause"] for f in found] == ["node_not_ready"]
    assert "[memory]" in found[0]["message"]
    assert "cgroup_enable=memory" in found[0]["fix"]


def test_structured_kubelet_line_and_another_error_of_the_container_manager():
    # 1.21+ structured form, from minikube's "problems detected in kubelet" list
    structured = ('Aug 07 02:12:30 minikube kubelet[6011]: E0807 02:12:30.052218    6011 '
                  'kubelet.go:1431] "Failed to start ContainerManager" err="system validation '
                  'failed - Following Cgroup subsystem not mounted: [memory]"\n')
    assert paste_causes(SCRIPT, structured) == ["node_not_ready"]
    # the same exit for a CPU manager checkpoint of another policy (cpu_manager.go): not cgroups
    checkpoint = ('E0312 10:01:02.000000    2231 kubelet.go:1567] "Failed to start ContainerManager" '
                  'err="start cpu manager error: could not restore state from checkpoint: '
                  'configured policy \\"static\\" differs from state checkpoint policy '
                  '\\"none\\", please drain this node and delete the CPU manager checkpoint file '
                  '\\"/var/lib/kubelet/cpu_manager_state\\" before restarting Kubelet"\n')
    found = loud(paste_findings(SCRIPT, checkpoint))
    assert [f["cause"] for f in found] == ["node_not_ready"]
    assert "cgroup_enable" not in found[0]["fix"]


def test_container_manager_starting_normally_is_silent():
    started = ('I0807 02:12:29.000000    6011 container_manager_linux.go:300] "Creating Container '
               'Manager object based on Node Config"\n'
               'I0807 02:12:29.100000    6011 kubelet.go:1400] "Starting ContainerManager"\n')
    assert "node_not_ready" not in paste_causes(SCRIPT, started)


# the reporter's truncated storage-provisioner log line (cetic/fadi#128)
PROVISIONER_DECODE = ("k8s.io/minikube/vendor/github.com/r2d4/external-storage/lib/controller/"
                      "controller.go:411: Failed to list *v1.PersistentVolumeClaim: "
                      "v1.PersistentVolumeClaimList: Items: []v1.PersistentVol\n")


def test_provisioner_that_cannot_decode_claims_is_pvc_pending():
    found = loud(paste_findings(SCRIPT, PROVISIONER_DECODE))
    assert [f["cause"] for f in found] == ["pvc_pending"]
    assert "upgrade the provisioner" in found[0]["fix"]
    assert found[0]["basis"] == "reported"


def test_provisioner_library_forbidden_to_watch_claims_is_pvc_pending_with_rbac_fix():
    # client-go v0.20+ wording, the provisioner library of today
    forbidden = ('E1012 08:00:01.101010       1 reflector.go:138] sigs.k8s.io/sig-storage-lib-'
                 'external-provisioner/v6/controller/controller.go:869: Failed to watch '
                 '*v1.PersistentVolumeClaim: failed to list *v1.PersistentVolumeClaim: '
                 'persistentvolumeclaims is forbidden: User "system:serviceaccount:storage:'
                 'nfs-client-provisioner" cannot list resource "persistentvolumeclaims" in API '
                 'group "" at the cluster scope\n')
    found = loud(paste_findings(SCRIPT, forbidden))
    assert [f["cause"] for f in found] == ["pvc_pending"]
    assert "ServiceAccount" in found[0]["fix"]


def test_another_components_failed_claim_list_is_not_pvc_pending():
    operator = ('E1012 08:00:01.101010       1 reflector.go:138] pkg/mod/k8s.io/client-go@v0.21.0/'
                'tools/cache/reflector.go:167: Failed to watch *v1.PersistentVolumeClaim: failed '
                'to list *v1.PersistentVolumeClaim: persistentvolumeclaims is forbidden: User '
                '"system:serviceaccount:backup:backup-operator" cannot list resource '
                '"persistentvolumeclaims" in API group "" at the cluster scope\n')
    assert "pvc_pending" not in paste_causes(SCRIPT, operator)


# the Karpenter controller's line the user quoted (aws/karpenter-provider-aws#4192)
KARPENTER_NO_ZONE = (
    'karpenter-f8c94f455-w6gw5 controller 2023-07-03T21:13:23.572Z\tERROR\tcontroller.provisioner'
    '\tCould not schedule pod, incompatible with provisioner "default", no instance type '
    'satisfied resources {"cpu":"2","memory":"6Gi","pods":"1"} and requirements '
    'karpenter.sh/provisioner-name In [default], kubernetes.io/os In [linux], kubernetes.io/arch '
    'In [amd64], karpenter.k8s.aws/instance-category In [c m r], topology.kubernetes.io/zone '
    'DoesNotExist, karpenter.k8s.aws/instance-generation Exists >2, karpenter.sh/capacity-type In '
    '[on-demand spot] (no instance type met the scheduling requirements or had a required '
    'offering){"commit": "698f22f-dirty", "pod": "xxx/xxx"}\n')


def test_karpenter_empty_zone_set_is_volume_node_affinity_inferred():
    found = loud(paste_findings(SCRIPT, KARPENTER_NO_ZONE))
    assert [f["cause"] for f in found] == ["volume_node_affinity"]
    assert found[0]["basis"] == "inferred"
    assert "nodeAffinity" in found[0]["confirm"]
    assert "zone DoesNotExist" in found[0]["evidence"][0]


def test_karpenter_v1_nodepool_json_log_with_the_empty_zone_set():
    nodepool = ('{"level":"ERROR","time":"2024-06-11T06:26:33.747Z","logger":"controller",'
                '"message":"could not schedule pod","Pod":{"name":"db-0","namespace":"data"},'
                '"error":"incompatible with nodepool \\"general\\", daemonset overhead='
                '{\\"cpu\\":\\"310m\\",\\"memory\\":\\"272Mi\\",\\"pods\\":\\"7\\"}, no instance '
                'type satisfied resources {\\"cpu\\":\\"1310m\\",\\"memory\\":\\"1296Mi\\",'
                '\\"pods\\":\\"8\\"} and requirements karpenter.sh/capacity-type In [on-demand], '
                'karpenter.sh/nodepool In [general], kubernetes.io/arch In [amd64], '
                'topology.kubernetes.io/zone DoesNotExist (no instance type met the scheduling '
                'requirements or had a required offering)"}\n')
    assert paste_causes(SCRIPT, nodepool)[:1] == ["volume_node_affinity"]


def test_karpenter_with_a_zone_and_another_keys_does_not_exist_is_not_volume_affinity():
    other = ('controller.provisioner\tCould not schedule pod, incompatible with provisioner '
             '"default", no instance type satisfied resources {"cpu":"64","pods":"1"} and '
             'requirements kubernetes.io/arch In [amd64], topology.kubernetes.io/zone In '
             '[us-east-1a], karpenter.k8s.aws/instance-gpu-count DoesNotExist (no instance type '
             'met the scheduling requirements or had a required offering)\n')
    assert "volume_node_affinity" not in paste_causes(SCRIPT, other)


def test_karpenter_event_row_beside_the_schedulers_verdict_keeps_the_reported_one_first():
    rows = ('Events:\n'
            '  Type     Reason            Age               From               Message\n'
            '  ----     ------            ----              ----               -------\n'
            '  Warning  FailedScheduling  2m10s             default-scheduler  0/4 nodes are '
            'available: 4 node(s) had volume node affinity conflict. preemption: 0/4 nodes are '
            'available: 4 Preemption is not helpful for scheduling.\n'
            '  Warning  FailedScheduling  35s (x6 over 2m)  karpenter          Failed to schedule '
            'pod, incompatible with nodepool "general", daemonset overhead={"cpu":"310m",'
            '"pods":"7"}, no instance type satisfied resources {"cpu":"1310m","pods":"8"} and '
            'requirements kubernetes.io/arch In [amd64], topology.kubernetes.io/zone DoesNotExist '
            '(no instance type met the scheduling requirements or had a required offering)\n')
    found = loud(paste_findings(SCRIPT, rows))
    assert [f["cause"] for f in found] == ["volume_node_affinity"]
    assert found[0]["basis"] == "reported"
