import io

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A6

from marketplace.postal import labels
from marketplace.postal.parcels import ParcelData, create_parcel, label_data
from tests.postal_barcode import decode_pdf_barcode, decode_pdf_barcodes


def _data(number="EE123456785VN", perishable=True, cod=1_250_000):
    return labels.LabelData(
        tracking_number=number,
        sender_name="Hộ Nguyễn Văn Ất",
        sender_phone="+84912345678",
        sender_address="Thôn Đông, Phường Hoàn Kiếm, Hà Nội",
        recipient_name="Trần Thị Bưởi",
        recipient_phone="+84987654321",
        recipient_address="12 Lê Lợi, Phường Sài Gòn, TP Hồ Chí Minh",
        digital_address="26740-2VH3-CM4J",
        destination_point="BC26740 · Bưu cục Sài Gòn",
        cod_amount=cod,
        weight_grams=1600,
        perishable=perishable,
        express=True,
    )


def _size(page):
    return float(page.mediabox.width), float(page.mediabox.height)


def test_a6_label_opens_has_a6_size_and_its_barcode_decodes_to_the_tracking_number():
    reader = PdfReader(io.BytesIO(labels.render_a6(_data())))
    assert len(reader.pages) == 1
    assert _size(reader.pages[0]) == pytest.approx(A6, abs=0.01)
    assert decode_pdf_barcode(reader) == "EE123456785VN"


def test_label_text_keeps_vietnamese_diacritics_and_shows_everything():
    text = PdfReader(io.BytesIO(labels.render_a6(_data()))).pages[0].extract_text()
    for expected in (
        "Trần Thị Bưởi",
        "Hộ Nguyễn Văn Ất",
        "26740-2VH3-CM4J",
        "Bưu cục Sài Gòn",
        "1.250.000 ₫",
        "EE 123 456 785 VN",
        "HÀNG DỄ HỎNG / PERISHABLE",
        "0987654321",
    ):
        assert expected in text, expected


def test_the_perishable_mark_only_when_it_applies():
    text = PdfReader(io.BytesIO(labels.render_a6(_data(perishable=False)))).pages[0].extract_text()
    assert "PERISHABLE" not in text


def test_a4_sheet_holds_four_labels_per_page():
    from marketplace.postal.s10 import compose

    numbers = [compose("EE" if i % 2 else "CE", 1000 + i) for i in range(5)]
    reader = PdfReader(io.BytesIO(labels.render_sheet([_data(n) for n in numbers])))
    assert _size(reader.pages[0]) == pytest.approx(A4, abs=0.01)
    assert len(reader.pages) == (len(numbers) + 3) // 4
    decoded = [code for i in range(len(reader.pages)) for code in decode_pdf_barcodes(reader, i)]
    assert decoded == numbers


def test_label_data_of_a_parcel(db, postal_world, make_address):
    parcel = create_parcel(
        postal_world.household,
        ParcelData(
            recipient_name="Trần Thị Bưởi",
            recipient_phone="+84987654321",
            recipient_address="12 Lê Lợi",
            recipient_ward_code=0,
            declared_weight_grams=800,
            cod_amount=90_000,
            perishable=True,
            digital_address=make_address(),
        ),
    )
    data = label_data(parcel)
    assert data.tracking_number == parcel.tracking_number and data.digital_address == parcel.digital_address.code
    assert data.destination_point.startswith(postal_world.destination.code)
    assert decode_pdf_barcode(PdfReader(io.BytesIO(labels.render_a6(data)))) == parcel.tracking_number
