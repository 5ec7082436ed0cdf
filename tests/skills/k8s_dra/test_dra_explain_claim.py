"""explain_claim.py: each cause from a fixture that triggers it, and the clean cases."""
from __future__ import annotations

import pytest

NVIDIA = "cluster-nvidia.yaml"

CASES = [
    ("explain/class-missing.yaml", "device_class_missing", "gpu.nvidia.com"),
    ("explain/no-matching.yaml", "no_matching_device", "productName='NVIDIA H200'"),
    ("explain/too-big.yaml", "insufficient_devices", "no node has more than 8"),
    ("explain/busy.yaml", "insufficient_devices", "held by team-b/holder-a (pod trainer-a)"),
    ("explain/constraint.yaml", "constraint_unsatisfiable", "set count: 4"),
    ("explain/admin.yaml", "admin_access_forbidden", "resource.kubernetes.io/admin-access=true"),
    ("explain/reserved.yaml", "claim_reserved_elsewhere", "excludes node gpu-h200-dra-0"),
    ("explain/template-missing.yaml", "claim_template_missing", "does-not-exist"),
]


# A dump that lists templates in full (even none) can prove a template does not exist.
NO_TEMPLATES = "apiVersion: v1\nkind: List\nitems: []\n---\napiVersion: resource.k8s.io/v1\n" \
    "kind: ResourceClaimTemplateList\nitems: []\n"


@pytest.mark.parametrize("fixture,cause,needle", CASES, ids=[c[0] for c in CASES])
def test_cause_is_named_with_its_evidence(script, dump, fixture, cause, needle):
    extra = NO_TEMPLATES if cause == "claim_template_missing" else ""
    r = script("explain_claim.py", "-f", dump(NVIDIA, fixture, extra=extra, as_list=not extra),
               "--json")
    assert r.code == 1, r.err
    found = [f for f in r.doc["findings"] if f["cause"] == cause]
    assert found, r.doc["findings"]
    text = " ".join([found[0]["message"], found[0]["fix"], *found[0]["evidence"]])
    assert needle in text
    assert set(found[0]) == {"severity", "cause", "object", "message", "evidence", "fix",
                             "basis", "confirm"}


def test_proposed_changes_point_into_the_object_the_user_owns(script, dump):
    r = script("explain_claim.py", "-f", dump(NVIDIA, "explain/too-big.yaml"), "--json")
    assert r.doc["changes"] == [{"object": {"kind": "ResourceClaimTemplate",
                                            "namespace": "team-a", "name": "ten"},
                                 "path": "spec.spec.devices.requests[0].exactly.count",
                                 "value": 8}]


def test_objects_not_in_a_paste_are_unknown_not_missing(script, dump):
    """Issue 12: an object absent from a pasted dump is "not in the dump" (info, with the
    kubectl get that would show it); only a full listing of the kind proves absence."""
    r = script("explain_claim.py", "-f", dump("explain/no-matching.yaml"), "--json")
    assert r.code == 0 and r.causes == ["device_class_not_in_dump"]
    assert r.doc["findings"][0]["confirm"] == "kubectl get deviceclasses gpu.nvidia.com -o yaml"
    r = script("explain_claim.py", "-f", dump("explain/template-missing.yaml"), "--json")
    assert r.causes == ["resource_claim_template_not_in_dump"]
    assert r.doc["findings"][0]["basis"] == "inferred"


def test_no_slices_at_all(script, dump):
    empty = ("apiVersion: resource.k8s.io/v1\nkind: DeviceClassList\nitems: []\n---\n"
             "apiVersion: resource.k8s.io/v1\nkind: ResourceSliceList\nitems: []\n")
    r = script("explain_claim.py", "-f", dump("explain/no-matching.yaml", extra=empty,
                                              as_list=False), "--json")
    assert r.causes == ["device_class_missing"]  # no class either: the first thing to fix
    extra = ("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu.nvidia.com}\n"
             "spec:\n  selectors:\n  - cel: {expression: 'device.driver == \"gpu.nvidia.com\"'}\n")
    r = script("explain_claim.py", "-f", dump("explain/no-matching.yaml",
                                              extra=extra + "---\n" + empty.split("---\n")[1],
                                              as_list=False), "--json")
    assert r.causes == ["no_resource_slices"]


