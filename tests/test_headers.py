"""Security headers from Flask-Talisman: a strict Content-Security-Policy (own scripts only, nothing inline; Stripe.js
on the card page only), no framing, nosniff, a referrer policy; HSTS, HTTPS and Secure cookies in production; pages
showing personal data are never stored by a cache."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def test_every_page_gets_a_strict_policy_and_no_framing(client):
    response = client.get("/")
    csp = _csp(response)
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'" and csp["form-action"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in tests: HSTS only over HTTPS


def test_only_the_card_page_allows_stripe_js(client, auth, db, buyer, make_listing, place, app):
    app.config.update(STRIPE_SECRET_KEY="sk_test_x", STRIPE_PUBLISHABLE_KEY="pk_test_x",
                      STRIPE_API_BASE="http://127.0.0.1:9", STRIPE_JS_URL="https://js.stripe.com/v3/")
    try:
        checkout = place(buyer, {make_listing().id: 1}, method="card")
        auth.login(buyer)
        csp = _csp(client.get(f"/payments/checkout/{checkout.id}"))
        home = _csp(client.get("/"))
    finally:
        app.config.update(STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="", STRIPE_API_BASE="")
    assert "https://js.stripe.com" in csp["script-src"] and "https://js.stripe.com" in csp["frame-src"]
    assert "https://api.stripe.com" in csp["connect-src"] and "unsafe-inline" not in csp["script-src"]
    assert "stripe" not in " ".join(home.values())


def test_map_tiles_come_from_the_configured_origin_only(client, app, make_address):
    address = make_address()
    app.config["MAP_TILE_URL"] = "https://tiles.example.vn/{z}/{x}/{y}.png"
    try:
        response = client.get(f"/dia-chi/{address.code}")
    finally:
        app.config["MAP_TILE_URL"] = ""
    assert "https://tiles.example.vn" in _csp(response)["img-src"]
    assert 'style="' not in response.get_data(as_text=True)  # the pin is an SVG overlay, not an inline style


def test_templates_and_scripts_have_no_inline_script_style_or_handlers():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style\b|javascript:", re.I)
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in (ROOT / "templates").rglob("*.html")
                 for m in inline.finditer(p.read_text())]
    offenders += [f"{p.relative_to(ROOT)}: setAttribute style" for p in (ROOT / "static" / "js").rglob("*.js")
                  if "setAttribute(\"style\"" in p.read_text() or ".innerHTML = \"<" in p.read_text()]
    assert not offenders


def test_pages_with_personal_data_are_not_stored_and_public_pages_may_be(client, auth, make_user, make_listing):
    listing = make_listing()
    anonymous = client.get("/")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    client.post("/cart/add", data={"listing_id": str(listing.id), "quantity": "1"})  # a guest with a cart
    assert client.get("/cart/").headers["Cache-Control"] == "no-store"
    assert client.get(f"/p/{listing.id}").headers["Cache-Control"] == "no-store"  # its header shows the cart
    auth.login(make_user("buyer"))
    for path in ("/", "/orders", "/notifications/", "/account/password"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        assert "Cookie" in response.headers.get("Vary", "")
    static = client.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_production_sends_hsts_secure_cookies_and_redirects_to_https(db, buyer, postal_world, make_listing, place):
    """In a fresh interpreter (creating a second app here would re-initialise the shared extensions)."""
    w = postal_world
    order = place(buyer, {make_listing(w.household).id: 1}).orders[0]
    clerk_login = w.origin_clerk.email or "0" + w.origin_clerk.phone[3:]
    db.session.commit()
    env = {**os.environ, "MARKETPLACE_CONFIG": "production", "SECRET_KEY": "probe-" + "x" * 40,
           "DATABASE_URL": os.environ["TEST_DATABASE_URL"], "RATELIMIT_STORAGE_URI": "memory://",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "headers_probe.py"), buyer.email, clerk_login, "secret-pass-1",
         str(order.id)], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    assert pages["http redirect"]["Location"].startswith("https://")
    for name in ("home", "order", "desk", "sign-in form"):
        headers = pages[name]
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", name
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    for name in ("order", "desk", "sign-in form"):
        assert pages[name]["Cache-Control"] == "no-store", name
    cookie = pages["sign-in form"]["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    if os.environ.get("PRINT_HEADERS"):
        print(json.dumps(pages, indent=2, ensure_ascii=False))


def test_the_language_switch_saves_to_the_account_only_through_a_post_form(client, auth, make_user):
    anonymous = client.get("/").get_data(as_text=True)
    assert 'href="/lang/en?next=' in anonymous and "csrf_token" not in anonymous  # a link: the session only
    auth.login(make_user("buyer"))
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<form class="lang" method="post" action="/lang/en"', page)
