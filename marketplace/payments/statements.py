"""The bank-statement service (SePay's documented shapes): it watches the operator's collection account and tells us
about every transaction — pushed to our webhook, and listed by its API for the periodic reconciliation.

Webhook: a JSON object `{id, gateway, transactionDate, accountNumber, code, content, transferType, transferAmount,
accumulated, subAccount, referenceCode, description}`, authenticated by `Authorization: Apikey <key>` or by an
HMAC-SHA256 signature (`X-SePay-Signature`, hex, over `<X-SePay-Timestamp>.<raw body>`; a timestamp more than
WEBHOOK_MAX_SKEW_SECONDS away is refused). We answer `{"success": true}`; the service retries otherwise.
List API: `GET <STATEMENT_API_URL>/userapi/transactions/list` with `Authorization: Bearer <token>`.

This module only reads and checks: it returns plain `StatementLine`s, and `transfers.receive` applies them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from marketplace.payments.errors import InvalidSignature, PaymentError
from marketplace.timeutil import VN_TZ

PROVIDER = "sepay"


class MalformedStatement(PaymentError):
    """A statement line or a webhook body that is not what the service sends."""


@dataclass(frozen=True)
class StatementLine:
    provider: str
    #: the service's transaction id (dedupe on it)
    provider_id: str
    gateway: str
    account_number: str
    #: UTC
    booked_at: datetime
    #: "in" or "out"
    direction: str
    #: đồng, never negative
    amount: int
    content: str
    reference: str
    #: the payment code the service found in the memo (it is configured with our code format), if any
    code: str | None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The webhook signature: hex HMAC-SHA256 over `<timestamp>.<raw body>`."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(config, body: bytes, headers) -> None:
    """Check the webhook's authentication against the configured key or secret, in constant time. Raises
    InvalidSignature (missing, wrong, or dated more than WEBHOOK_MAX_SKEW_SECONDS away) and PaymentError when
    neither is configured."""
    api_key = config.get("STATEMENT_WEBHOOK_API_KEY") or ""
    secret = config.get("STATEMENT_WEBHOOK_SECRET") or ""
    if not (api_key or secret):
        raise PaymentError("the bank-statement webhook is not configured")
    signature = headers.get("X-SePay-Signature", "")
    if secret and signature:
        timestamp = headers.get("X-SePay-Timestamp", "")
        if not timestamp.isdigit() or len(timestamp) > 12:
            raise InvalidSignature()
        if abs(time.time() - int(timestamp)) > int(config.get("WEBHOOK_MAX_SKEW_SECONDS", 300)):
            raise InvalidSignature()
        given = signature.removeprefix("sha256=").strip().lower()
        if not hmac.compare_digest(sign(secret, timestamp, body).encode(), given.encode("ascii", "replace")):
            raise InvalidSignature()
        return
    auth = headers.get("Authorization", "")
    if api_key and auth[:7].lower() == "apikey ":
        if hmac.compare_digest(auth[7:].strip().encode("utf-8", "replace"), api_key.encode()):
            return
    raise InvalidSignature()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _clean(value: str, limit: int) -> str:
    """Text as stored: without control characters or bidi overrides (PostgreSQL refuses NUL), trimmed, cut."""
    return " ".join(_CONTROL.sub(" ", value).split())[:limit]


def _text(data: dict, key: str, limit: int, required: bool = False) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise MalformedStatement(f"{key} must be text")
    return _clean(value, limit)


def _amount(value) -> int:
    """Whole đồng from a number or a decimal string such as "2277000.00"; refuses fractions, negatives, bools."""
    if isinstance(value, bool):
        raise MalformedStatement("amount must be a number")
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float) and value.is_integer():
        amount = int(value)
    elif isinstance(value, str) and value.strip().replace(".", "", 1).isdigit():
        whole, _, fraction = value.strip().partition(".")
        if fraction.strip("0"):
            raise MalformedStatement("VND has no fractions")
        amount = int(whole or "0")
    else:
        raise MalformedStatement("amount must be a whole number of đồng")
    if not 0 <= amount <= 10**13:
        raise MalformedStatement("amount out of range")
    return amount


def _booked_at(value) -> datetime:
    """The service's local time ("YYYY-MM-DD HH:MM:SS", Vietnam) as UTC."""
    if not isinstance(value, str):
        raise MalformedStatement("transactionDate must be text")
    try:
        local = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError as exc:
        raise MalformedStatement("transactionDate must be YYYY-MM-DD HH:MM:SS") from exc
    return local.replace(tzinfo=VN_TZ).astimezone(UTC)


