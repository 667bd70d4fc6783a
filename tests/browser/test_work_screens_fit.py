"""Every work screen fits a 360 px phone: households', clerks' and administrators' pages never scroll sideways, and a
table too wide for the screen scrolls inside its own box with a visible hint that it does."""

from __future__ import annotations

import pytest

from tests.browser.helpers import sign_in

OVERFLOW = """() => {
  const wide = [];
  document.querySelectorAll('body *').forEach(el => {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !el.closest('.table-scroll') && getComputedStyle(el).position !== 'fixed')
      wide.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
  });
  return {page: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
}"""

UNHINTED = """() => Array.from(document.querySelectorAll('.table-scroll'))
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .filter(box => { const hint = box.previousElementSibling;
                   return !(hint && hint.classList.contains('scroll-hint') && hint.offsetParent !== null); })
  .map(box => box.outerHTML.slice(0, 80))"""


@pytest.fixture
def world(db, postal_world, buyer, make_listing, make_clerk, make_user, ready_order, carry, place, saigon_address):
    """A household with listings and orders in every state, a delivered COD parcel, a day to close, an admin."""
    from marketplace.orders import ledger

    w = postal_world
    listing = make_listing(w.household, title="Xoài cát Hòa Lộc loại 1 đặc biệt", price=85_000, stock=40)
    w.listing = listing
    w.postman = make_clerk(w.destination, name="Bưu tá Nguyễn Văn Cường")
    order, parcel = ready_order(buyer, listing, qty=2)
    carry(w, parcel, w.postman)
    w.order, w.parcel = order, parcel
    w.waiting = place(buyer, {listing.id: 1}, addr=saigon_address()).orders[0]
    w.admin = make_user("admin", email="admin-fit@example.vn")
    w.buyer = buyer
    ledger.record_surcharge(order, 5_000, "cân lại tại quầy")
    db.session.commit()
    return w


def _check(page, paths: list[str]) -> list[str]:
    problems = []
    width = page.viewport_size["width"]
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, (path, response.status)
        found = page.evaluate(OVERFLOW)
        if found["page"] > width:
            problems.append(f"{path}: page {found['page']} px wide at {width}: {found['wide']}")
        unhinted = page.evaluate(UNHINTED)
        if unhinted:
            problems.append(f"{path}: a wide table without a scroll hint: {unhinted}")
        page.screenshot(path=page.screenshot_name(path.strip("/").replace("/", "_") or "home"), full_page=True)
    return problems


def test_household_screens_fit(page, world):
    sign_in(page, world.household.user)
    problems = _check(page, [
        "/my/orders", "/my/orders?status=delivered", f"/orders/{world.order.id}", "/my/listings", "/my/listings/new",
        f"/my/listings/{world.listing.id}/edit", "/my/profile", "/my/earnings", "/my/dashboard", "/my/reviews",
    ])
    assert not problems, problems


def test_clerk_screens_fit(page, world):
    sign_in(page, world.destination_clerk)
    problems = _check(page, [
        "/buu-cuc", f"/buu-cuc/parcels/{world.parcel.id}", f"/buu-cuc/round?postman={world.postman.id}",
        "/buu-cuc/doi-soat", "/clerk/dashboard", "/households/pending", "/buu-cuc/ho/moi",
    ])
    assert not problems, problems
    sign_in(page, world.origin_clerk)
    problems = _check(page, [f"/buu-cuc/ho/{world.household.id}", f"/households/{world.household.id}/review",
                             f"/orders/{world.order.id}"])
    assert not problems, problems


def test_administrator_screens_fit(page, world):
    sign_in(page, world.admin)
    problems = _check(page, [
        "/admin/dashboard", "/admin/orders", "/admin/payouts", "/admin/bieu-phi", "/admin/commissions",
        "/admin/reviews", "/admin/audit", "/admin/jobs", f"/orders/{world.order.id}",
    ])
    assert not problems, problems


def test_buyer_screens_fit(page, world):
    sign_in(page, world.buyer)
    problems = _check(page, ["/orders", f"/orders/{world.order.id}", "/dia-chi/moi", "/notifications/"])
    assert not problems, problems
