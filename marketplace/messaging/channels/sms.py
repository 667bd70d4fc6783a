"""SMS brandname through eSMS: `SendMultipleMessage_V4_post_json`, customer-care type (`SmsType "2"`, Decree
91/2020: codes and order notices), one segment of GSM text (Vietnamese without diacritics, 160 characters).

`POST {ESMS_URL}` JSON `{ApiKey, SecretKey, Phone, Content, Brandname, SmsType: "2", IsUnicode: "0", RequestId}`;
the answer carries `CodeResult` ("100" accepted, with `SMSID`). `RequestId` is the message's dedupe id: eSMS refuses
a RequestId it saw in the last 24 h, so a job retried after a crash does not send the text twice; that refusal
("124", as documented for duplicate RequestIds; confirm before production) counts as sent. Codes "101"/"102"
(credentials, locked account), "103" (balance), "104" (brand name), "118"/"119"/"131"/"145"/"177" (what was sent
cannot go this way) → `Unreachable` (e-mail next, the administrator sees why); others, timeouts and 5xx → `TryLater`.
"""

from __future__ import annotations

import requests
from flask import current_app

from marketplace.messaging.channels import Outgoing, local_phone
from marketplace.messaging.errors import TryLater, Unreachable
from marketplace.messaging.texts import render

name = "sms"
SENT = "100"
DUPLICATE = "124"
UNREACHABLE = {"101", "102", "103", "104", "118", "119", "131", "145", "177"}
TIMEOUT = (3, 10)


def reaches(out: Outgoing) -> bool:
    return bool(out.phone)


def configured() -> bool:
    config = current_app.config
    return bool(config.get("ESMS_API_KEY") and config.get("ESMS_SECRET_KEY") and config.get("ESMS_BRANDNAME"))


def describe(out: Outgoing) -> tuple[str, str]:
    return local_phone(out.phone), render(out.kind, out.data, out.locale).sms


def send(out: Outgoing) -> str:
    """Send one SMS; returns eSMS's SMSID. Raises Unreachable or TryLater."""
    config = current_app.config
    body = {
        "ApiKey": config["ESMS_API_KEY"],
        "SecretKey": config["ESMS_SECRET_KEY"],
        "Phone": local_phone(out.phone),
        "Content": render(out.kind, out.data, out.locale).sms,
        "Brandname": config["ESMS_BRANDNAME"],
        "SmsType": "2",
        "IsUnicode": "0",
        "RequestId": out.dedupe_id,
    }
    try:
        response = requests.post(config["ESMS_URL"], json=body, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise TryLater(f"esms: {exc.__class__.__name__}") from exc
    if response.status_code >= 500:
        raise TryLater(f"esms: HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError as exc:
        raise TryLater(f"esms: HTTP {response.status_code}, not JSON") from exc
    code = str(answer.get("CodeResult", "")) if isinstance(answer, dict) else ""
    if code in (SENT, DUPLICATE):
        return str(answer.get("SMSID") or f"dup:{out.dedupe_id}")
    message = f"esms {code}: {answer.get('ErrorMessage', '') if isinstance(answer, dict) else ''}"[:300]
    if code in UNREACHABLE:
        raise Unreachable(message)
    raise TryLater(message)
