"""The VietQR encoder against the published example payloads (DOMAIN.md: subiz/vietqr's README, duyquoc1508/napas-qr),
CRC-16/CCITT-FALSE, and the QR image read back by zbar."""

import pytest

from marketplace.payments import emvco
from marketplace.payments.methods.vietqr import qr_png
from tests.qr import decode

#: 120.000 ₫ to VietinBank account 0011001932418, memo "ung ho lu lut" (subiz/vietqr, README)
SUBIZ = ("00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
         "62170813ung ho lu lut6304C15C")
#: 10.000 ₫ to ACB account 224528479, bill NPS6869, purpose "TRANSFER TO SOMEONE" (duyquoc1508/napas-qr)
NAPAS_QR = ("00020101021238530010A0000007270123000697041601092245284790208QRIBFTTA53037045405100005802VN"
            "62340107NPS68690819TRANSFER TO SOMEONE6304AC13")


def test_the_published_examples_are_encoded_byte_for_byte():
    assert emvco.encode(emvco.Transfer("970415", "0011001932418", 120_000, "ung ho lu lut")) == SUBIZ
    assert emvco.encode(emvco.Transfer("970416", "224528479", 10_000, "TRANSFER TO SOMEONE", "NPS6869")) == NAPAS_QR


def test_crc16_ccitt_false_check_value():
    assert emvco.crc16_ccitt_false(b"123456789") == 0x29B1  # the catalogue's check value for CRC-16/CCITT-FALSE


@pytest.mark.parametrize("payload", [SUBIZ, NAPAS_QR])
def test_published_examples_parse_and_a_changed_character_fails_the_crc(payload):
    fields = emvco.parse(payload)
    assert fields["00"] == "01" and fields["01"] == "12" and fields["53"] == "704" and fields["58"] == "VN"
    assert fields["38"]["00"] == emvco.NAPAS_AID and fields["38"]["02"] == "QRIBFTTA"
    with pytest.raises(emvco.PayloadError):
        emvco.parse(payload.replace("VN", "VM"))


def test_a_static_code_has_no_amount_and_bad_values_are_refused():
    static = emvco.parse(emvco.encode(emvco.Transfer("970405", "1234567890")))
    assert static["01"] == "11" and "54" not in static and "62" not in static
    for bad in (
        emvco.Transfer("97040", "1234567890", 1000),  # BIN of 5 digits
        emvco.Transfer("970405", "12345 67890", 1000),  # a space in the account
        emvco.Transfer("970405", "1234567890", 0),
        emvco.Transfer("970405", "1234567890", 1000, "chuyển tiền"),  # diacritics: not ASCII
        emvco.Transfer("970405", "1234567890", 1000, "X" * 26),  # longer than 25
    ):
        with pytest.raises(emvco.PayloadError):
            emvco.encode(bad)


@pytest.mark.parametrize("payload", [SUBIZ, NAPAS_QR])
def test_the_rendered_qr_image_reads_back_as_the_payload(payload):
    assert decode(qr_png(payload)) == [payload]
