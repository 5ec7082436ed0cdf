"""NCCL's OFI net plugin (aws-ofi-nccl, the transport over AWS EFA / libfabric) that cannot
register a buffer with the network device: the communicator fails at setup.

The plugin prefixes every warning with "NET/OFI " (aws/aws-ofi-nccl include/nccl_ofi_log.h
NCCL_OFI_WARN), printed through NCCL's logger as `<func>:<line> NCCL WARN NET/OFI ...`. Its
memory-registration failures, by release (aws/aws-ofi-nccl at the tags named):
- `Unable to register memory for device %d. RC: %d, Error: %s` (v1.0.0 src/nccl_ofi_net.c:1204);
- `Unable to register memory (type = %d) for device %d. RC: %d, Error: %s` (v1.1.0
  src/nccl_ofi_net.c:454 ... v1.7.x src/nccl_ofi_rdma.c:617 register_rail_mr_buffer, its
  fi_mr_regattr failing, returned as ncclSystemError; src/nccl_ofi_sendrecv.cpp:582 at v1.21.1);
  type is NCCL's pointer type (net.h: NCCL_PTR_HOST 1, NCCL_PTR_CUDA 2, NCCL_PTR_DMABUF 4);
- `CM: Unable to register memory. RC: %d, Error: %s` (v1.17.0 src/cm/nccl_ofi_cm_resources.cpp),
  `Could not register memory on [data |ctrl ]rail %u with flag %lu`, `Failed to register memory
  for the control mailbox: %d`, `Could not register memory for control mailbox for dev %d`
  (src/nccl_ofi_rdma.cpp, v1.17.0-v1.21.1), `Couldn't register memory region with regattr. RC:
  %d, ERROR: %s` (v1.21.1 src/nccl_ofi_ofiutils.cpp:468).
`Unable to de-register memory` is a teardown message, not read here.

RC -22 (Invalid argument) on a GPU buffer is the one AWS names: "Set [FI_EFA_SET_CUDA_SYNC_MEMOPS=0]
on `efa-installer<1.29.1` and `nccl>=2.19.0` to prevent NCCL error `register_rail_mr_buffer:617
NCCL WARN NET/OFI Unable to register memory (type = 2) for device 4. RC: -22, Error: Invalid
argument`" (aws-samples/awsome-distributed-training 1.architectures/efa-cheatsheet.md@7217859:14).
"""
from __future__ import annotations

import re

# the plugin's prefix, then one of its registration failures (de-registration excluded)
_MR_FAILED = re.compile(
    r"NET/OFI\s+(?:CM:\s+)?(?:Unable to register memory\b|Could not register memory (?:on|for)\b"
    r"|Failed to register memory for\b|Couldn't register memory region\b)", re.IGNORECASE)


def mr_failed(text: str) -> list[str]:
    """The OFI plugin's memory-registration failures in the text (distinct lines, at most 3)."""
    lines = [" ".join(line.split())[:300] for line in text.splitlines() if _MR_FAILED.search(line)]
    return list(dict.fromkeys(lines))[:3]

