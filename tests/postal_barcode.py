"""Read a Code 128 barcode back out of a PDF page, without a browser or an image library.

The bars are the filled rectangles (`re` operators) of the barcode's height; the spaces are the gaps between them.
Widths are divided by the narrowest bar to get modules, the modules are looked up in the Code 128 width table and the
symbols are checked (start, checksum mod 103, stop) and turned back into text.
"""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.graphics.barcode.code128 import _patterns

# 'BaBbBb' → (2, 1, 2, 2, 2, 2): upper case letters are bars, lower case spaces, A/a = 1 module … D/d = 4
WIDTHS = {tuple(ord(ch.upper()) - ord("A") + 1 for ch in pattern): value for value, pattern in _patterns.items()}


def _mul(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def bar_rectangles(reader: PdfReader, page_index: int = 0) -> list[list[tuple[float, float, float, float]]]:
    """Filled rectangles of the page in page coordinates (following q/Q/cm), grouped by (y, height), largest first."""
    page = reader.pages[page_index]
    ops = ContentStream(page.get_contents(), reader).operations
    ctm, stack = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), []
    groups: dict[tuple[float, float], list] = {}
    for operands, operator in ops:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            a, _b, _c, d, e, f = ctm  # labels are never rotated: scale and translation only
            x, y, w, h = a * x + e, d * y + f, a * w, d * h
            groups.setdefault((round(y, 2), round(h, 2)), []).append((x, y, w, h))
    return sorted(groups.values(), key=len, reverse=True)


def decode_widths(elements: list[int]) -> str:
    symbols, i = [], 0
    while i < len(elements):
        size = 7 if len(elements) - i == 7 else 6
        chunk = tuple(elements[i : i + size])
        if chunk not in WIDTHS:
            raise ValueError(f"no Code 128 symbol has widths {chunk}")
        symbols.append(WIDTHS[chunk])
        i += size
    start, *data, check, stop = symbols
    if stop != 106 or start not in (103, 104, 105):
        raise ValueError("missing start or stop symbol")
    if (start + sum(pos * v for pos, v in enumerate(data, 1))) % 103 != check:
        raise ValueError("checksum mismatch")
    mode = {103: "A", 104: "B", 105: "C"}[start]
    out = []
    for v in data:
        if mode == "C":
            if v < 100:
                out.append(f"{v:02d}")
                continue
            mode = {100: "B", 101: "A"}[v]
        elif v in (99, 100, 101) and (mode, v) != ("A", 100) and (mode, v) != ("B", 101):
            mode = {99: "C", 100: "B", 101: "A"}[v]
        elif mode == "B":
            out.append(chr(v + 32))
        else:
            out.append(chr(v + 32) if v < 64 else chr(v - 64))
    return "".join(out)


def _runs(rects: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """Split bars of one height into separate barcodes where a gap wider than a quiet zone (10 modules) appears."""
    rects = sorted(rects, key=lambda r: r[0])
    unit = min(r[2] for r in rects)
    runs, current = [], [rects[0]]
    for a, b in zip(rects, rects[1:], strict=False):
        if b[0] - (a[0] + a[2]) > 10 * unit:
            runs.append(current)
            current = []
        current.append(b)
    runs.append(current)
    return runs


def decode_bars(rects: list[tuple[float, float, float, float]]) -> str:
    unit = min(r[2] for r in rects)
    elements = []
    for a, b in zip(rects, rects[1:], strict=False):
        elements.append(round(a[2] / unit))
        elements.append(round((b[0] - (a[0] + a[2])) / unit))
    elements.append(round(rects[-1][2] / unit))
    return decode_widths(elements)


def decode_pdf_barcodes(reader: PdfReader, page_index: int = 0) -> list[str]:
    """The texts of every Code 128 barcode drawn on the page, left to right, top to bottom."""
    found = []
    for group in bar_rectangles(reader, page_index):
        if len(group) < 20:
            continue
        for run in _runs(group):
            try:
                found.append((-run[0][1], run[0][0], decode_bars(run)))
            except ValueError:
                continue
    return [text for _y, _x, text in sorted(found)]


def decode_pdf_barcode(reader: PdfReader, page_index: int = 0) -> str:
    """The text of the one Code 128 barcode on the page. Raises ValueError when there is none."""
    found = decode_pdf_barcodes(reader, page_index)
    if not found:
        raise ValueError("no Code 128 barcode found on the page")
    return found[0]
