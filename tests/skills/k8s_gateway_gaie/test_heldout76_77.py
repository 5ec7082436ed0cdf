"""Held-out rounds 76-77 of check_routes.py: route status entries for parents the spec no
longer names. Ground truth:

- a `status.parents[]` entry "corresponds with a ParentRef in the spec", and controllers
  "should ensure that entries to status populated with their ControllerName are cleaned up
  when they are no longer necessary" (gateway-api v1.6.3 apis/v1/shared_types.go:484-485,
  :499-501).
- Envoy Gateway keeps old entries (internal/provider/kubernetes/status.go:695-720@v1.9.0,
  mergeRouteParentStatus "Keep all old parent statuses, regardless of controller"):
  envoyproxy/gateway#6933 (a Gateway dropped from parentRefs stays in status.parents),
  envoyproxy/gateway#774 (parentRefs edited to another Gateway; the old Accepted entry stays,
  same lastTransitionTime).
"""
from __future__ import annotations

from .conftest import paste_findings as _findings
from .conftest import problem_causes as _causes

# envoyproxy/gateway#6933 as the reporter pasted it (the `...` elisions are theirs)
_EG_6933 = """\
In the example below, the `gateway-notfound` is not in the `spec.parentRefs` anymore, but is \
still present in the `status.parents`.

```
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  ...
spec:
  parentRefs:
  - group: gateway.networking.k8s.io
    kind: Gateway
    name: gateway-1
    namespace: envoy-gateway-ns
    sectionName: https
  ...
status:
  parents:
  - conditions:
    ...
    parentRef:
      group: gateway.networking.k8s.io
      kind: Gateway
      name: gateway-notfound
      namespace: envoy-gateway-ns
      sectionName: https
  - conditions:
    ...
    parentRef:
      group: gateway.networking.k8s.io
      kind: Gateway
      name: gateway-1
      namespace: envoy-gateway-ns
      sectionName: https
```
"""

# another form: `kubectl get grpcroute -o json` from the cluster, names invented. The spec's
# parentRef leaves namespace and sectionName out (the route's namespace, every listener); the
# leftover entry carries a refusal (NoMatchingParent, gateway-api RouteReasonNoMatchingParent)
# that is not the route's state any more.
_JSON_LEFTOVER = """\
{"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute",
 "metadata": {"name": "api", "namespace": "apps", "generation": 3,
              "resourceVersion": "812", "uid": "0b1c"},
 "spec": {"parentRefs": [{"name": "edge"}],
          "rules": [{"backendRefs": [{"name": "api", "port": 9000}]}]},
 "status": {"parents": [
   {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
    "parentRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                  "name": "edge", "namespace": "apps", "sectionName": "grpc"},
    "conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted",
                    "message": "Route is accepted", "observedGeneration": 3,
                    "lastTransitionTime": "2025-03-01T10:00:00Z"}]},
   {"controllerName": "gateway.envoyproxy.io/gatewayclass-controller",
    "parentRef": {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                  "name": "old-edge", "namespace": "apps"},
    "conditions": [{"type": "Accepted", "status": "False", "reason": "NoMatchingParent",
                    "message": "No listeners match this parent ref", "observedGeneration": 3,
                    "lastTransitionTime": "2025-03-01T10:00:00Z"}]}]}}
"""


def test_6933_parent_dropped_from_spec_is_stale(gw_run, tmp_path):
    found = _findings(gw_run, tmp_path, _EG_6933)
    problems = [f for f in found if f["severity"] != "info"]
    assert [f["cause"] for f in problems] == ["stale_status"]
    assert "gateway-notfound" in problems[0]["message"]
    assert "gateway-1" not in problems[0]["message"]


def test_leftover_entry_in_json_is_stale_not_its_refusal(gw_run, tmp_path):
    causes = _causes(gw_run, tmp_path, _JSON_LEFTOVER)
    # the leftover's NoMatchingParent is not the route's verdict on its current parent
    assert causes[:1] == ["stale_status"]
    assert "parent_not_found" not in causes


def test_entries_matching_the_spec_stay_silent(gw_run, tmp_path):
    # near miss: the same route with only the entry its spec names (sectionName filled in by
    # the controller, namespace defaulted): nothing stale
    current = _JSON_LEFTOVER.split(',\n   {"controllerName"')[0] + "]}}\n"
    assert "stale_status" not in _causes(gw_run, tmp_path, current)


