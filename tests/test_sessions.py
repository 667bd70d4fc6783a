"""Sessions that really end: a copy of the session cookie dies with sign-out, a new password, a clerk's new sheet, an
administrator's "sign out everywhere" and a reset; sessions end after inactivity; sign-in starts a new session."""

from __future__ import annotations

import time

import pytest

from marketplace.accounts.sessions import SEEN


def _copy_session(source, target) -> None:
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


def _signed_in(client) -> bool:
    """Whether the client's session opens a page only signed-in people see."""
    return client.get("/orders").status_code == 200


@pytest.fixture
def second_client(app):
    return app.test_client()


def test_a_copy_of_the_session_cookie_is_dead_after_sign_out(client, second_client, auth, make_user):
    buyer = make_user("buyer")
    auth.login(buyer)
    _copy_session(client, second_client)
    assert _signed_in(second_client)  # the copy works like the original…
    auth.logout()
    assert not _signed_in(client)
    assert not _signed_in(second_client)  # …and ends with it
    response = second_client.get("/orders")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_signing_out_ends_the_other_devices_too(client, second_client, app, make_user):
    buyer = make_user("buyer")
    for c in (client, second_client):
        c.post("/account/login", data={"identifier": "0" + buyer.phone[3:], "password": "secret-pass-1"})
    assert _signed_in(client) and _signed_in(second_client)
    client.post("/account/logout")
    assert not _signed_in(second_client)


def test_a_new_password_ends_every_other_session_and_keeps_this_one(client, second_client, auth, make_user):
    buyer = make_user("buyer")
    auth.login(buyer)
    _copy_session(client, second_client)
    response = client.post("/account/password",
                           data={"current": "secret-pass-1", "new": "new-pass-123", "confirm": "new-pass-123"})
    assert response.status_code == 302
    assert _signed_in(client)
    assert not _signed_in(second_client)


def test_an_administrator_signs_a_user_out_everywhere(client, second_client, auth, make_user, db):
    buyer = make_user("buyer", name="Chị Hoa")
    admin = make_user("admin", email="quan-tri@buudien.vn")
    auth.login(buyer)
    second_client.post("/account/login", data={"identifier": admin.email, "password": "secret-pass-1"})
    found = second_client.get("/account/users?q=" + "0" + buyer.phone[3:]).get_data(as_text=True)
    assert "Chị Hoa" in found
    response = second_client.post(f"/account/users/{buyer.id}/sign-out-everywhere")
    assert response.status_code == 302
    assert not _signed_in(client)
    assert second_client.get("/account/users").status_code == 200  # the administrator's own session goes on


def test_only_administrators_sign_people_out(client, auth, make_user):
    buyer, other = make_user("buyer"), make_user("buyer")
    auth.login(buyer)
    assert client.post(f"/account/users/{other.id}/sign-out-everywhere").status_code == 403
    assert client.get("/account/users").status_code == 403


def test_a_new_sign_in_sheet_from_the_clerk_ends_the_household_sessions(client, second_client, auth, postal_world):
    w = postal_world
    auth.login(w.household.user)
    assert client.get("/my/listings").status_code == 200
    second_client.post("/account/login", data={"identifier": w.origin_clerk.email or "0" + w.origin_clerk.phone[3:],
                                                "password": "secret-pass-1"})
    assert second_client.post(f"/buu-cuc/ho/{w.household.id}/phieu.pdf").status_code == 200
    assert client.get("/my/listings").status_code == 302


def test_a_staff_session_ends_after_thirty_idle_minutes_and_a_buyer_session_lasts(client, second_client, auth,
                                                                                   make_user):
    clerk = make_user("admin", email="admin@buudien.vn")
    buyer = make_user("buyer")
    second_client.post("/account/login", data={"identifier": "0" + buyer.phone[3:], "password": "secret-pass-1"})
    auth.login(clerk)
    for c, idle in ((client, 31 * 60), (second_client, 6 * 24 * 3600)):
        with c.session_transaction() as session:
            session[SEEN] = int(time.time()) - idle
    response = client.get("/admin/orders")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert "/admin/orders" in response.headers["Location"]  # back to the page after signing in again
    assert not _signed_in(client)
    assert _signed_in(second_client)
    with second_client.session_transaction() as session:
        session[SEEN] = int(time.time()) - 8 * 24 * 3600
    assert not _signed_in(second_client)


def test_an_idle_json_request_gets_a_401_json_error(client, auth, make_user):
    buyer = make_user("buyer")
    auth.login(buyer)
    with client.session_transaction() as session:
        session[SEEN] = int(time.time()) - 8 * 24 * 3600
    response = client.get("/payments/checkout/1/status", headers={"Accept": "application/json"})
    assert response.status_code == 401 and "error" in response.get_json()


def test_sign_in_starts_a_new_session_and_the_old_cookie_stays_anonymous(client, second_client, make_user,
                                                                        make_listing):
    buyer = make_user("buyer")
    listing = make_listing()
    client.post("/cart/add", data={"listing_id": str(listing.id), "quantity": "1"})
    before = client.get_cookie("session").value
    client.post("/account/login", data={"identifier": "0" + buyer.phone[3:], "password": "secret-pass-1"})
    after = client.get_cookie("session").value
    assert before != after
    second_client.set_cookie("session", before)
    assert not _signed_in(second_client)
    assert _signed_in(client)


def test_a_session_from_before_the_tokens_or_forged_ids_are_signed_out(client, make_user):
    buyer = make_user("buyer")
    for forged in (str(buyer.id), f"{buyer.id}:", f"{buyer.id}:wrong-token", f"x:{buyer.session_token}",
                   f"{2**80}:{buyer.session_token}", "²:x"):
        with client.session_transaction() as session:
            session["_user_id"] = forged
            session[SEEN] = int(time.time())
        assert not _signed_in(client), forged
