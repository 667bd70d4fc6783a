"""Every message fits one SMS segment of GSM text (Vietnamese without diacritics, at most 160 characters, the link
whole), and the Zalo data of each kind names its template."""

from __future__ import annotations

import pytest

from marketplace.messaging.texts import KINDS, fold, render, sms_text

LINK = "https://chonongsan.vn/o/" + "A" * 16 + "." + "B" * 22
DATA = {"number": "DH123456", "total": 1_250_000, "link": LINK, "items": "Xoài cát Hòa Lộc × 3" * 10,
        "reason": "Hết hàng vì mưa lũ kéo dài " * 5, "phone": "0283 822 000", "tracking": "EE123456785VN",
        "code": "123456"}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_each_kind_fits_one_gsm_segment_with_its_link_whole(app, kind, locale):
    rendered = render(kind, DATA, locale)
    assert rendered.sms.isascii() and len(rendered.sms) <= 160
    if "link" in rendered.zalo_data:
        assert rendered.sms.endswith(LINK)
    assert rendered.zalo_template and rendered.subject and rendered.body


def test_folding_removes_every_vietnamese_mark():
    assert fold("Đơn hàng đã giao: Xoài cát Hòa Lộc, 150.000 ₫") == "Don hang da giao: Xoai cat Hoa Loc, 150.000 d"
    assert sms_text("ạ" * 300).startswith("a") and len(sms_text("ạ" * 300)) == 160


def test_the_otp_text_in_vietnamese(app):
    assert render("otp", {"code": "654321"}, "vi").sms.startswith("Cho Nong San Buu Dien: ma cua ban la 654321")