def test_status_pasted_without_spec_is_not_judged(gw_run, tmp_path):
    status_only = _EG_6933.split("status:")[1]
    assert "stale_status" not in _causes(gw_run, tmp_path, "status:" + status_only)


# envoyproxy/gateway#774 as stored: the status before the edit, the edited parentRefs, then
# the status after the edit, cut inside its first condition by the stored copy
_EG_774 = """\
1. apply `examples/kubernetes/quickstart.yaml` - ensure that Gateway has proper Status \
conditions, with 1 listener condition
showing `attachedRoutes: 1`. Ensure that the HTTPRoute also has proper Parent Condition \
present. The httproute parent condition might look something like this
```yaml
status:
    parents:
    - conditions:
      - lastTransitionTime: "2022-12-03T07:23:33Z"
        message: Route is accepted
        observedGeneration: 1
        reason: Accepted
        status: "True"
        type: Accepted
      controllerName: gateway.envoyproxy.io/gatewayclass-controller
      parentRef:
        group: gateway.networking.k8s.io
        kind: Gateway
        name: eg
```
2. Now edit the HTTPRoute to point to a non-existing Gateway i.e.
```yaml
parentRefs:
    - group: gateway.networking.k8s.io
      kind: Gateway
      name: eg1
```

While the Gateway status properly specifies the `attachedRoutes: 0`, the HTTPRoute on the \
other hand shows:
```yaml
status:
    parents:
    - conditions:
      - lastTransitionTime: "2022-12-03T07:23:33Z"
        message
"""

_AFTER_EDIT = _EG_774.rsplit("status:", 1)[0]


def test_774_cut_status_after_parentref_edit_is_stale(gw_run, tmp_path):
    found = [f for f in _findings(gw_run, tmp_path, _EG_774) if f["severity"] != "info"]
    assert [f["cause"] for f in found] == ["stale_status"]
    assert "(Gateway eg)" in found[0]["message"]
    assert any("2022-12-03T07:23:33Z" in e for e in found[0]["evidence"])


def test_whole_status_after_the_edit_naming_the_old_parent_is_stale(gw_run, tmp_path):
    # another form: the after-edit status pasted whole, its parentRef still the old Gateway
    after = """status:
  parents:
  - conditions:
    - lastTransitionTime: "2022-12-03T07:23:33Z"
      message: Route is accepted
      observedGeneration: 1
      reason: Accepted
      status: "True"
      type: Accepted
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    parentRef:
      group: gateway.networking.k8s.io
      kind: Gateway
      name: eg
```
"""
    assert _causes(gw_run, tmp_path, _AFTER_EDIT + after) == ["stale_status"]


def test_status_after_the_edit_for_the_new_parent_stays_silent(gw_run, tmp_path):
    # near miss: after the edit the controller wrote an entry for the new parent (its own
    # condition time): the status follows the spec; and a status shown only before the edit
    # is the state before it
    after = """status:
  parents:
  - conditions:
    - lastTransitionTime: "2022-12-03T08:00:00Z"
      message: Route is accepted
      observedGeneration: 2
      reason: Accepted
      status: "True"
      type: Accepted
    controllerName: gateway.envoyproxy.io/gatewayclass-controller
    parentRef:
      group: gateway.networking.k8s.io
      kind: Gateway
      name: eg1
```
"""
    assert "stale_status" not in _causes(gw_run, tmp_path, _AFTER_EDIT + after)
    cut_new = _EG_774.replace('"2022-12-03T07:23:33Z"\n        message\n',
                              '"2022-12-03T08:00:00Z"\n        message\n')
    assert "stale_status" not in _causes(gw_run, tmp_path, cut_new)
    before_only = _EG_774.split("While the Gateway")[0]
    assert "stale_status" not in _causes(gw_run, tmp_path, before_only)


def test_pool_parent_status_after_a_parentrefs_block_stays_silent(gw_run, tmp_path):
    # near miss: an InferencePool's parent status (GAIE v1 ParentStatus: no controllerName)
    # names its Gateway, not a route's parent
    pool = """status:
  parents:
  - conditions:
    - lastTransitionTime: "2025-03-01T10:00:00Z"
      message: InferencePool has been accepted
      reason: Accepted
      status: "True"
      type: Accepted
    parentRef:
      group: gateway.networking.k8s.io
      kind: Gateway
      name: inference-gateway
```
"""
    assert "stale_status" not in _causes(gw_run, tmp_path, _AFTER_EDIT + pool)
