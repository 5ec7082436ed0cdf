"""Held-out round 50 (Kueue): the API server refusing the Workload Kueue creates because
Kueue may not set finalizers on the job kind (OwnerReferencesPermissionEnforcement). Ground
truth: kubernetes plugin/pkg/admission/gc/gc_admission.go:149@v1.37.2 ("cannot set
blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on:
%v, %v"); kubernetes-sigs/kueue#1485 (PyTorchJob on OpenShift, v0.5; fixed by PR #1486, the
<kind>/finalizers rules) and #392 (batch Jobs, v0.2)."""
from __future__ import annotations

import json
import subprocess
import sys

from .test_kueue_heldout46 import SCRIPTS, _causes

REFUSED = ('"error":"workloads.kueue.x-k8s.io \\"pytorchjob-simple-7a162\\" is forbidden: cannot '
           'set blockOwnerDeletion if an ownerReference refers to a resource you can\'t set '
           'finalizers on: , <nil>"\n')


def test_the_owner_finalizers_refusal_is_the_known_defect_with_its_own_fix():
    assert _causes("explain_pending.py", REFUSED)[0] == "kueue_bug"
    proc = subprocess.run([sys.executable, str(SCRIPTS / "explain_pending.py"), "-f", "-",
                           "--json"], input=REFUSED, capture_output=True, text=True, timeout=60)
    first = json.loads(proc.stdout)["findings"][0]
    assert "finalizers" in first["fix"] and "Toleration" not in first["fix"]


def test_another_objects_refusal_is_not_kueues_defect():
    text = REFUSED.replace("workloads.kueue.x-k8s.io", "pods")
    assert "kueue_bug" not in _causes("explain_pending.py", text)
