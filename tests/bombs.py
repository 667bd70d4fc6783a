"""Hostile pictures built byte by byte: PNGs that are a few kilobytes on disk and tens of megapixels once decoded."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 7072, height: int = 7072) -> bytes:
    """A valid 1-bit greyscale PNG of `width` × `height` black pixels (the default declares 50 megapixels and weighs
    about 6 KB): rows of zeros compress a thousandfold."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte "none", then the packed bits
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