def _ident(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise MalformedStatement("id must be a number or text")
    text = str(value).strip()
    if not text or len(text) > 64 or _CONTROL.search(text):
        raise MalformedStatement("id is empty, too long or not printable")
    return text


def parse_webhook(body: bytes) -> StatementLine:
    """The webhook's body as a statement line. Raises MalformedStatement for anything but one JSON object of the
    documented shape."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise MalformedStatement("the body is not JSON") from exc
    if not isinstance(data, dict):
        raise MalformedStatement("the body must be one JSON object")
    direction = data.get("transferType")
    if direction not in ("in", "out"):
        raise MalformedStatement("transferType must be in or out")
    code = data.get("code")
    if code is not None and not isinstance(code, str):
        raise MalformedStatement("code must be text or null")
    return StatementLine(
        provider=PROVIDER,
        provider_id=_ident(data.get("id")),
        gateway=_text(data, "gateway", 60),
        account_number=_text(data, "accountNumber", 32),
        booked_at=_booked_at(data.get("transactionDate")),
        direction=direction,
        amount=_amount(data.get("transferAmount")),
        content=_text(data, "content", 500),
        reference=_text(data, "referenceCode", 100),
        code=_clean(code or "", 40) or None,
    )


def parse_listed(item: dict) -> StatementLine:
    """One transaction from the list API. Raises MalformedStatement."""
    if not isinstance(item, dict):
        raise MalformedStatement("a listed transaction must be an object")
    amount_in, amount_out = _amount(item.get("amount_in") or 0), _amount(item.get("amount_out") or 0)
    code = item.get("code")
    return StatementLine(
        provider=PROVIDER,
        provider_id=_ident(item.get("id")),
        gateway=_text(item, "bank_brand_name", 60),
        account_number=_text(item, "account_number", 32),
        booked_at=_booked_at(item.get("transaction_date")),
        direction="in" if amount_in > 0 else "out",
        amount=amount_in if amount_in > 0 else amount_out,
        content=_text(item, "transaction_content", 500),
        reference=_text(item, "reference_number", 100),
        code=_clean(code, 40) or None if isinstance(code, str) else None,
    )


def list_recent(config, days: int = 2, timeout: float = 10.0) -> list[StatementLine]:
    """Transactions of the collection account booked from `days` ago (Vietnam dates) until now, from the list API.
    Raises PaymentError when the API is not configured or cannot be read."""
    import requests

    base, token = config.get("STATEMENT_API_URL") or "", config.get("STATEMENT_API_TOKEN") or ""
    if not (base and token):
        raise PaymentError("the bank-statement list API is not configured")
    since: date = (datetime.now(VN_TZ) - timedelta(days=days)).date()
    params = {"transaction_date_min": since.isoformat(), "limit": 5000}
    if config.get("VIETQR_ACCOUNT_NUMBER"):
        params["account_number"] = config["VIETQR_ACCOUNT_NUMBER"]
    try:
        response = requests.get(
            base.rstrip("/") + "/userapi/transactions/list",
            params=params,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=timeout,
        )
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise PaymentError("the bank-statement list API could not be read") from exc
    items = data.get("transactions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise PaymentError("the bank-statement list API answered something else")
    return [parse_listed(item) for item in items]
