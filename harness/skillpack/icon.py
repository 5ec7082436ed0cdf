"""The plugin's listing icon, `.claude-plugin/icon.png`, drawn from code (no image library).

`claude plugin validate` warns when a plugin has no icon and wants a square PNG of 512 to
2048 px under 2 MB (CLI 2.1.332, check ICON_MISSING). The picture: a white heptagon ring
(seven sides, as Kubernetes' wheel has seven spokes) around an accelerator chip with pins,
on a rounded navy square. Drawn with 2x2 supersampling so edges are smooth; the output is a
pure function of the constants below, so `python -m harness.skillpack.icon` reproduces the
committed file's pixels exactly.
"""
from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

from harness.skillpack.marketplace import PLUGIN_DIR

ICON = PLUGIN_DIR / "icon.png"
SIZE = 512
BACKGROUND = (0x17, 0x2B, 0x5C)
INK = (0xFF, 0xFF, 0xFF)
ACCENT = (0x4F, 0xC3, 0xF7)
SAMPLES = 2  # per axis


def _heptagon(radius: float) -> list[tuple[float, float]]:
    return [(radius * math.sin(2 * math.pi * k / 7), -radius * math.cos(2 * math.pi * k / 7))
            for k in range(7)]


def _inside(poly: list[tuple[float, float]], x: float, y: float) -> bool:
    """Convex polygon, vertices clockwise on screen: inside when left of no edge."""
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1]):
        if (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1) < 0:
            return False
    return True


OUTER, INNER = _heptagon(0.80), _heptagon(0.68)


def _rounded_square(x: float, y: float, half: float, corner: float) -> bool:
    dx, dy = max(abs(x) - (half - corner), 0.0), max(abs(y) - (half - corner), 0.0)
    return abs(x) <= half and abs(y) <= half and dx * dx + dy * dy <= corner * corner


def _chip(x: float, y: float) -> tuple[int, int, int] | None:
    """The accelerator: a body with a lit die, four pins per side."""
    if _rounded_square(x, y, 0.30, 0.05):
        return ACCENT if _rounded_square(x, y, 0.16, 0.03) else INK
    for along, across in ((x, y), (y, x)):
        if 0.30 < abs(across) <= 0.40:
            if any(abs(along - c) <= 0.035 for c in (-0.195, -0.065, 0.065, 0.195)):
                return INK
    return None


def colour_at(x: float, y: float) -> tuple[int, int, int, int]:
    """RGBA at a point of the [-1, 1]^2 canvas (y grows downwards)."""
    if not _rounded_square(x, y, 0.98, 0.22):
        return (0, 0, 0, 0)
    if _inside(OUTER, x, y) and not _inside(INNER, x, y):
        return (*INK, 255)
    chip = _chip(x, y)
    return (*(chip or BACKGROUND), 255)


def pixels(size: int = SIZE) -> bytes:
    """Raw PNG scanlines (filter byte 0 + RGBA) of the icon, supersampled."""
    step = 2.0 / (size * SAMPLES)
    offsets = [(i + 0.5) * step for i in range(SAMPLES)]
    rows = []
    for py in range(size):
        row = bytearray(b"\x00")
        for px in range(size):
            acc = [0, 0, 0, 0]
            for oy in offsets:
                for ox in offsets:
                    r, g, b, a = colour_at(-1 + px * 2.0 / size + ox, -1 + py * 2.0 / size + oy)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3]
            colour = [round(c / alpha) if alpha else 0 for c in acc[:3]]
            row += bytes(colour + [round(alpha / SAMPLES ** 2)])
        rows.append(bytes(row))
    return b"".join(rows)


def png(size: int = SIZE) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(pixels(size), 9)) + chunk(b"IEND", b""))


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else ICON
    out.write_bytes(png())
    print(f"{out}: {SIZE}x{SIZE} PNG")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
