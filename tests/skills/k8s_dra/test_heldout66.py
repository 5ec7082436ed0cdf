"""Held-out round 66 (DRA).

1. kubernetes/kubernetes#129310: an allocationMode All template and the reporter's sentence
   that the driver was not running on the node, "so there were no resource slices for that
   node" (the state `kubectl get resourceslices` shows, said in words) -> no_resource_slices,
   inferred. A sentence about ResourceSlice errors or problems is not that.
2. kubernetes/kubernetes#134789 (fixed by PR #134793): the allocator wrote FromClass configs
   without `requests` into an allocation serving two requests. The API reads an empty list as
   "applies to all requests" (k8s.io/api v0.37.2 resource/v1/types.go:2349-2350), and the
   fixed allocator names the request on every FromClass entry
   (dynamic-resource-allocation v0.37.2 structured/internal/stable/allocator_stable.go:336-341)
   -> scheduler_plugin_error. One request, FromClaim entries, or entries that name their
   requests (the fixed allocator's output) are fine.
"""
from __future__ import annotations

import pytest

from _dra import prose

from .test_dra_heldout import _findings

ALL_MODE = """I created a resource claim template to get "All" GPUs on a node:

```yaml
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimTemplate
metadata:
  name: all-gpus
spec:
  spec:
    devices:
      requests:
      - name: gpu
        deviceClassName: gpu.nvidia.com
        allocationMode: All
```

I then created a deployment that had a Pod that used that claim. The Pod was scheduled to a
node. However, my DRA driver on that node was not running, so there were no resource slices
for that node.
"""


def test_no_slices_said_of_the_node_is_no_resource_slices():
    # kubernetes#129310, the reporter's words (the held-out paste)
    first = _findings(ALL_MODE)[0]
    assert first["cause"] == "no_resource_slices" and first["basis"] == "inferred", first
    assert first["confirm"]


@pytest.mark.parametrize("text", [
    "After the upgrade the GPU node has no ResourceSlices.",
    "There are no `ResourceSlices` on worker-3 at all, the plugin pod is Pending.",
    "No ResourceSlices exist for the example driver.",
])
def test_no_slices_said_in_other_words(text):
    assert [f["cause"] for f in prose.findings([text])][:1] == ["no_resource_slices"]


@pytest.mark.parametrize("text", [
    "There were no ResourceSlice errors in the driver log.",
    "The kubelet log has no resource slice problems, the claim still waits.",
    "Are there no ResourceSlice examples for this driver in the docs?",
])
def test_slices_named_beside_no_without_saying_none_exist(text):
    assert "no_resource_slices" not in [f["cause"] for f in prose.findings([text])]


def test_all_mode_template_alone_stays_not_evaluated():
    # without the sentence nothing in the paste says why the pod got no device
    text = ALL_MODE.split("I then created")[0]
    assert [f["cause"] for f in _findings(text)] == ["not_evaluated"]


FROM_CLASS = """```yaml
apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: my-resource-claim
spec:
...
status:
  allocation:
    devices:
      config:
      - opaque:
          driver: resource-driver.example.com
          parameters:
            test: example-0
        source: FromClass
      - opaque:
          driver: resource-driver.example.com
          parameters:
            test: example-1
        source: FromClass
      results:
      - device: eth0
        driver: resource-driver.example.com
        pool: kind-worker2
        request: request0
      - device: eth1
        driver: resource-driver.example.com
        pool: kind-worker2
        request: request1
```
"""


def test_class_configs_without_requests_in_a_two_request_allocation():
    # kubernetes#134789 (the held-out paste)
    first = _findings(FROM_CLASS)[0]
    assert first["cause"] == "scheduler_plugin_error" and first["basis"] == "inferred", first
    assert "deviceClassName" in first["confirm"]


CLAIM = """apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  name: train
  namespace: ml
spec:
  devices:
    requests:
    - name: gpu
      firstAvailable:
      - name: large
        deviceClassName: gpu.example.com
    - name: nic
      exactly:
        deviceClassName: nic.example.com
status:
  allocation:
    devices:
      config:
      - source: FromClass@GPU@
        opaque:
          driver: gpu.example.com
          parameters: {sharing: timeslice}
      - source: FromClass@NIC@
        opaque:
          driver: nic.example.com
          parameters: {mtu: 9000}
      results:
      - {request: gpu/large, driver: gpu.example.com, pool: node-a, device: gpu-0}
      - {request: nic, driver: nic.example.com, pool: node-a, device: nic-0}
    nodeSelector:
      nodeSelectorTerms:
      - matchFields:
        - {key: metadata.name, operator: In, values: [node-a]}
"""


def test_another_form_subrequests_and_v1_spec():
    # a subrequest result ("gpu/large") counts as its main request "gpu"
    text = CLAIM.replace("@GPU@", "").replace("@NIC@", "")
    found = [f for f in _findings(text) if f["cause"] == "scheduler_plugin_error"]
    assert found and "gpu, nic" in found[0]["message"], found


def test_class_configs_that_name_their_requests_are_fine():
    # what the fixed allocator writes (allocator_stable.go:339: Requests: [requestName])
    text = CLAIM.replace("@GPU@", "\n        requests: [gpu/large]").replace(
        "@NIC@", "\n        requests: [nic]")
    assert "scheduler_plugin_error" not in [f["cause"] for f in _findings(text)]


def test_one_request_or_claim_configs_stay_silent():
    one = FROM_CLASS.split("      - device: eth1")[0] + "```\n"
    assert "scheduler_plugin_error" not in [f["cause"] for f in _findings(one)]
    claim_source = FROM_CLASS.replace("source: FromClass", "source: FromClaim")
    assert "scheduler_plugin_error" not in [f["cause"] for f in _findings(claim_source)]
