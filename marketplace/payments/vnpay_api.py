"""VNPay's PAY API 2.1.0, as plain functions: the signed redirect to its payment page, checking what it sends back
(the IPN and the return URL carry the same signed parameters), and the merchant API's refund.

Signing: `vnp_SecureHash` = hex HMAC-SHA512(secret, the vnp_* parameters except the hash fields, sorted by name and
URL-encoded as a query string with spaces as `+`). The merchant API signs the values joined by `|` in a fixed order.
Tested against the published vectors of the TypeScript library lehuygiang28/vnpay (tests/test_vnpay.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote_plus, urlencode

from marketplace.payments.errors import InvalidSignature, PaymentError
from marketplace.timeutil import VN_TZ

VERSION = "2.1.0"
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")


def canonical(params: dict[str, object]) -> str:
    """The signed string: vnp_* parameters (hash fields and empty values left out) sorted, URL-encoded, `+` for
    spaces."""
    pairs = sorted(
        (k, str(v)) for k, v in params.items() if k.startswith("vnp_") and k not in HASH_FIELDS and str(v) != ""
    )
    return urlencode(pairs, quote_via=quote_plus)


def secure_hash(secret: str, params: dict[str, object]) -> str:
    return hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha512).hexdigest()


def pipe_hash(secret: str, values: list[object]) -> str:
    """The merchant API's signature: HMAC-SHA512 over the values joined by `|`."""
    text = "|".join("" if v is None else str(v) for v in values)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


def vn_time(when: datetime) -> str:
    """yyyyMMddHHmmss in GMT+7, as VNPay wants every time."""
    return when.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


def ascii_text(text: str, limit: int = 255) -> str:
    """Order info without diacritics (đ → d), as VNPay requires."""
    text = text.replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(folded.split())[:limit]


@dataclass(frozen=True)
class PaymentRequest:
    tmn_code: str
    txn_ref: str
    #: đồng (sent × 100)
    amount: int
    order_info: str
    return_url: str
    ip_addr: str
    created: datetime
    expires: datetime
    locale: str = "vn"
    order_type: str = "other"


def payment_url(base_url: str, secret: str, request: PaymentRequest) -> str:
    """The signed URL of VNPay's payment page for this request."""
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": request.tmn_code,
        "vnp_Amount": request.amount * 100,
        "vnp_CreateDate": vn_time(request.created),
        "vnp_CurrCode": "VND",
        "vnp_IpAddr": request.ip_addr,
        "vnp_Locale": request.locale if request.locale in ("vn", "en") else "vn",
        "vnp_OrderInfo": ascii_text(request.order_info),
        "vnp_OrderType": request.order_type,
        "vnp_ReturnUrl": request.return_url,
        "vnp_TxnRef": request.txn_ref,
        "vnp_ExpireDate": vn_time(request.expires),
    }
    return f"{base_url}?{canonical(params)}&vnp_SecureHash={secure_hash(secret, params)}"


@dataclass(frozen=True)
class Result:
    """What VNPay says about a payment (IPN or return URL), once its signature is checked."""

    tmn_code: str
    txn_ref: str
    #: đồng (vnp_Amount ÷ 100)
    amount: int
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    pay_date: str

    @property
    def succeeded(self) -> bool:
        return self.response_code == "00" and self.transaction_status == "00"


def verify(secret: str, params: dict[str, str]) -> Result:
    """Check the signature of an IPN or return URL (constant time) and read it. Raises InvalidSignature for a
    missing or wrong signature, PaymentError for a signed but malformed amount."""
    given = params.get("vnp_SecureHash", "")
    if not secret or not isinstance(given, str) or not given:
        raise InvalidSignature()
    expected = secure_hash(secret, params)
    if not hmac.compare_digest(expected.encode(), given.strip().lower().encode("ascii", "replace")):
        raise InvalidSignature()
    raw_amount = params.get("vnp_Amount", "")
    if not raw_amount.isdigit() or int(raw_amount) % 100 or len(raw_amount) > 17:
        raise PaymentError("vnp_Amount is not a whole number of đồng × 100")
    return Result(
        tmn_code=params.get("vnp_TmnCode", ""),
        txn_ref=params.get("vnp_TxnRef", ""),
        amount=int(raw_amount) // 100,
        response_code=params.get("vnp_ResponseCode", ""),
        transaction_status=params.get("vnp_TransactionStatus", ""),
        transaction_no=params.get("vnp_TransactionNo", "")[:20],
        bank_code=params.get("vnp_BankCode", "")[:20],
        pay_date=params.get("vnp_PayDate", "")[:14],
    )


REFUND_REQUEST_ORDER = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef", "vnp_Amount",
    "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)
REFUND_RESPONSE_ORDER = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount",
    "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus",
    "vnp_OrderInfo",
)


@dataclass(frozen=True)
class RefundAnswer:
    response_code: str
    transaction_no: str
    amount: int


def refund(api_url: str, secret: str, body: dict[str, object], timeout: float = 15.0) -> RefundAnswer:
    """POST a refund request (vnp_Command=refund; `body` has the request's fields, amount already × 100) to the
    merchant API and check its signed answer. Raises PaymentError when it cannot be reached, answers unsigned or
    refuses (any response code but 00)."""
    import requests

    body = dict(body, vnp_SecureHash=pipe_hash(secret, [body.get(k, "") for k in REFUND_REQUEST_ORDER]))
    try:
        response = requests.post(api_url, data=json.dumps(body), timeout=timeout,
                                 headers={"Content-Type": "application/json"})
        answer = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise PaymentError() from exc
    if not isinstance(answer, dict):
        raise PaymentError()
    code = str(answer.get("vnp_ResponseCode", ""))
    if code != "00":
        raise PaymentError()
    expected = pipe_hash(secret, [answer.get(k, "") for k in REFUND_RESPONSE_ORDER])
    if not hmac.compare_digest(expected, str(answer.get("vnp_SecureHash", ""))):
        raise PaymentError()
    raw = str(answer.get("vnp_Amount", "0"))
    return RefundAnswer(code, str(answer.get("vnp_TransactionNo", "")), int(raw) // 100 if raw.isdigit() else 0)
