"""`kubectl get nodes` tables of every kubectl release, read without a command line above them.

Columns come from k8s.io/kubernetes pkg/printers/internalversion/printers.go: v1.6-v1.7
`NAME STATUS AGE VERSION`, -o wide adding `EXTERNAL-IP OS-IMAGE KERNEL-VERSION` (v1.7.0
printers.go:75-76); v1.8 on `NAME STATUS ROLES AGE VERSION`, -o wide adding `EXTERNAL-IP
OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME` (v1.8.0 printers.go:217-227) and `INTERNAL-IP`
before them from v1.11 (v1.11.0 printers.go:218-229; unchanged in v1.37.2 :257-268). STATUS is
the Ready condition's word with `SchedulingDisabled` appended when spec.unschedulable is set
(v1.37.2 printers.go:2046).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "skills" / "_shared"))

from k8s_skillkit.loading import parse_paste  # noqa: E402

# SUSE/caasp-salt#336: a kubectl of that era against v1.8.5 nodes, a worker left cordoned
V17 = """\
NAME                                                 STATUS                     AGE       VERSION
8250118f04664f1392eff757d280d698.infra.caasp.local   Ready,SchedulingDisabled   10m       v1.8.5
"""
V17_WIDE = """\
NAME      STATUS                     AGE       VERSION   EXTERNAL-IP   OS-IMAGE                KERNEL-VERSION
worker1   Ready,SchedulingDisabled   12d       v1.7.4    <none>        Ubuntu 16.04.3 LTS      4.4.0-93-generic
worker2   Ready                      12d       v1.7.4    <none>        Ubuntu 16.04.3 LTS      4.4.0-93-generic
"""
V110_WIDE = """\
NAME      STATUS                     ROLES    AGE   VERSION   EXTERNAL-IP   OS-IMAGE                KERNEL-VERSION          CONTAINER-RUNTIME
worker1   Ready,SchedulingDisabled   <none>   3d    v1.10.2   <none>        CentOS Linux 7 (Core)   3.10.0-862.el7.x86_64   docker://17.3.2
"""
CURRENT_WIDE = """\
NAME       STATUS                     ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION      CONTAINER-RUNTIME
worker-1   Ready,SchedulingDisabled   <none>   10d   v1.29.1   10.0.0.4      <none>        Ubuntu 22.04.3 LTS   5.15.0-91-generic   containerd://1.7.2
"""
# near miss: `kubectl get ns` prints NAME STATUS AGE (printers.go namespaceColumnDefinitions):
# no VERSION column, not a node
NAMESPACES = """\
NAME          STATUS        AGE
kube-system   Active        12d
team-a        Terminating   3d
"""


def _nodes(text: str) -> list[dict]:
    return [o for o in parse_paste(text, "paste") if o.get("kind") == "Node"]


def test_pre_roles_node_table_is_read_with_its_cordon():
    (node,) = _nodes(V17)
    assert node["metadata"]["name"] == "8250118f04664f1392eff757d280d698.infra.caasp.local"
    assert node["spec"] == {"unschedulable": True}
    assert node["status"]["conditions"] == [{"type": "Ready", "status": "True"}]


def test_wide_node_tables_of_each_release_are_read():
    for text in (V17_WIDE, V110_WIDE, CURRENT_WIDE):
        nodes = _nodes(text)
        assert nodes and nodes[0]["spec"] == {"unschedulable": True}, text
    worker2 = _nodes(V17_WIDE)[1]
    assert "unschedulable" not in (worker2.get("spec") or {})


def test_namespace_table_is_no_node_table():
    assert _nodes(NAMESPACES) == []
