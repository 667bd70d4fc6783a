"""A stand-in for VNPay (PAY API 2.1.0), for tests and development: its payment page, its IPN to the merchant and
its merchant API's refunds — signed the way VNPay signs, written here independently of the app's own code.

- `GET /paymentv2/vpcpay.html?<signed request>`: checks the request's signature and fields, shows a page with
  "Pay" and "Cancel"; `POST /paymentv2/complete` (the page's buttons) sends the IPN (a signed GET to the merchant's
  IPN URL, repeated until it answers RspCode 00 or 02) and redirects the buyer to vnp_ReturnUrl.
- `POST /merchant_webapi/api/transaction`: refunds (vnp_Command=refund), signed with HMAC-SHA512 over the fields
  joined by `|`; answers signed the same way.
- Test controls (not VNPay's): `POST /_test/complete` JSON `{txn_ref, outcome: "paid"|"cancelled", amount?}` does
  what the buttons do and answers the IPN's replies; `GET /_test/log`.

    python scripts/standins/vnpay.py --tmn-code DEMO --secret SECRET --ipn http://127.0.0.1:5000/payments/vnpay/ipn
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import html
import itertools
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

GMT7 = timezone(timedelta(hours=7))


def sign_params(secret: str, params: dict[str, str]) -> str:
    data = "&".join(
        f"{urllib.parse.quote_plus(k)}={urllib.parse.quote_plus(str(v))}"
        for k, v in sorted(params.items())
        if k.startswith("vnp_") and k not in ("vnp_SecureHash", "vnp_SecureHashType") and str(v) != ""
    )
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def sign_pipe(secret: str, values) -> str:
    return hmac.new(secret.encode(), "|".join(str(v) for v in values).encode(), hashlib.sha512).hexdigest()


REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CreateDate", "vnp_CurrCode",
            "vnp_IpAddr", "vnp_Locale", "vnp_OrderInfo", "vnp_OrderType", "vnp_ReturnUrl", "vnp_TxnRef")


class VnpayStandIn:
    def __init__(self, tmn_code: str, secret: str, ipn_url: str = "", attempts: int = 3):
        self.tmn_code, self.secret, self.ipn_url, self.attempts = tmn_code, secret, ipn_url, attempts
        self.orders: dict[str, dict] = {}
        self.log: list[dict] = []
        self._numbers = itertools.count(14_422_574)
        self._lock = threading.Lock()

    # -- the payment page -----------------------------------------------------------------------------------------
    def check_request(self, params: dict[str, str]) -> str | None:
        """What VNPay would refuse in a payment request, or None."""
        if any(not params.get(k) for k in REQUIRED):
            return "missing parameters"
        if not hmac.compare_digest(sign_params(self.secret, params), params.get("vnp_SecureHash", "").lower()):
            return "invalid signature"
        if params["vnp_TmnCode"] != self.tmn_code or params["vnp_Version"] != "2.1.0" or params["vnp_Command"] != "pay":
            return "invalid terminal or command"
        if not params["vnp_Amount"].isdigit() or int(params["vnp_Amount"]) % 100 or params["vnp_CurrCode"] != "VND":
            return "invalid amount"
        if not params["vnp_OrderInfo"].isascii():
            return "order info must not carry diacritics"
        expire = params.get("vnp_ExpireDate", "")
        if expire and datetime.strptime(expire, "%Y%m%d%H%M%S").replace(tzinfo=GMT7) < datetime.now(GMT7):
            return "expired"
        return None

    def remember(self, params: dict[str, str]) -> dict:
        with self._lock:
            order = self.orders.get(params["vnp_TxnRef"])
            if order is None or order["state"] == "new":
                order = {"params": dict(params), "state": "new", "refunded": 0}
                self.orders[params["vnp_TxnRef"]] = order
        return order

    def result(self, order: dict, outcome: str, amount: int | None = None) -> dict[str, str]:
        request = order["params"]
        paid = outcome == "paid"
        number = str(next(self._numbers))
        params = {
            "vnp_Amount": str(amount * 100 if amount is not None else request["vnp_Amount"]),
            "vnp_BankCode": "NCB",
            "vnp_BankTranNo": f"VNP{number}",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": request["vnp_OrderInfo"],
            "vnp_PayDate": datetime.now(GMT7).strftime("%Y%m%d%H%M%S"),
            "vnp_ResponseCode": "00" if paid else "24",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TransactionNo": number if paid else "0",
            "vnp_TransactionStatus": "00" if paid else "02",
            "vnp_TxnRef": request["vnp_TxnRef"],
        }
        params["vnp_SecureHash"] = sign_params(self.secret, params)
        return params

    def send_ipn(self, params: dict[str, str]) -> list[dict]:
        replies = []
        url = f"{self.ipn_url}?{urllib.parse.urlencode(params)}"
        for _ in range(self.attempts):
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    status, body = response.status, response.read()
            except urllib.error.HTTPError as exc:
                status, body = exc.code, exc.read()
            except OSError:
                status, body = 0, b""
            try:
                answer = json.loads(body or b"{}")
            except ValueError:
                answer = {}
            replies.append({"status": status, **answer})
            self.log.append({"ipn": params["vnp_TxnRef"], "status": status, **answer})
            if answer.get("RspCode") in ("00", "02"):
                break
        return replies

    def complete(self, txn_ref: str, outcome: str, amount: int | None = None) -> tuple[dict, list[dict]]:
        order = self.orders[txn_ref]
        params = self.result(order, outcome, amount)
        order["state"] = "paid" if outcome == "paid" else "cancelled"
        order["result"] = params
        return params, (self.send_ipn(params) if self.ipn_url else [])

    # -- HTTP -----------------------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path == "/paymentv2/vpcpay.html" and request.method == "GET":
            response = self._page(request)
        elif request.path == "/paymentv2/complete" and request.method == "POST":
            params, _replies = self.complete(request.form["txn_ref"], request.form.get("outcome", "cancelled"))
            return_url = self.orders[request.form["txn_ref"]]["params"]["vnp_ReturnUrl"]
            response = redirect(f"{return_url}?{urllib.parse.urlencode(params)}", code=302)
        elif request.path == "/merchant_webapi/api/transaction" and request.method == "POST":
            response = self._api(request)
        elif request.path == "/_test/complete" and request.method == "POST":
            data = request.get_json(force=True)
            params, replies = self.complete(data["txn_ref"], data.get("outcome", "paid"), data.get("amount"))
            response = Response(json.dumps({"params": params, "replies": replies}), mimetype="application/json")
        elif request.path == "/_test/log":
            response = Response(json.dumps(self.log), mimetype="application/json")
        else:
            response = Response("not found", 404)
        return response(environ, start_response)

    def _page(self, request: Request) -> Response:
        params = request.args.to_dict()
        problem = self.check_request(params)
        if problem:
            self.log.append({"refused": problem})
            return Response(f"<!doctype html><title>VNPay</title><p>Lỗi: {html.escape(problem)}</p>", 400,
                            mimetype="text/html")
        self.remember(params)
        amount = int(params["vnp_Amount"]) // 100
        ref = html.escape(params["vnp_TxnRef"])
        page = (
            "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>VNPay (stand-in)</title>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'><link rel='icon' href='data:,'></head><body>"
            f"<h1>VNPay</h1><p>Đơn {ref}: {amount:,} VND</p><p>{html.escape(params['vnp_OrderInfo'])}</p>"
            "<form method='post' action='/paymentv2/complete'>"
            f"<input type='hidden' name='txn_ref' value='{ref}'>"
            "<button name='outcome' value='paid'>Thanh toán</button> "
            "<button name='outcome' value='cancelled'>Hủy</button></form></body></html>"
        )
        return Response(page, mimetype="text/html")

    def _api(self, request: Request) -> Response:
        try:
            data = json.loads(request.get_data() or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("vnp_Command") != "refund":
            return Response(json.dumps({"vnp_ResponseCode": "99"}), mimetype="application/json")
        fields = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
                  "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate",
                  "vnp_IpAddr", "vnp_OrderInfo")
        if not hmac.compare_digest(sign_pipe(self.secret, [data.get(k, "") for k in fields]),
                                   str(data.get("vnp_SecureHash", ""))):
            code = "97"
        else:
            order = self.orders.get(str(data.get("vnp_TxnRef")))
            paid = int(order["result"]["vnp_Amount"]) if order and order["state"] == "paid" else 0
            amount = int(data.get("vnp_Amount", 0))
            if order is None or not paid:
                code = "91"
            elif order["refunded"] + amount > paid:
                code = "94"
            else:
                order["refunded"] += amount
                code = "00"
        answer = {
            "vnp_ResponseId": str(next(self._numbers)), "vnp_Command": "refund", "vnp_ResponseCode": code,
            "vnp_Message": "Success" if code == "00" else "Refused", "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": str(data.get("vnp_TxnRef", "")), "vnp_Amount": str(data.get("vnp_Amount", "")),
            "vnp_BankCode": "NCB", "vnp_PayDate": datetime.now(GMT7).strftime("%Y%m%d%H%M%S"),
            "vnp_TransactionNo": str(data.get("vnp_TransactionNo", "")),
            "vnp_TransactionType": str(data.get("vnp_TransactionType", "")), "vnp_TransactionStatus": "05",
            "vnp_OrderInfo": str(data.get("vnp_OrderInfo", "")),
        }
        order_keys = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                      "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                      "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo")
        answer["vnp_SecureHash"] = sign_pipe(self.secret, [answer[k] for k in order_keys])
        self.log.append({"refund": answer["vnp_TxnRef"], "code": code})
        return Response(json.dumps(answer), mimetype="application/json")


def main() -> None:
    from werkzeug.serving import run_simple

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tmn-code", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--ipn", required=True, help="the app's IPN URL")
    parser.add_argument("--port", type=int, default=8620)
    args = parser.parse_args()
    run_simple("127.0.0.1", args.port, VnpayStandIn(args.tmn_code, args.secret, args.ipn), threaded=True)


if __name__ == "__main__":
    main()
