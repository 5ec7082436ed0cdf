"""Held-out round 20 (DRA): the runtime cannot stat the device node a CDI spec names, and a
report that the scheduler placed a pod on a node its claim's allocation does not select.

Ground truth: the CDI library (tags.cncf.io/container-device-interface pkg/cdi/
container-edits_unix.go DeviceNode.fillMissingInfo: 'failed to stat CDI host device %q: %w',
'CDI device (%q, %q), host type mismatch (%s, %s)'; cache.go InjectDevices: 'failed to inject
devices: %w'), containerd v2 pkg/cdi/oci_opt.go ('CDI device injection failed: %w'), Kubernetes
v1.37.2 pkg/scheduler/framework/plugins/dynamicresources/dynamicresources.go (Filter refuses a
node outside availableOnNodes, the allocation's nodeSelector) and the public threads cited;
never this script's output.
"""
from __future__ import annotations

from _dra import prose
from _dra.messages import classify

# https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/pull/307: the kubelet event the PR
# quotes (the ComputeDomain kubelet plugin made the node only in its own container's /dev)
PR307_EVENT = (
    "Warning  Failed     0s (x18 over 3m24s)  kubelet            \\\n"
    "Error: failed to create containerd container: CDI device injection failed: failed to "
    "inject devices: failed to stat CDI host device \"/dev/nvidia-caps/nvidia-cap4323\": no "
    "such file or directory\n")


def test_containerd_cannot_stat_the_cdi_host_device(script, tmp_path):
    paste = tmp_path / "events.txt"
    paste.write_text(PR307_EVENT)
    r = script("explain_claim.py", "-f", str(paste), "--json")
    top = r.doc["findings"][0]
    assert (top["cause"], top["basis"], top["severity"]) == (
        "cdi_device_unresolvable", "reported", "error"), top
    assert "/dev/nvidia-caps/nvidia-cap4323" in top["message"]
    assert "host's /dev" in top["fix"]


def test_every_runtime_wrapping_the_cdi_library_reads_the_same():
    # Podman (NVIDIA/nvidia-container-toolkit#885), Docker's OCI hook path, and a kubelet log
    # line in which the runtime's quotes are escaped
    for line, path in (
            ('Error: setting up CDI devices: failed to inject devices: failed to stat CDI host '
             'device "/dev/dri/renderD129": no such file or directory', "/dev/dri/renderD129"),
            ('docker: Error response from daemon: failed to create task for container: failed '
             'to inject CDI devices: failed to inject devices: failed to stat CDI host device '
             '"/dev/fb0": no such file or directory: unknown', "/dev/fb0"),
            ('E0101 kuberuntime_manager.go:1] "CreateContainer failed" err="rpc error: code = '
             'Unknown desc = failed to create containerd container: CDI device injection '
             'failed: failed to inject devices: failed to stat CDI host device \\"/dev/x0\\": '
             'no such file or directory"', "/dev/x0")):
        found = [m for m in classify(line) if m.pattern.key == "runtime-cdi-host-device"]
        assert found and found[0].cause == "cdi_device_unresolvable", line
        assert found[0].value("path") == path


def test_a_device_node_of_another_type_is_the_same_cause():
    # fillMissingInfo's other error, its format string filled in
    line = ('CDI device injection failed: failed to inject devices: CDI device ("/dev/vd0", '
            '"/dev/vd0"), host type mismatch (b, c)')
    assert [m.cause for m in classify(line)] == ["cdi_device_unresolvable"]


# https://github.com/kubernetes/kubernetes/issues/140087 (1.37 development, fixed by PR
# #140089): the reporter's sentences
PLACED = ("This allows `pod1` to be successfully scheduled onto a node (`worker-1`) even if the "
          "allocated device physically resides on a different node (`worker-0`).")
SKIPPED = ("As a result, during the `Filter` phase, `availableOnNodes` evaluates to `nil`, "
           "skipping node selector validation for subsequent pods (`pod1`).")


def test_a_pod_placed_outside_its_claims_allocation_is_a_scheduler_plugin_error():
    for text in (PLACED, SKIPPED):
        found = prose.findings([text])
        assert [(f["cause"], f["severity"], f["basis"]) for f in found] == [
            ("scheduler_plugin_error", "warning", "inferred")], text
        assert "status.allocation.nodeSelector" in found[0]["confirm"]


def test_the_thread_paragraph_quotes_the_placement_sentence(script, tmp_path):
    paste = tmp_path / "report.md"
    paste.write_text("### What happened?\n\nWhen two pods in a PodGroup share a ResourceClaim, "
                     "the dra scheduler plugin reuses the in-memory `pendingAllocation`.\n"
                     f"{SKIPPED}\n{PLACED}\n")
    r = script("explain_claim.py", "-f", str(paste), "--json")
    top = r.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("scheduler_plugin_error", "inferred"), top
    assert any("different node" in e for e in top["evidence"])


def test_a_placement_that_matches_the_allocation_is_no_finding():
    for text in ("The pod was scheduled onto a node where the allocated device resides.",
                 "The scheduler runs the node selector check on the allocation in Filter.",
                 "pod0 was scheduled to a node, and the claim was allocated on the same node."):
        assert prose.findings([text]) == [], text
