"""A stand-in for Zalo Notification Service and the Zalo OA token endpoint, for tests and development: it records
what it received and answers as Zalo does, written independently of the app's adapter.

- `POST /message/template`, header `access_token`, JSON `{phone, template_id, template_data, tracking_id}`:
  `{"error": 0, "message": "Success", "data": {"msg_id", "sent_time", "quota": {"dailyQuota", "remainingQuota"}}}`;
  errors as Zalo answers them: -124 (access token invalid or expired), -118 (the phone has no Zalo account),
  -108 (phone not 84…), -100 (template or data missing), -144 (daily quota out).
- `POST /v4/oa/access_token`, header `secret_key`, form `app_id, grant_type=refresh_token, refresh_token`: a new
  access token and a new refresh token; the refresh token used is spent (a second use answers error -14014).
- Test controls (not Zalo's): `no_zalo` (phones without Zalo), `quota`, `fail_next` (answer 503 n times),
  `hang_next` (sleep before answering), `expire()` (the current access token stops working).

    python scripts/standins/zalo.py --port 8630 --app-id DEMO --secret-key S --refresh-token R0
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import secrets
import threading
import time

from werkzeug.wrappers import Request, Response


class ZaloStandIn:
    def __init__(self, app_id: str, secret_key: str, refresh_token: str, access_token: str = "",
                 templates: set[str] | None = None, quota: int = 500):
        self.app_id, self.secret_key = app_id, secret_key
        self.refresh_tokens = {refresh_token}
        self.access_tokens = {access_token} if access_token else set()
        self.templates = templates
        self.quota = quota
        self.no_zalo: set[str] = set()
        self.fail_next = 0
        self.hang_next = 0.0
        self.received: list[dict] = []
        self.refreshes: list[dict] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def expire(self) -> None:
        with self._lock:
            self.access_tokens.clear()

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path == "/message/template" and request.method == "POST":
            response = self._template(request)
        elif request.path == "/v4/oa/access_token" and request.method == "POST":
            response = self._refresh(request)
        elif request.path == "/_test/log":
            response = _json({"received": self.received, "refreshes": self.refreshes})
        else:
            response = Response("not found", 404)
        return response(environ, start_response)

    def _template(self, request: Request) -> Response:
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return Response("upstream error", 503)
            hang, self.hang_next = self.hang_next, 0.0
        if hang:
            time.sleep(hang)
        token = _header(request, "access_token")
        try:
            body = json.loads(request.get_data(as_text=True))
        except ValueError:
            body = None
        with self._lock:
            self.received.append({"access_token": token, "body": body})
            if token not in self.access_tokens:
                return _json({"error": -124, "message": "Access token is invalid"})
            if not isinstance(body, dict) or not body.get("template_id") or not isinstance(
                    body.get("template_data"), dict):
                return _json({"error": -100, "message": "Template or template data is missing"})
            phone = str(body.get("phone", ""))
            if not re.fullmatch(r"84\d{9}", phone):
                return _json({"error": -108, "message": "Phone number is invalid"})
            if self.templates is not None and str(body["template_id"]) not in self.templates:
                return _json({"error": -100, "message": "Template is not approved"})
            if phone in self.no_zalo:
                return _json({"error": -118, "message": "Zalo account not existed or disabled"})
            if self.quota <= 0:
                return _json({"error": -144, "message": "OA has exceeded the daily quota"})
            self.quota -= 1
            msg_id = f"zns{next(self._ids):08d}"
            return _json({"error": 0, "message": "Success", "data": {
                "msg_id": msg_id, "sent_time": str(int(time.time() * 1000)),
                "quota": {"dailyQuota": "500", "remainingQuota": str(self.quota)}}})

    def _refresh(self, request: Request) -> Response:
        with self._lock:
            form = request.form
            secret_key = _header(request, "secret_key")
            self.refreshes.append({"secret_key": secret_key, **form.to_dict()})
            if secret_key != self.secret_key or form.get("app_id") != self.app_id:
                return _json({"error": -14002, "error_name": "Invalid app", "error_description": "app_id or key"})
            if form.get("grant_type") != "refresh_token" or form.get("refresh_token") not in self.refresh_tokens:
                return _json({"error": -14014, "error_name": "Invalid refresh token",
                              "error_description": "refresh token is invalid or used"})
            self.refresh_tokens.discard(form["refresh_token"])
            access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
            self.access_tokens = {access}
            self.refresh_tokens.add(refresh)
            return _json({"access_token": access, "refresh_token": refresh, "expires_in": "90000"})


def _header(request: Request, name: str) -> str:
    """A header whose name holds an underscore (see standins._server.RawHeadersHandler)."""
    raw = request.environ.get("standin.raw_headers") or {}
    return raw.get(name, "") or request.headers.get(name, "")


def _json(data) -> Response:
    return Response(json.dumps(data), mimetype="application/json")


def main() -> None:
    from werkzeug.serving import run_simple

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--refresh-token", required=True)
    parser.add_argument("--port", type=int, default=8630)
    args = parser.parse_args()
    from scripts.standins._server import RawHeadersHandler

    run_simple("127.0.0.1", args.port, ZaloStandIn(args.app_id, args.secret_key, args.refresh_token), threaded=True,
               request_handler=RawHeadersHandler)


if __name__ == "__main__":
    main()
