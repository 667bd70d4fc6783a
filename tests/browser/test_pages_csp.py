"""Every kind of page, as each role, in Chromium under the Content-Security-Policy: no violation, no console error.
(The journeys cover the card page with Stripe.js; this covers the pages no journey opens.)"""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401 - the same browser set-up
from tests.browser.helpers import sign_in


@pytest.fixture
def world(app, buyer, postal_world, make_listing, place, deliver, make_address):
    w = postal_world
    listing = make_listing(w.household, title="Chè Tân Cương")
    order = place(buyer, {listing.id: 1}).orders[0]
    deliver(order)
    address = make_address()
    return {"buyer": buyer, "household": w.household.user, "clerk": w.origin_clerk, "listing": listing,
            "order": order, "address": address}


def _pages(w) -> dict[str | None, list[str]]:
    listing, order = w["listing"], w["order"]
    return {
        None: ["/", "/tinh", "/tinh/ha_noi", "/tra-cuu", "/dia-chi", f"/dia-chi/{w['address'].code}",
               "/account/login", "/account/signup", "/account/reset", "/account/reset/code", "/account/code",
               "/search?q=che",
               f"/c/{listing.category.slug}", f"/p/{listing.id}", f"/h/{listing.household_id}", "/cart/"],
        "buyer": ["/orders", f"/orders/{order.id}", "/notifications/", "/account/password", "/checkout",
                  f"/orders/{order.id}/lines/{order.lines[0].id}/review"],
        "household": ["/my/listings", "/my/listings/new", "/my/dashboard", "/my/orders", "/my/earnings",
                      "/my/profile", "/my/reviews"],
        "clerk": ["/buu-cuc", "/clerk/dashboard", "/buu-cuc/doi-soat", "/buu-cuc/ho/moi", "/buu-cuc/round",
                  f"/buu-cuc/ho/{listing.household_id}"],
    }


def test_no_page_breaks_the_content_security_policy(browser, live_server, app, csrf_on, world, make_user):
    tile_server = live_server.replace("127.0.0.1", "localhost")  # another origin, as a real tile server is
    app.config["MAP_TILE_URL"] = tile_server + "/static/img/logo.svg?z={z}&x={x}&y={y}"
    admin = make_user("admin", email="quan-tri@buudien.vn")
    pages = _pages(world)
    pages["admin"] = ["/admin/dashboard", "/admin/orders", "/admin/payouts", "/admin/bieu-phi", "/admin/reviews",
                      "/admin/commissions", "/account/users?q=a", "/households/pending"]
    users = {**{k: world[k] for k in ("buyer", "household", "clerk")}, "admin": admin}
    errors: list[str] = []
    visited = 0
    try:
        for role, paths in pages.items():
            context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server,
                                          locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            page = context.new_page()
            page.on("console", lambda m, r=role: errors.append(f"{r} {page.url}: {m.text}")
                    if m.type == "error" else None)
            page.on("pageerror", lambda e, r=role: errors.append(f"{r} {page.url}: {e}"))
            if role:
                sign_in(page, users[role])
                page.wait_for_load_state()
            for path in paths:
                response = page.goto(path)
                assert response.status < 400, (role, path, response.status)
                page.wait_for_load_state("load")
                visited += 1
            context.close()
    finally:
        app.config["MAP_TILE_URL"] = ""
    assert visited > 40
    assert not errors, errors
