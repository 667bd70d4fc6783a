"""Every label variant prints clean: no two pieces of text overlap, and nothing leaves the label, whatever the
service (express or standard), perishable band, amount to collect and length of the addresses.

The PDF is rendered for real and read back with pypdf: each text run's position and font size come from the page
content, its width from the font's metrics."""

from __future__ import annotations

import io
import itertools

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from marketplace.postal import labels

LONG = "Số 123 ngõ 45 ngách 67 đường Nguyễn Văn Cừ nối dài, Tổ dân phố số 12, Phường Sài Gòn, TP Hồ Chí Minh"


def _data(express: bool, perishable: bool, cod: int, long: bool, digital: bool,
          priority: bool = False) -> labels.LabelData:
    return labels.LabelData(
        tracking_number="EE123456785VN",
        sender_name="Hợp tác xã Nông nghiệp Xanh Cao Phong Hòa Bình" if long else "Hộ Nguyễn Văn Ất",
        sender_phone="+84912345678",
        sender_address=LONG if long else "Thôn Đông, Phường Hoàn Kiếm, Hà Nội",
        recipient_name="Nguyễn Thị Thanh Hương Giang" if long else "Trần Thị Bưởi",
        recipient_phone="+84987654321",
        recipient_address=LONG if long else "12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh",
        digital_address="26740-2VH3-CM4J" if digital else "",
        destination_point="BC26740 · Bưu cục Trung tâm Khai thác Sài Gòn" if long else "BC26740 · Bưu cục Sài Gòn",
        cod_amount=cod,
        weight_grams=29_500 if long else 1600,
        perishable=perishable,
        express=express,
        priority=priority,
        pickup=priority and long,
    )


def _runs(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, y0, x1, y1) of every text run on the page, in points."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    runs = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        base = str((font or {}).get("/BaseFont", ""))
        name = labels.FONT_BOLD if "Bold" in base else labels.FONT
        scale = (cm[0] ** 2 + cm[1] ** 2) ** 0.5 if cm else 1
        px = (tm[4] * cm[0] + tm[5] * cm[2] + cm[4]) if cm else tm[4]
        py = (tm[4] * cm[1] + tm[5] * cm[3] + cm[5]) if cm else tm[5]
        eff = size * (tm[0] or 1) * scale
        width = pdfmetrics.stringWidth(text, name, eff)
        runs.append((text.strip(), px, py - 0.2 * eff, px + width, py + 0.75 * eff))

    page.extract_text(visitor_text=visit)
    return runs


VARIANTS = list(
    itertools.product((True, False), (True, False), (0, 1_250_000), (True, False), (True, False), (True, False))
)


@pytest.mark.parametrize("express, perishable, cod, long, digital, priority", VARIANTS)
def test_no_text_overlaps_and_nothing_leaves_the_label(express, perishable, cod, long, digital, priority):
    pdf = labels.render_a6(_data(express, perishable, cod, long, digital, priority))
    runs = _runs(pdf)
    if priority:  # the band's words are on the label, above everything else
        band = next(r for r in runs if "PRIORITY" in r[0])
        assert band[4] >= max(r[4] for r in runs) - 0.5
    assert any("BƯU ĐIỆN" in r[0] for r in runs) and any(("EXPRESS" if express else "STANDARD") in r[0] for r in runs)
    w, h = A6
    for text, x0, y0, x1, y1 in runs:
        assert 0 <= x0 and x1 <= w and 0 <= y0 and y1 <= h, (text, x0, y0, x1, y1)
    if perishable:  # the black band at the foot carries its own words only: nothing else may print under it
        band_top = 20 * mm
        for text, _x0, y0, _x1, _y1 in runs:
            assert "PERISHABLE" in text or y0 >= band_top, (text, y0, band_top)
    for a, b in itertools.combinations(runs, 2):
        overlap_x = min(a[3], b[3]) - max(a[1], b[1])
        overlap_y = min(a[4], b[4]) - max(a[2], b[2])
        assert not (overlap_x > 0.5 and overlap_y > 0.5), f"{a[0]!r} overlaps {b[0]!r}"
