"""`kubectl get resourceslices` answered "No resources found" is a full, empty listing: the API
is served (an unserved kind is "the server doesn't have a resource type") and no driver
publishes a device. Expected values: kubectl v0.37.2 pkg/cmd/get/get.go (prints "No resources
found" for an empty list), cli-runtime v0.37.2 builder.go (the unserved-type wording),
resource.k8s.io ResourceSlice is cluster-scoped (api/resource/v1 types.go)."""
from __future__ import annotations

EMPTY = "$ kubectl get resourceslices\nNo resources found\n"


def test_an_empty_slice_listing_means_no_driver_publishes(script, tmp_path):
    paste = tmp_path / "paste.txt"
    paste.write_text(EMPTY)
    r = script("check_dra.py", "-f", str(paste), "--json")
    assert r.code in (0, 1), r.err
    causes = [f["cause"] for f in r.doc["findings"]]
    assert causes[:1] == ["no_dra_drivers"], causes
    assert "dra_api_missing" not in causes


def test_explain_claim_answers_that_no_device_is_published(script, tmp_path):
    paste = tmp_path / "paste.txt"
    paste.write_text("The gpu claim stays pending and the pod is not scheduled.\n" + EMPTY)
    r = script("explain_claim.py", "-f", str(paste), "--json")
    assert r.code == 1, r.err
    top = r.doc["findings"][0]
    assert (top["cause"], top["basis"]) == ("no_resource_slices", "reported"), top
