"""Each role opens on its own work; households see today's work first and print their own labels."""

from __future__ import annotations

import pytest

from marketplace.orders.models import OrderStatus as S
from marketplace.orders.services import advance


@pytest.mark.parametrize(
    "role, landing",
    [("household", "/my/orders"), ("clerk", "/buu-cuc"), ("admin", "/admin/dashboard"), ("buyer", "/")],
)
def test_each_role_lands_on_its_own_work_after_signing_in(client, auth, make_user, make_household, role, landing):
    user = make_user(role)
    if role == "household":
        make_household(user)
    response = auth.login(user)
    assert response.headers["Location"] == landing
    auth.logout()
    response = client.post("/account/login", data={"identifier": user.email or "0" + user.phone[3:],
                                                   "password": "secret-pass-1", "next": "/cart/"})
    assert response.headers["Location"] == "/cart/"  # where they were going still wins


def test_the_households_day_starts_with_what_waits_for_it(client, auth, db, buyer, make_listing, place):
    listing = make_listing(title="Cam Cao Phong", stock=20)
    waiting = place(buyer, {listing.id: 1}).orders[0]
    confirmed = place(buyer, {listing.id: 1}).orders[0]
    advance(confirmed, S.CONFIRMED, listing.household.user)
    done = place(buyer, {listing.id: 1}).orders[0]
    advance(done, S.CANCELLED, buyer)
    db.session.commit()
    auth.login(listing.household.user)
    page = client.get("/my/orders").get_data(as_text=True)
    today, recent = page.split("Đơn gần đây")
    assert waiting.number in today and confirmed.number in today and done.number not in today
    assert done.number in recent
    assert "2 đơn đang chờ bạn" in today
    # a new order offers confirm or reject (not also "cancel"), each saying what it does
    assert "Từ chối" in today and "Bạn không có hàng để bán" in today
    assert today.count("Huỷ đơn") == 1  # only on the confirmed one
    assert "Về chợ" in page


def test_a_household_prints_its_own_parcel_label_and_no_one_elses(client, auth, db, postal_world, buyer,
                                                                   make_listing, ready_order, make_household):
    order, parcel = ready_order(buyer, make_listing(postal_world.household))
    auth.login(postal_world.household.user)
    page = client.get("/my/orders").get_data(as_text=True)
    assert f"/my/parcels/{parcel.id}/label.pdf" in page
    assert f"/my/parcels/{parcel.id}/label.pdf" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    response = client.get(f"/my/parcels/{parcel.id}/label.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    auth.logout()
    auth.login(make_household().user)
    assert client.get(f"/my/parcels/{parcel.id}/label.pdf").status_code == 404
    auth.logout()
    auth.login(buyer)
    assert client.get(f"/my/parcels/{parcel.id}/label.pdf").status_code == 403
