"""check_dra.py: inventory digest and configuration errors (trigger and non-trigger)."""
from __future__ import annotations

from pathlib import Path

NVIDIA = "cluster-nvidia.yaml"
ROOT_CASES = Path(__file__).resolve().parents[2] / "resources" / "real-world" / "dra"


def test_healthy_cluster_is_dra_ready(script, dump):
    r = script("check_dra.py", "-f", dump(NVIDIA))
    assert r.code == 0, r.out
    assert "driver gpu.nvidia.com: 2 node(s), 16 device(s) (NVIDIA H200), 0 allocated" in r.out
    assert "DeviceClass gpu.nvidia.com: 16 device(s), 16 free" in r.out
    assert "DRA ready" in r.out


def test_allocated_devices_are_counted(script, dump):
    r = script("check_dra.py", "-f", dump(NVIDIA, "explain/busy.yaml"), "--json")
    assert r.doc["allocated"] == 14 and r.doc["devices"] == 16


def test_legacy_limits_only_where_gpus_are_dra_devices(script, dump):
    r = script("check_dra.py", "-f", dump(NVIDIA, "check/legacy-pod.yaml"), "--json")
    assert r.code == 1
    found = [(f["cause"], f["object"]["name"]) for f in r.doc["findings"]]
    assert found == [("legacy_limits_on_dra_cluster", "legacy")]  # not the H100-capable Job


def test_unsatisfiable_class_and_unmapped_kueue_class(script, dump, resource):
    r = script("check_dra.py", "-f", dump(NVIDIA, "check/ghost-class.yaml"), "--kueue-config",
               resource("check/kueue-config.yaml"), "--json")
    found = {(f["cause"], f["object"]["name"]) for f in r.doc["findings"]}
    assert found == {("device_class_unsatisfiable", "gpu.example.com"),
                     ("kueue_class_unmapped", "gpu.example.com")}


def test_kueue_config_from_a_configmap_in_the_dump(script, dump):
    cm = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kueue-manager-config, namespace: "
          "kueue-system}\ndata:\n  controller_manager_config.yaml: |\n"
          "    apiVersion: config.kueue.x-k8s.io/v1beta2\n    kind: Configuration\n"
          "    resources:\n      deviceClassMappings:\n      - name: example.com/gpu\n"
          "        deviceClassNames: [gpu.example.com]\n")
    r = script("check_dra.py", "-f", dump(NVIDIA, "check/ghost-class.yaml", extra=cm), "--json")
    assert "kueue_class_unmapped" not in [f["cause"] for f in r.doc["findings"]]


def test_kueue_queues_without_config_say_what_was_skipped(script, dump):
    r = script("check_dra.py", "-f", dump(NVIDIA, "gang/queues.yaml"), "--json")
    assert r.code == 0 and [f["cause"] for f in r.doc["findings"]] == ["kueue_config_unknown"]


def test_a_paste_without_dra_objects_proves_nothing(script, resource):
    """Issue 12: absent from a paste is "not in the dump", never "missing"."""
    r = script("check_dra.py", "-f", resource("check/legacy-only.yaml"), "--json")
    assert r.code == 0
    assert [f["cause"] for f in r.doc["findings"]] == ["dra_objects_not_in_dump"]
    assert r.doc["findings"][0]["confirm"] == "kubectl api-versions | grep resource.k8s.io"


def test_kubectl_saying_the_api_is_not_served_is_reported(script, tmp_path):
    paste = tmp_path / "paste.txt"
    paste.write_text('$ kubectl get deviceclasses\nerror: the server doesn\'t have a resource '
                     'type "deviceclasses"\n')
    r = script("check_dra.py", "-f", str(paste), "--json")
    assert r.code == 1
    f = r.doc["findings"][0]
    assert (f["cause"], f["basis"]) == ("dra_api_missing", "reported")


def test_api_served_but_no_driver(script, dump):
    cls = ("apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu.nvidia.com}\n"
           "spec: {}\n---\napiVersion: resource.k8s.io/v1\nkind: ResourceSliceList\nitems: []\n")
    r = script("check_dra.py", "-f", dump("check/legacy-only.yaml", extra=cls, as_list=False),
               "--json")
    assert [f["cause"] for f in r.doc["findings"]] == ["no_dra_drivers"]


