"""Held-out round 46 (DRA): pods on DRA claims stuck Terminating after the driver was
uninstalled. Ground truth: kubernetes/kubernetes#129402 (the kubelet keeps a pod Terminating
until the driver's kubelet plugin unprepares its claims: intended); NVIDIA/gpu-operator#2571
(`helm uninstall gpu-operator` removed the DRA kubelet plugin before the pods on its
adminAccess claims)."""
from __future__ import annotations

from .test_dra_heldout import _findings

PASTE = ('root@n1:~# helm uninstall gpu-operator -n gpu-operator\n'
         'release "gpu-operator" uninstalled\n'
         'root@n1:~# kgpo\n'
         'NAME                             READY   STATUS        RESTARTS   AGE\n'
         'nvidia-dra-validator-tcxvg       0/1     Terminating   4          2m\n\n'
         'The validator Pods use DRA ResourceClaimTemplates with adminAccess.\n')


def test_pods_on_claims_stuck_after_the_driver_was_uninstalled():
    first = _findings(PASTE)[0]
    assert first["cause"] == "driver_not_registered" and first["basis"] == "inferred", first


def test_terminating_pods_without_claims_are_not_that():
    text = PASTE.replace("The validator Pods use DRA ResourceClaimTemplates with adminAccess.",
                         "The validator Pods use a hostPath volume.")
    assert "driver_not_registered" not in [f["cause"] for f in _findings(text)]
