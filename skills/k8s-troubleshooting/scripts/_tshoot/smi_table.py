"""nvidia-smi's summary table in a paste: one row per GPU with its name and its ECC cell.

nvidia-smi prints, for every GPU, a first row `|   0  NVIDIA A100-SXM...  On   |
00000000:07:00.0 Off |                    0 |` under the header `| GPU  Name  Persistence-M|
Bus-Id  Disp.A | Volatile Uncorr. ECC |`: the third cell is the GPU's volatile uncorrectable
ECC count since the driver loaded, `N/A` or `Off` when ECC is unsupported or disabled (the
same layout from driver 390 to 545: NVIDIA/cloud-native-docs gpu-operator/troubleshooting.rst
@52dcb7b:596-600, NVIDIA/k8s-device-plugin#33 and #71, canonical/microk8s-core-addons#251). The
header names the column; only a number above 0 in a GPU's row is an error.
"""
from __future__ import annotations

import re
from typing import NamedTuple

# a GPU's first row: number, name (cut with "..." past its width), persistence, bus id,
# display, then the ECC cell
_GPU_ROW = re.compile(r"^[ \t]*\|\s*(?P<number>\d+)\s+(?P<name>\S.*?)\s+(?:On|Off|N/A)\s*\|\s*"
                      r"(?P<bus>[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-7])\s+\S+\s*"
                      r"\|\s*(?P<ecc>\S+)\s*\|", re.M)


class SmiGpu(NamedTuple):
    number: int   # nvidia-smi's GPU index
    name: str
    bus: str
    ecc: str   # the Volatile Uncorr. ECC cell as printed: a count, N/A or Off
    line: str


def gpus(text: str) -> list[SmiGpu]:
    """The GPU rows of every nvidia-smi summary table in the text.

    >>> gpus("|   0  Tesla P100-PCIE...  On   | 00000000:0B:00.0 Off |                    2 |")
    ... # doctest: +NORMALIZE_WHITESPACE
    [SmiGpu(number=0, name='Tesla P100-PCIE...', bus='00000000:0B:00.0', ecc='2',
            line='|   0  Tesla P100-PCIE...  On   | 00000000:0B:00.0 Off |                    2 |')]
    """
    return [SmiGpu(int(m.group("number")), m.group("name"), m.group("bus"), m.group("ecc"),
                   " ".join(m.group(0).split())) for m in _GPU_ROW.finditer(text)]


def ecc_errors(text: str) -> list[str]:
    """The rows whose volatile uncorrectable ECC count is above 0."""
    return [gpu.line for gpu in gpus(text) if gpu.ecc.isdigit() and int(gpu.ecc) > 0]
