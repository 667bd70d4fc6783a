"""Run in a fresh interpreter by tests/test_headers.py (and by hand for the closing note): the app in production
configuration, over HTTPS, on the database the tests use. Signs in through the real forms (CSRF on) and prints, as
JSON, every response header of the home page (anonymous), an order page (its buyer) and the clerk's desk.

    python tests/headers_probe.py BUYER_LOGIN CLERK_LOGIN PASSWORD ORDER_ID
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASE = "https://shop.example.vn"


def _sign_in(client, login: str, password: str) -> None:
    page = client.get("/account/login", base_url=BASE).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/account/login", base_url=BASE, headers={"Referer": BASE + "/account/login"},
                           data={"csrf_token": token, "identifier": login, "password": password})
    assert response.status_code == 302, response.status_code


def main(buyer: str, clerk: str, password: str, order_id: str) -> None:
    from marketplace import create_app

    app = create_app("production")
    app.config["PASSWORD_HASH_FAST"] = True  # the accounts were hashed by the test suite's fast parameters
    out = {}
    anonymous = app.test_client()
    out["http redirect"] = dict(anonymous.get("/", base_url="http://shop.example.vn").headers)
    out["home"] = dict(anonymous.get("/", base_url=BASE).headers)
    as_buyer = app.test_client()
    _sign_in(as_buyer, buyer, password)
    response = as_buyer.get(f"/orders/{order_id}", base_url=BASE)
    assert response.status_code == 200, response.status_code
    out["order"] = dict(response.headers)
    as_clerk = app.test_client()
    _sign_in(as_clerk, clerk, password)
    response = as_clerk.get("/buu-cuc", base_url=BASE)
    assert response.status_code == 200, response.status_code
    out["desk"] = dict(response.headers)
    login = app.test_client().get("/account/login", base_url=BASE)
    out["sign-in form"] = dict(login.headers)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:5])
