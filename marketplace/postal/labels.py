"""Printable parcel labels (PDF, reportlab): one A6 label, or a sheet of four on A4.

Each label has the Code 128 barcode of the tracking number with its human-readable form, a QR code (tracking number
and digital address), sender, recipient, the digital-address code, the destination service point, the amount to
collect and a large perishable mark where it applies. The printed words are fixed bilingual text (Vietnamese /
English), like the forms of the post: a label reads the same whoever prints it.

Vietnamese needs a font with its glyphs: DejaVu Sans, looked up in the usual system folders (Debian's
`fonts-dejavu-core`, installed by .ci/run when missing) or in POSTAL_LABEL_FONT_DIR.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics.barcode import code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from marketplace.postal import s10
from marketplace.web import vnd

FONT, FONT_BOLD = "LabelSans", "LabelSans-Bold"
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)


@dataclass(frozen=True)
class LabelData:
    tracking_number: str
    sender_name: str
    sender_phone: str
    sender_address: str
    recipient_name: str
    recipient_phone: str
    recipient_address: str
    digital_address: str
    destination_point: str
    cod_amount: int
    weight_grams: int
    perishable: bool = False
    express: bool = False
    #: priority goods (food, medicine, relief): a black band across the top
    priority: bool = False
    #: the recipient collects it at the delivery office
    pickup: bool = False


class FontMissing(RuntimeError):
    pass


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    dirs = [os.environ["POSTAL_LABEL_FONT_DIR"]] if os.environ.get("POSTAL_LABEL_FONT_DIR") else []
    for folder in [*dirs, *FONT_DIRS]:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
            return
    raise FontMissing("DejaVu Sans not found: install fonts-dejavu-core or set POSTAL_LABEL_FONT_DIR")


def _phone(value: str) -> str:
    return "0" + value[3:] if value and value.startswith("+84") else value or ""


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest size ≤ `size` at which `text` fits in `width`."""
    while size > 5 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _wrap(text: str, font: str, size: float, width: float, max_lines: int = 3) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(trial, font, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines[:max_lines]


def barcode_for(tracking_number: str, bar_width: float = 1.1) -> code128.Code128:
    return code128.Code128(tracking_number, barWidth=bar_width, barHeight=16 * mm, humanReadable=False, quiet=True)


def draw_label(c: Canvas, x: float, y: float, data: LabelData) -> None:
    """Draw one A6 label with its lower-left corner at (x, y)."""
    w, h = A6
    pad = 6 * mm
    inner = w - 2 * pad
    c.saveState()
    c.setLineWidth(0.8)
    c.rect(x + 2 * mm, y + 2 * mm, w - 4 * mm, h - 4 * mm)
    top = y + h - pad
    if data.priority:  # the priority band: seen first, from across the sorting hall
        band = 8 * mm
        c.setFillGray(0)
        c.rect(x + pad, top - band, inner, band, stroke=0, fill=1)
        c.setFillGray(1)
        text = "ƯU TIÊN / PRIORITY"
        c.setFont(FONT_BOLD, _fit(c, text, FONT_BOLD, 13, inner - 8))
        c.drawCentredString(x + w / 2, top - band / 2 - 4.5, text)
        c.setFillGray(0)
        top -= band + 2 * mm
    # header: brand and service, side by side when they fit, else the service on a line of its own
    brand = "BƯU ĐIỆN · CHỢ NÔNG SẢN"
    service = "CHUYỂN PHÁT NHANH / EXPRESS" if data.express else "TIÊU CHUẨN / STANDARD"
    c.setFont(FONT_BOLD, 10)
    c.drawString(x + pad, top - 8, brand)
    c.setFont(FONT_BOLD, 8)
    gap = 6
    if pdfmetrics.stringWidth(brand, FONT_BOLD, 10) + gap + pdfmetrics.stringWidth(service, FONT_BOLD, 8) > inner:
        c.drawString(x + pad, top - 18, service)
        top -= 10  # everything below moves down by the extra line
    else:
        c.drawRightString(x + w - pad, top - 8, service)
    # barcode and its human-readable line
    bc = barcode_for(data.tracking_number)
    bc.drawOn(c, x + (w - bc.width) / 2, top - 16 - bc.barHeight)
    c.setFont(FONT_BOLD, 12)
    c.drawCentredString(x + w / 2, top - 30 - bc.barHeight, s10.display(data.tracking_number))
    cursor = top - 44 - bc.barHeight
    # sender
    c.setFont(FONT, 7)
    c.drawString(x + pad, cursor, "NGƯỜI GỬI / FROM")
    cursor -= 10
    sender = f"{data.sender_name} · {_phone(data.sender_phone)}"[:80]
    c.setFont(FONT_BOLD, _fit(c, sender, FONT_BOLD, 8.5, inner))
    c.drawString(x + pad, cursor, sender)
    c.setFont(FONT, 8)
    for line in _wrap(data.sender_address, FONT, 8, inner, 2):
        cursor -= 10
        c.drawString(x + pad, cursor, line)
    cursor -= 8
    c.line(x + pad, cursor, x + w - pad, cursor)
    # recipient
    cursor -= 10
    c.setFont(FONT, 7)
    c.drawString(x + pad, cursor, "NGƯỜI NHẬN / TO")
    cursor -= 13
    recipient = f"{data.recipient_name} · {_phone(data.recipient_phone)}"[:60]
    c.setFont(FONT_BOLD, _fit(c, recipient, FONT_BOLD, 11, inner))
    c.drawString(x + pad, cursor, recipient)
    c.setFont(FONT, 9)
    for line in _wrap(data.recipient_address, FONT, 9, inner, 3):
        cursor -= 12
        c.drawString(x + pad, cursor, line)
    qr_size = 26 * mm
    cursor -= 16
    block_top = cursor
    if data.digital_address:
        c.setFont(FONT, 7)
        c.drawString(x + pad, cursor, "ĐỊA CHỈ SỐ / DIGITAL ADDRESS")
        cursor -= 15
        c.setFont(FONT_BOLD, _fit(c, data.digital_address, FONT_BOLD, 14, inner - qr_size - 4))
        c.drawString(x + pad, cursor, data.digital_address)
        cursor -= 14
    c.setFont(FONT, 7)
    c.drawString(x + pad, cursor, "NHẬN TẠI BƯU CỤC / PICKUP AT" if data.pickup else "BƯU CỤC PHÁT / DELIVERY OFFICE")
    cursor -= 11
    c.setFont(FONT_BOLD, _fit(c, data.destination_point, FONT_BOLD, 9, inner - qr_size - 4))
    c.drawString(x + pad, cursor, data.destination_point)
    cursor -= 18
    c.setFont(FONT, 7)
    c.drawString(x + pad, cursor, f"THU HỘ / COD · {data.weight_grams:,} g".replace(",", "."))
    cursor -= 17
    c.setFont(FONT_BOLD, 16)
    c.drawString(x + pad, cursor, vnd(data.cod_amount, "vi") if data.cod_amount else "0 ₫")
    # QR code at the right of the lower block
    widget = QrCodeWidget(f"{data.tracking_number} {data.digital_address}".strip(), barLevel="M")
    bx0, by0, bx1, by1 = widget.getBounds()
    drawing = Drawing(qr_size, qr_size, transform=[qr_size / (bx1 - bx0), 0, 0, qr_size / (by1 - by0), 0, 0])
    drawing.add(widget)
    drawing.drawOn(c, x + w - pad - qr_size, block_top - qr_size + 6)
    # perishable mark
    if data.perishable:
        band = 14 * mm
        c.setFillGray(0)
        c.rect(x + pad, y + pad, inner, band, stroke=0, fill=1)
        c.setFillGray(1)
        text = "HÀNG DỄ HỎNG / PERISHABLE"
        c.setFont(FONT_BOLD, _fit(c, text, FONT_BOLD, 16, inner - 8))
        c.drawCentredString(x + w / 2, y + pad + band / 2 - 5, text)
    c.restoreState()


def render_a6(data: LabelData) -> bytes:
    """One label on an A6 page. Raises FontMissing when no font with Vietnamese glyphs is installed."""
    _register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A6)
    c.setTitle(f"Nhãn {s10.display(data.tracking_number)}")
    draw_label(c, 0, 0, data)
    c.showPage()
    c.save()
    return buf.getvalue()


def render_sheet(labels: list[LabelData]) -> bytes:
    """Labels four to an A4 page (2 × 2 A6), in order: top-left, top-right, bottom-left, bottom-right."""
    _register_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    c.setTitle("Nhãn bưu gửi")
    w, h = A6
    slots = [(0, h), (w, h), (0, 0), (w, 0)]
    for i, data in enumerate(labels):
        if i and i % 4 == 0:
            c.showPage()
        draw_label(c, *slots[i % 4], data)
    c.showPage()
    c.save()
    return buf.getvalue()