def test_class_of_an_absent_driver_is_no_resource_slices(script, dump):
    extra = ("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: rdma.example.com}\n"
             "spec:\n  selectors:\n  - cel: {expression: 'device.driver == \"rdma.example.com\"'}\n"
             "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
             "metadata: {name: nic, namespace: team-a}\nspec:\n  devices:\n    requests:\n"
             "    - {name: nic, exactly: {deviceClassName: rdma.example.com}}\n")
    r = script("explain_claim.py", "-f", dump(NVIDIA, extra=extra), "--json")
    found = r.doc["findings"][0]
    assert found["cause"] == "no_resource_slices" and "rdma.example.com" in found["message"]


def test_selector_runtime_error_is_its_own_cause(script, dump):
    extra = ("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
             "metadata: {name: err, namespace: team-a}\nspec:\n  devices:\n    requests:\n"
             "    - name: gpus\n      exactly:\n        deviceClassName: gpu.nvidia.com\n"
             "        selectors:\n        - cel: {expression: 'device.attributes[\"gpu.nvidia.com\"]"
             ".nvlinkDomain == \"a\"'}\n")
    r = script("explain_claim.py", "-f", dump(NVIDIA, extra=extra), "--json")
    assert r.causes == ["selector_error"]
    assert "nvlinkDomain" in " ".join(r.doc["findings"][0]["evidence"])


def test_allocatable_claim_and_allocated_claims_are_clean(script, dump):
    ok = ("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
          "metadata: {name: fine, namespace: team-a}\nspec:\n  devices:\n    requests:\n"
          "    - {name: gpus, exactly: {deviceClassName: gpu.nvidia.com, count: 4}}\n")
    r = script("explain_claim.py", "-f", dump(NVIDIA, "explain/reserved.yaml", extra=ok),
               "-n", "team-a", "fine", "--json")
    assert r.code == 0 and r.causes == ["waiting_for_consumer"]
    r = script("explain_claim.py", "-f", dump(NVIDIA, "explain/reserved.yaml"), "a")
    assert r.code == 0
    assert "allocated team-a/shared: node gpu-h200-dra-0, 1 device(s) gpu-0; reserved for a" in r.out


def test_unknown_name_is_an_input_error(script, dump):
    r = script("explain_claim.py", "-f", dump(NVIDIA), "nope")
    assert r.code == 2 and r.err.startswith("error: nope:") and len(r.err.splitlines()) == 1


def test_text_output_is_a_digest(script, dump):
    r = script("explain_claim.py", "-f", dump(NVIDIA, "explain/busy.yaml"))
    assert r.code == 1
    assert len(r.out.splitlines()) <= 12


def test_two_claims_that_fit_alone_but_not_together(script, dump):
    extra = ("apiVersion: resource.k8s.io/v1\nkind: ResourceClaimTemplate\n"
             "metadata: {name: five, namespace: team-a}\nspec:\n  spec:\n    devices:\n"
             "      requests:\n      - {name: g, exactly: {deviceClassName: gpu.nvidia.com, "
             "count: 5}}\n---\napiVersion: v1\nkind: Pod\n"
             "metadata: {name: greedy, namespace: team-a, uid: u-g}\nspec:\n  resourceClaims:\n"
             "  - {name: a, resourceClaimTemplateName: five}\n"
             "  - {name: b, resourceClaimTemplateName: five}\n"
             "  containers: [{name: m, image: x}]\nstatus: {phase: Pending}\n")
    r = script("explain_claim.py", "-f", dump(NVIDIA, extra=extra), "--json")
    assert r.causes == ["insufficient_devices"]
    assert "not all together" in r.doc["findings"][0]["message"]


