"""A stand-in for eSMS's SMS brandname API (`SendMultipleMessage_V4_post_json`), for tests and development: it
records what it received and answers as eSMS does, written independently of the app's adapter.

- `POST /MainService.svc/json/SendMultipleMessage_V4_post_json/` JSON `{ApiKey, SecretKey, Phone, Content,
  Brandname, SmsType, IsUnicode, RequestId, …}` → `{"CodeResult": "100", "CountRegenerate": 0, "SMSID": "…"}`.
  Errors: "101" wrong ApiKey/SecretKey, "104" brand name not registered, "118" SmsType not allowed (only "2",
  customer care, here), "103" balance too low, "124" a RequestId seen in the last 24 h (nothing is sent again),
  "99" anything malformed. A Content longer than one segment is sent but counted as several (recorded).
- Test controls (not eSMS's): `balance`, `fail_next` (answer 503 n times), `hang_next` (sleep before answering),
  `sent` (what would have reached phones), `received` (every request).

    python scripts/standins/esms.py --port 8640 --api-key K --secret-key S --brandname CHONONGSAN
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time

from werkzeug.wrappers import Request, Response

PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"


class EsmsStandIn:
    def __init__(self, api_key: str, secret_key: str, brandname: str, balance: int = 1000):
        self.api_key, self.secret_key, self.brandname, self.balance = api_key, secret_key, brandname, balance
        self.received: list[dict] = []
        self.sent: list[dict] = []
        self.request_ids: dict[str, tuple[float, str]] = {}
        self.fail_next = 0
        self.hang_next = 0.0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.rstrip("/") == PATH.rstrip("/") and request.method == "POST":
            response = self._send(request)
        elif request.path == "/_test/log":
            response = Response(json.dumps({"received": self.received, "sent": self.sent}),
                                mimetype="application/json")
        else:
            response = Response("not found", 404)
        return response(environ, start_response)

    def _send(self, request: Request) -> Response:
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return Response("service unavailable", 503)
            hang, self.hang_next = self.hang_next, 0.0
        if hang:
            time.sleep(hang)
        try:
            body = json.loads(request.get_data(as_text=True))
        except ValueError:
            body = None
        with self._lock:
            self.received.append(body)
            if not isinstance(body, dict) or not body.get("Phone") or not body.get("Content"):
                return _answer("99", "Invalid request")
            if body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret_key:
                return _answer("101", "Invalid ApiKey or SecretKey")
            if body.get("Brandname") != self.brandname:
                return _answer("104", "Brandname is not registered")
            if str(body.get("SmsType")) != "2":
                return _answer("118", "SmsType is not allowed")
            request_id = str(body.get("RequestId") or "")
            now = time.time()
            if request_id and request_id in self.request_ids and now - self.request_ids[request_id][0] < 86400:
                return _answer("124", "RequestId already used", sms_id=self.request_ids[request_id][1])
            if self.balance <= 0:
                return _answer("103", "Balance is not enough")
            unicode = str(body.get("IsUnicode", "0")) == "1"
            content = str(body["Content"])
            per = 70 if unicode else 160
            segments = max(1, -(-len(content) // per))
            self.balance -= segments
            sms_id = f"esms-{next(self._ids):06d}"
            if request_id:
                self.request_ids[request_id] = (now, sms_id)
            self.sent.append({"phone": body["Phone"], "content": content, "segments": segments,
                              "request_id": request_id, "sms_id": sms_id})
            return _answer("100", "", sms_id=sms_id)


def _answer(code: str, message: str, sms_id: str | None = None) -> Response:
    data = {"CodeResult": code, "CountRegenerate": 0}
    if sms_id:
        data["SMSID"] = sms_id
    if message:
        data["ErrorMessage"] = message
    return Response(json.dumps(data), mimetype="application/json")


def main() -> None:
    from werkzeug.serving import run_simple

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--brandname", required=True)
    parser.add_argument("--port", type=int, default=8640)
    args = parser.parse_args()
    run_simple("127.0.0.1", args.port, EsmsStandIn(args.api_key, args.secret_key, args.brandname), threaded=True)


if __name__ == "__main__":
    main()