def test_bad_input_is_one_line(script, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [unclosed\n")
    r = script("check_dra.py", "-f", str(bad))
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and r.out == ""


# `kubectl get` tables of DRA kinds carry no apiVersion, spec or status: the columns are
# k8s.io/kubernetes v1.37.2 pkg/printers/internalversion/printers.go (ResourceClaim: Name,
# State, Age; ResourceSlice: Name, Node, Driver, Pool, Age). The paste below is the one in
# https://github.com/kubernetes/kubernetes/issues/126320 (1.30, classic columns).
CLAIM_TABLE = """\
root@k8s-master01:~# kubectl get resourceclaim
NAME                      RESOURCECLASSNAME   ALLOCATIONMODE         STATE                AGE
gpu-pod-gpu-claim-t9nnc   gpu.nvidia.com      WaitForFirstConsumer   pending              22s
gpu-sharing               gpu.nvidia.com      WaitForFirstConsumer   allocated,reserved   22s
"""
SLICE_TABLE = """\
$ kubectl get resourceslices
NAME                                      NODE      DRIVER                      POOL      AGE
rockwei-compute-domain.nvidia.com-z9csl   rockwei   compute-domain.nvidia.com   rockwei   39m
"""


def test_table_rows_prove_the_api_is_served_but_not_that_dra_is_ready(script, tmp_path):
    for text in (CLAIM_TABLE, SLICE_TABLE):
        paste = tmp_path / "paste.txt"
        paste.write_text(text)
        r = script("check_dra.py", "-f", str(paste))
        assert r.code == 0, r.out
        assert "not served" not in r.out and "dra_objects_not_in_dump" not in r.out
        assert "DRA ready" not in r.out and "no problem found in the dump" in r.out


def test_a_claim_table_row_is_not_inferred_upon(script, tmp_path):
    """Rows have no spec: no request can be checked (an empty spec once read as 'no node
    has enough devices for all requests'). A pending row is named, with the command that
    shows why; an allocated one is not a problem."""
    paste = tmp_path / "paste.txt"
    paste.write_text(CLAIM_TABLE)
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.code == 0, r.out
    found = [(f["severity"], f["cause"], f["object"]["name"]) for f in r.doc["findings"]]
    assert found == [("info", "resource_claim_not_in_dump", "gpu-pod-gpu-claim-t9nnc")]


def test_a_claim_without_device_requests_is_not_short_of_devices(script, tmp_path):
    """An empty request list is valid (k8s.io/kubernetes v1.37.2 pkg/apis/resource/validation/
    validation.go:217 validateSet sets no minimum) and allocates nothing, so nothing can be
    short; it was once read as 'no single node has enough devices for all requests'."""
    paste = tmp_path / "claim.yaml"
    paste.write_text("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
                     "metadata: {name: c1, namespace: default}\nspec:\n  devices: {}\n")
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.code == 0, r.out
    assert [f["severity"] for f in r.doc["findings"]] in ([], ["info"])


def test_a_class_without_slices_in_the_paste_has_unknown_devices(script, tmp_path):
    """A DeviceClass pasted without any ResourceSlice: its devices are not in the dump, not 0
    (DIAG rule 2); explain_claim says the slices are not in the dump, in plain words."""
    paste = tmp_path / "paste.yaml"
    paste.write_text(
        "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu.example.com}\n"
        "spec:\n  selectors:\n  - cel: {expression: 'device.driver == \"gpu.example.com\"'}\n"
        "---\napiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
        "metadata: {name: c1, namespace: default}\nspec:\n  devices:\n    requests:\n"
        "    - name: gpu\n      exactly: {deviceClassName: gpu.example.com}\n")
    r = script("check_dra.py", "-f", str(paste))
    assert "DeviceClass gpu.example.com: devices not in the dump" in r.out, r.out
    assert "0 device(s)" not in r.out
    r = script("explain_claim.py", "-f", str(paste))
    assert "ResourceSlices are not in the dump" in r.out and "no ResourceSlices" not in r.out


# `kubectl get resourceslices` columns NAME NODE DRIVER POOL AGE: k8s.io/kubernetes
# pkg/printers/internalversion/printers.go v1.36.0 l.690-695, v1.37.2 l.696-701. The before/
# after shape is the one in https://github.com/kubernetes-sigs/dra-driver-nvidia-gpu/issues/330
# (the kubelet wipes a node's slices when it starts: v1.37.2 pkg/kubelet/cm/dra/plugin/
# dra_plugin_manager.go:180; a plugin that does not publish again leaves the node without).
SLICES_BEFORE_AFTER = """\
Before:
NAME                          NODE   DRIVER            POOL   AGE
n1-gpu.example.com-aaaaa      n1     gpu.example.com   n1     12h
n2-gpu.example.com-bbbbb      n2     gpu.example.com   n2     27m

Then, on n2: sudo systemctl restart kubelet

After:
NAME                          NODE   DRIVER            POOL   AGE
n1-gpu.example.com-aaaaa      n1     gpu.example.com   n1     12h
"""


def test_a_slice_gone_between_two_pasted_listings_is_a_node_without_slices(script, tmp_path):
    paste = tmp_path / "paste.txt"
    paste.write_text(SLICES_BEFORE_AFTER)
    r = script("check_dra.py", "-f", str(paste), "--json")
    assert r.code == 1, r.out
    found = [(f["severity"], f["cause"], f["basis"]) for f in r.doc["findings"]]
    assert found == [("warning", "no_resource_slices", "inferred")]
    f = r.doc["findings"][0]
    assert "n2" in f["message"] and "n1" not in f["message"].replace("n1-", "")
    assert f["confirm"] == ("kubectl get resourceslices --field-selector spec.nodeName=n2,"
                            "spec.driver=gpu.example.com")


def test_one_slice_table_without_a_command_line_is_partial_evidence(script, tmp_path):
    """The header alone names the kind; the rows say which driver publishes on which node,
    never that a slice or device is missing (a paste is partial)."""
    paste = tmp_path / "paste.txt"
    paste.write_text(SLICES_BEFORE_AFTER.split("Then")[0])
    r = script("check_dra.py", "-f", str(paste))
    assert r.code == 0, r.out
    assert "driver gpu.example.com on n1, n2" in r.out
    assert "no problem found in the dump" in r.out and "not missing" in r.out
    twice = tmp_path / "twice.txt"
    twice.write_text(SLICES_BEFORE_AFTER.split("Then")[0] * 2)
    assert script("check_dra.py", "-f", str(twice)).code == 0


CLASS_AND_CLAIM = """\
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata: {name: gpu.example.com}
spec:
  selectors:
  - cel: {expression: 'device.driver == "gpu.example.com"'}
---
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata: {name: c1, namespace: default}
spec:
  devices:
    requests:
    - name: gpu
      exactly: {deviceClassName: gpu.example.com}

$ kubectl get resourceslices
NAME                      NODE   DRIVER            POOL   AGE
n1-{driver}-aaaa   n1     {driver}   n1     3h
"""


def test_a_class_driver_absent_from_a_pasted_slice_table_is_said_as_the_table_shows(
        script, tmp_path):
    """The table says which drivers publish (NODE/DRIVER columns, printers.go v1.37.2
    l.696-701) but not their devices: a class whose driver has no row is a warning, inferred,
    worded as 'in the pasted list', with the field-selector query to confirm; a driver that
    has rows is not a finding (its devices stay unknown)."""
    paste = tmp_path / "paste.txt"
    paste.write_text(CLASS_AND_CLAIM.replace("{driver}", "net.example.com"))
    for name in ("check_dra.py", "explain_claim.py"):
        r = script(name, "-f", str(paste), "--json")
        assert r.code == 1, r.out
        f = r.doc["findings"][0]
        assert (f["severity"], f["cause"], f["basis"]) == (
            "warning", "no_resource_slices", "inferred")
        assert "in the pasted `kubectl get resourceslices` list" in f["message"]
        assert f["confirm"] == "kubectl get resourceslices --field-selector spec.driver=" \
                               "gpu.example.com"
    paste.write_text(CLASS_AND_CLAIM.replace("{driver}", "gpu.example.com"))
    for name in ("check_dra.py", "explain_claim.py"):
        r = script(name, "-f", str(paste), "--json")
        assert r.code == 0, r.out
        assert "no_resource_slices" not in {f["cause"] for f in r.doc["findings"]}


def test_a_device_class_known_from_a_table_row_selects_nothing_known(script, tmp_path):
    """A `kubectl get deviceclasses` row (Name, Age: printers.go v1.37.2 l.674-677) has no
    selectors; it was once read as a class without selectors, which selects every device (a
    NIC counted for a GPU class: 'devices are available', '1 device(s), 1 free')."""
    paste = tmp_path / "paste.txt"
    paste.write_text(
        "apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
        "metadata: {name: c1, namespace: default}\nspec:\n  devices:\n    requests:\n"
        "    - name: gpu\n      exactly: {deviceClassName: gpu.example.com}\n---\n"
        "apiVersion: resource.k8s.io/v1\nkind: ResourceSlice\nmetadata: {name: n1-net}\n"
        "spec:\n  driver: net.example.com\n  nodeName: n1\n"
        "  pool: {name: n1, generation: 1, resourceSliceCount: 1}\n  devices:\n  - name: eth1\n"
        "\n$ kubectl get deviceclasses\nNAME              AGE\ngpu.example.com   3h\n")
    r = script("explain_claim.py", "-f", str(paste), "--json")
    found = [(f["severity"], f["cause"]) for f in r.doc["findings"]]
    assert found == [("info", "device_class_not_in_dump")], r.out
    assert r.doc["findings"][0]["confirm"] == "kubectl get deviceclass gpu.example.com -o yaml"
    r = script("check_dra.py", "-f", str(paste))
    assert "DeviceClass gpu.example.com: known only from a `kubectl get deviceclasses` row" \
        in r.out and "1 free" not in r.out.split("DeviceClass")[1]


def test_a_class_absent_from_a_pasted_deviceclasses_list_is_said_as_the_list_shows(
        script, tmp_path):
    """`kubectl get deviceclasses` rows name the classes that exist (a cut table is possible:
    warning, inferred, 'not in the pasted list', confirm with kubectl get deviceclass X);
    only "No resources found" or a List proves it absent (error, as before)."""
    claim = ("apiVersion: resource.k8s.io/v1\nkind: ResourceClaim\n"
             "metadata: {name: c1, namespace: default}\nspec:\n  devices:\n    requests:\n"
             "    - name: gpu\n      exactly: {deviceClassName: gpu.example.com}\n\n")
    paste = tmp_path / "paste.txt"
    paste.write_text(claim + "$ kubectl get deviceclasses\nNAME                AGE\n"
                     "gpu2.example.com    3h\n")
    r = script("explain_claim.py", "-f", str(paste), "--json")
    f = r.doc["findings"][0]
    assert (f["severity"], f["cause"], f["basis"]) == ("warning", "device_class_missing",
                                                       "inferred"), r.out
    assert "not in the pasted `kubectl get deviceclasses` list" in f["message"]
    assert f["confirm"] == "kubectl get deviceclass gpu.example.com"
    paste.write_text(claim + "$ kubectl get deviceclasses\nNo resources found\n")
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert (r.doc["findings"][0]["severity"], r.doc["findings"][0]["cause"]) == (
        "error", "device_class_missing"), r.out


def test_a_listing_cut_mid_row_says_nothing_about_names_after_the_cut(script, tmp_path):
    """The apiserver lists a cluster-scoped kind in storage-key order (the name), as the
    outputs in dra-driver-nvidia-gpu#330 and kubernetes#141912 show: in a listing cut at a
    one-word line only names before the cut can be gone."""
    paste = tmp_path / "paste.txt"
    paste.write_text(SLICES_BEFORE_AFTER.replace(
        "NAME                          NODE   DRIVER            POOL   AGE\n"
        "n1-gpu.example.com-aaaaa      n1     gpu.example.com   n1     12h\n",
        "NAME                          NODE   DRIVER            POOL   AGE\n"
        "n0-gpu.example.com-zzzzz      n0     gpu.example.com   n0     12h\n"
        "n1-gpu.example.com-aaaaa      n1     gpu.example.com   n1     12h\n", 1)
        .rstrip("\n").rsplit("\n", 1)[0] + "\nn1-gpu.exam\n")
    r = script("check_dra.py", "-f", str(paste), "--json")
    [f] = r.doc["findings"]
    assert "node(s) n0 " in f["message"] and "n2" not in f["message"], f["message"]
    assert "cut at `n1-gpu.exam`" in f["evidence"][0]


def test_a_report_in_prose_only_is_info_not_bad_input(script, tmp_path):
    # kubevirt/kubevirtci#1251 (round 9): prose plus greps of feature-gate flags, no object and no
    # component message; the thread never confirmed a cause, so the answer is "cannot tell"
    paste = (ROOT_CASES / "kubevirtci-1251-kubelet-gate-registration" / "paste.txt")
    r = script("check_dra.py", "-f", str(paste), "--json")
    assert r.code == 0, r.out
    assert [(f["severity"], f["cause"]) for f in r.doc["findings"]] == [("info", "not_evaluated")]
    assert "kubectl api-versions" in r.doc["findings"][0]["fix"]


def test_text_about_nothing_dra_is_still_bad_input(script, tmp_path):
    paste = tmp_path / "p.txt"
    paste.write_text("The ingress controller returns 404 for every host we configured.\n")
    r = script("check_dra.py", "-f", str(paste))
    assert r.code == 2 and "neither Kubernetes objects" in r.err