def test_first_available_falls_back_to_what_exists(script, dump):
    extra = ("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
             "metadata: {name: alt, namespace: team-a}\nspec:\n  devices:\n    requests:\n"
             "    - name: gpus\n      firstAvailable:\n"
             "      - name: h100\n        deviceClassName: gpu.nvidia.com\n        selectors:\n"
             "        - cel: {expression: 'device.attributes[\"gpu.nvidia.com\"].productName == "
             "\"NVIDIA H100\"'}\n      - {name: any, deviceClassName: gpu.nvidia.com, count: 2}\n")
    r = script("explain_claim.py", "-f", dump(NVIDIA, extra=extra), "--json")
    assert r.causes == ["waiting_for_consumer"]  # allocatable through the second choice
    r = script("explain_claim.py", "-f", dump(NVIDIA, extra=extra.replace("count: 2",
                                                                          "count: 9")), "--json")
    assert r.causes == ["insufficient_devices"]


_ROUND9 = __import__("pathlib").Path(__file__).resolve().parents[2] / "resources" / \
    "real-world" / "dra"


def test_prose_only_report_is_info_with_what_to_collect(script):
    # google/dranet#141 (round 9): two sentences of prose, no object, no message; the paste
    # cannot decide the cause, so the script says so (info) instead of refusing it (exit 2)
    r = script("explain_claim.py", "-f", str(_ROUND9 / "dranet-141-recreate-pod-stalls" /
                                             "paste.txt"), "--json")
    assert r.code == 0, r.out
    [only] = r.doc["findings"]
    assert (only["severity"], only["cause"]) == ("info", "not_evaluated")
    assert "kubectl describe pod" in only["fix"]
    assert any("ResourceClaimTemplate" in e for e in only["evidence"])  # the user's words


def test_describe_without_claims_or_messages_is_not_evaluated(script):
    # kubernetes-sigs/dra-driver-nvidia-gpu#222 (round 9): a `get po` table and a describe cut
    # before its claims and events: no claim, no DRA message, so "nothing blocked" would be a
    # guess; the answer is info not_evaluated
    r = script("explain_claim.py", "-f", str(_ROUND9 / "nvidia-222-p4-prepare-describe-cut" /
                                             "paste.txt"), "--json")
    assert r.code == 0, r.out
    assert [(f["severity"], f["cause"]) for f in r.doc["findings"]] == [("info", "not_evaluated")]


def test_prepare_failure_in_prose_paste_is_still_reported(script):
    # kubernetes-sigs/dra-driver-nvidia-gpu#41 (round 9): the driver's "dra: handling request
    # failed" err="error preparing devices for claim ..." line inside a markdown report
    r = script("explain_claim.py", "-f", str(_ROUND9 / "nvidia-41-p4-timeslice-prepare" /
                                             "paste.txt"), "--json")
    assert r.doc["findings"][0]["cause"] == "driver_prepare_failed"
    assert r.doc["findings"][0]["basis"] == "reported"


def test_a_component_report_outranks_what_the_prose_says(script, tmp_path):
    # the kubelet's own verdict (kubernetes-sigs/dra-driver-nvidia-gpu#814 wording, kubelet
    # v1.34 pkg/kubelet/cm/dra/manager.go "DRA driver %s is not registered") beside a user's
    # sentence (#136 wording): the reported cause comes first, the prose rule stays silent
    paste = tmp_path / "p.txt"
    paste.write_text(
        "I think the resourceclass is not created.\n\n"
        'E0114 22:32:39.849988   14067 kuberuntime_manager.go:1323] "Failed to prepare dynamic '
        'resources" err="prepare dynamic resources: DRA driver compute-domain.nvidia.com is not '
        'registered" pod="default/nccl-test-worker-0"\n')
    r = script("explain_claim.py", "-f", str(paste), "--json")
    causes = [f["cause"] for f in r.doc["findings"]]
    assert causes[0] == "driver_not_registered" and "device_class_missing" not in causes
