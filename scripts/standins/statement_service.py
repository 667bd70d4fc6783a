"""A stand-in for the bank-statement service (SePay's documented HTTP shapes), for tests and development.

It keeps the collection account's transactions in memory and, like the real service, POSTs each incoming one to the
merchant's webhook — `Authorization: Apikey <key>`, or signed HMAC-SHA256 over `<timestamp>.<body>` in
`X-SePay-Signature` with `X-SePay-Timestamp` — retrying a few times until the answer is `{"success": true}`; it also
serves the list API (`GET /userapi/transactions/list`, `Authorization: Bearer <token>`).

Test and developer controls (not the provider's): `POST /_test/transfers` with JSON `{amount, content, deliver?,
deliveries?, account_number?, id?}` books a transfer (and delivers it unless `deliver` is false; `deliveries` > 1
sends the same webhook again, as a retrying service does); `GET /_test/deliveries` lists what was sent.

    python scripts/standins/statement_service.py --webhook http://127.0.0.1:5000/payments/statements/sepay \\
        --api-key KEY --account 0000000000 --port 8610
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

from werkzeug.wrappers import Request, Response

VN = timezone(timedelta(hours=7))


class StatementService:
    def __init__(self, webhook_url: str = "", api_key: str = "", hmac_secret: str = "", api_token: str = "token",
                 account_number: str = "0000000000", bank: str = "Agribank", attempts: int = 3):
        self.webhook_url, self.api_key, self.hmac_secret = webhook_url, api_key, hmac_secret
        self.api_token, self.account_number, self.bank, self.attempts = api_token, account_number, bank, attempts
        self.transactions: list[dict] = []
        self.deliveries: list[dict] = []
        self._ids = itertools.count(92_704)
        self._lock = threading.Lock()
        self.balance = 0

    # -- the provider's behaviour -------------------------------------------------------------------------------
    def book(self, amount: int, content: str, account_number: str | None = None, booked: datetime | None = None,
             direction: str = "in", txn_id: int | None = None) -> dict:
        with self._lock:
            self.balance += amount if direction == "in" else -amount
            txn = {
                "id": txn_id if txn_id is not None else next(self._ids),
                "gateway": self.bank,
                "transactionDate": (booked or datetime.now(VN)).astimezone(VN).strftime("%Y-%m-%d %H:%M:%S"),
                "accountNumber": account_number or self.account_number,
                "code": None,
                "content": content,
                "transferType": direction,
                "transferAmount": amount,
                "accumulated": self.balance,
                "subAccount": None,
                "referenceCode": f"FT{int(time.time() * 1000) % 10**10:010d}",
                "description": f"BankAPINotify {content}",
            }
            self.transactions.append(txn)
        return txn

    def headers_for(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.hmac_secret:
            ts = str(timestamp if timestamp is not None else int(time.time()))
            digest = hmac.new(self.hmac_secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
            headers.update({"X-SePay-Timestamp": ts, "X-SePay-Signature": digest})
        elif self.api_key:
            headers["Authorization"] = f"Apikey {self.api_key}"
        return headers

    def deliver(self, txn: dict) -> list[int]:
        """POST the transaction to the webhook, retrying (briefly here) until it answers success."""
        body = json.dumps(txn, ensure_ascii=False).encode()
        statuses = []
        for _ in range(self.attempts):
            request = urllib.request.Request(self.webhook_url, data=body, method="POST", headers=self.headers_for(body))
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, answer = response.status, json.loads(response.read() or b"{}")
            except urllib.error.HTTPError as exc:
                status, answer = exc.code, {}
            except (OSError, ValueError):
                status, answer = 0, {}
            statuses.append(status)
            self.deliveries.append({"id": txn["id"], "status": status, "answer": answer})
            if 200 <= status < 300 and answer.get("success") is True:
                break
            time.sleep(0.05)
        return statuses

    def listed(self, item: dict) -> dict:
        """A transaction as the list API shows it (strings for amounts, as the service sends them)."""
        amount = f"{item['transferAmount']:.2f}"
        return {
            "id": str(item["id"]), "bank_brand_name": item["gateway"], "account_number": item["accountNumber"],
            "transaction_date": item["transactionDate"],
            "amount_out": amount if item["transferType"] == "out" else "0.00",
            "amount_in": amount if item["transferType"] == "in" else "0.00",
            "accumulated": f"{item['accumulated']:.2f}", "transaction_content": item["content"],
            "reference_number": item["referenceCode"], "code": item["code"], "sub_account": None,
            "bank_account_id": "19",
        }

    # -- HTTP -----------------------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path == "/userapi/transactions/list" and request.method == "GET":
            response = self._list(request)
        elif request.path == "/_test/transfers" and request.method == "POST":
            response = self._test_transfer(request)
        elif request.path == "/_test/deliveries":
            response = Response(json.dumps(self.deliveries), mimetype="application/json")
        else:
            response = Response(json.dumps({"status": 404, "error": "not found"}), 404, mimetype="application/json")
        return response(environ, start_response)

    def _list(self, request: Request) -> Response:
        if not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {self.api_token}"):
            return Response(json.dumps({"status": 401, "error": "unauthorized"}), 401, mimetype="application/json")
        items = list(self.transactions)
        if request.args.get("account_number"):
            items = [t for t in items if t["accountNumber"] == request.args["account_number"]]
        if request.args.get("transaction_date_min"):
            items = [t for t in items if t["transactionDate"][:10] >= request.args["transaction_date_min"]]
        if request.args.get("since_id", "").isdigit():
            items = [t for t in items if t["id"] >= int(request.args["since_id"])]
        limit = int(request.args.get("limit", "100")) if request.args.get("limit", "100").isdigit() else 100
        body = {"status": 200, "error": None, "messages": {"success": True},
                "transactions": [self.listed(t) for t in reversed(items)][:limit]}
        return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")

    def _test_transfer(self, request: Request) -> Response:
        data = request.get_json(force=True)
        txn = self.book(int(data["amount"]), data.get("content", ""), data.get("account_number"),
                        direction=data.get("direction", "in"), txn_id=data.get("id"))
        statuses = []
        if data.get("deliver", True) and self.webhook_url:
            for _ in range(int(data.get("deliveries", 1))):
                statuses.extend(self.deliver(txn))
        return Response(json.dumps({"transaction": txn, "statuses": statuses}), mimetype="application/json")


def main() -> None:
    from werkzeug.serving import run_simple

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhook", required=True)
    parser.add_argument("--api-key", default="")
    parser.add_argument("--hmac-secret", default="")
    parser.add_argument("--api-token", default="token")
    parser.add_argument("--account", default="0000000000")
    parser.add_argument("--port", type=int, default=8610)
    args = parser.parse_args()
    app = StatementService(args.webhook, args.api_key, args.hmac_secret, args.api_token, args.account)
    run_simple("127.0.0.1", args.port, app, threaded=True)


if __name__ == "__main__":
    main()
