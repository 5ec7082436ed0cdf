"""Ranks' logs that only show torch.distributed's rendezvous going through, pasted without a
job: read as what they say (nothing failed up to there), not refused.

c10d logs its store's sockets at INFO (TORCH_CPP_LOG_LEVEL=INFO / TORCH_DISTRIBUTED_DEBUG):
pytorch torch/csrc/distributed/c10d/socket.cpp C10D_INFO "The server socket has started to
listen on {}." (rank 0's TCPStore) and "The client socket has connected to {} on {}." (the
other ranks reached it), printed `[I socket.cpp:NNN] [c10d] ...` (pytorch/pytorch#81704). With
no error after them a hang is past the store: in the process group's own connections between
the ranks (gloo or NCCL pick other ports), which these lines do not show
(kubeflow/trainer#1636: an Istio sidecar proxy in the pods, fixed by
sidecar.istio.io/inject: "false", kubeflow/trainer#1637).
"""
from __future__ import annotations

import re

from k8s_skillkit.findings import finding

_MET = re.compile(r"\[c10d\] The (?:server socket has started to listen on|client socket has "
                  r"connected to) \S")


def rendezvous_lines(texts: list[str]) -> list[str]:
    """c10d's lines that say the store listened or a rank connected to it."""
    return [line.strip() for text in texts for line in str(text).splitlines()
            if _MET.search(line)]


def rendezvous_only(lines: list[str]) -> dict:
    """The info a paste of such lines gets: what they establish, and what decides the rest."""
    return finding(
        "info", "not_evaluated", {"kind": "", "name": ""},
        "no training job in the input, and the ranks' logs hold no error: c10d's store was "
        "reached (the master listens, the other ranks connected); a hang after this is in the "
        "process group's connections between the ranks, which these lines do not show",
        lines[:2] + ([lines[-1]] if len(lines) > 2 else []),
        "rerun with NCCL_DEBUG=INFO (NCCL) or TORCH_DISTRIBUTED_DEBUG=DETAIL (gloo) and paste "
        "every rank's log past the hang (kubectl logs -l <job label> --prefix), with the job "
        "(kubectl get <kind> NAME -o yaml); check what sits between the ranks' pods: a "
        "NetworkPolicy, or a service-mesh sidecar proxy (istio-proxy in the pod's containers: "
        "annotate the training pods sidecar.istio.io/inject: \"false\", kubeflow/trainer#1637)",
        basis="reported")
