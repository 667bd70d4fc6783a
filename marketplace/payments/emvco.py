"""VietQR payloads: EMVCo merchant-presented QR with the NAPAS 247 profile (bank transfer to an account).

Every field is `ID(2) LEN(2) VALUE`, templates nest the same way, and the payload ends with `63 04 <CRC>`, the
CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final XOR) of everything before it including `6304`.
No maintained Python library for this exists, so this is a small encoder of our own, tested against the published
example payloads (tests/test_vietqr_payload.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: NAPAS's application identifier (template 38, sub-field 00)
NAPAS_AID = "A000000727"
#: service code: transfer to an account (QRIBFTTC would be to a card)
TO_ACCOUNT = "QRIBFTTA"
VND = "704"
#: the memo (additional data 62/08) is kept short and ASCII: banks cut or mangle anything else
MEMO_MAX = 25
_ASCII_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")


class PayloadError(ValueError):
    """A value that cannot go into a VietQR payload (too long, not ASCII, a malformed or corrupted payload)."""


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def field(tag: str, value: str) -> str:
    """One TLV field. Raises PayloadError for a value longer than 99 characters."""
    if len(value) > 99:
        raise PayloadError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


@dataclass(frozen=True)
class Transfer:
    """What a banking app needs to pre-fill a transfer."""

    #: the bank's 6-digit NAPAS BIN (970415 VietinBank, 970405 Agribank, …)
    bank_bin: str
    account_number: str
    #: đồng; None for a static QR (the payer types the amount)
    amount: int | None = None
    #: the transfer memo (ASCII, ≤ 25 characters); the payment code goes first
    memo: str = ""
    #: additional data 62/01, a bill number (optional)
    bill_number: str = ""


def _check(transfer: Transfer) -> None:
    if not re.fullmatch(r"\d{6}", transfer.bank_bin):
        raise PayloadError("the bank BIN has 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", transfer.account_number):
        raise PayloadError("the account number has 1 to 19 letters or digits")
    if transfer.amount is not None and not 0 < transfer.amount <= 9_999_999_999_999:
        raise PayloadError("the amount is a positive whole number of đồng")
    for name, value in (("memo", transfer.memo), ("bill number", transfer.bill_number)):
        if len(value) > MEMO_MAX or not _ASCII_PRINTABLE.match(value):
            raise PayloadError(f"the {name} is ASCII and at most {MEMO_MAX} characters")


def encode(transfer: Transfer) -> str:
    """The payload string for a transfer: dynamic (`12`) with an amount, static (`11`) without. Raises
    PayloadError for a value that does not fit."""
    _check(transfer)
    beneficiary = field("00", transfer.bank_bin) + field("01", transfer.account_number)
    napas = field("00", NAPAS_AID) + field("01", beneficiary) + field("02", TO_ACCOUNT)
    parts = [
        field("00", "01"),
        field("01", "12" if transfer.amount is not None else "11"),
        field("38", napas),
        field("53", VND),
    ]
    if transfer.amount is not None:
        parts.append(field("54", str(int(transfer.amount))))
    parts.append(field("58", "VN"))
    extra = ""
    if transfer.bill_number:
        extra += field("01", transfer.bill_number)
    if transfer.memo:
        extra += field("08", transfer.memo)
    if extra:
        parts.append(field("62", extra))
    body = "".join(parts) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse(payload: str) -> dict[str, object]:
    """Read a payload back into {tag: value}, templates 38 and 62 as nested dicts (38/01 too). Raises PayloadError
    for a malformed payload or a wrong CRC."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise PayloadError("the payload does not end with its CRC field")
    if f"{crc16_ccitt_false(payload[:-4].encode('ascii', 'replace')):04X}" != payload[-4:].upper():
        raise PayloadError("wrong CRC")
    return _fields(payload[:-8], {"38": {"01": {}}, "62": {}})


def _fields(text: str, nested: dict) -> dict[str, object]:
    """TLV fields of `text`; `nested` names the tags that are templates (and, in turn, their own templates)."""
    out: dict[str, object] = {}
    i = 0
    while i < len(text):
        tag, length = text[i : i + 2], text[i + 2 : i + 4]
        if len(tag) < 2 or not length.isdigit():
            raise PayloadError(f"malformed field at {i}")
        value = text[i + 4 : i + 4 + int(length)]
        if len(value) != int(length):
            raise PayloadError(f"field {tag} is cut short")
        out[tag] = _fields(value, nested[tag]) if tag in nested else value
        i += 4 + int(length)
    return out
