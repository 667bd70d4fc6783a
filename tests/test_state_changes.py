"""State changes only by POST (reading notifications, the language link), and webhook events signed outside the
tolerance window, in the past or in the future, are refused."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from sqlalchemy import func, select

from marketplace.notifications.models import Notification
from marketplace.payments.models import PaymentEvent

SECRET = "whsec_state_changes"


def test_opening_the_notifications_marks_nothing_read_the_button_does(client, auth, db, buyer, make_listing, place):
    listing = make_listing()
    place(buyer, {listing.id: 1})
    auth.login(buyer)
    unread = select(func.count()).select_from(Notification).where(Notification.read_at.is_(None),
                                                                  Notification.user_id == buyer.id)
    assert db.session.scalar(unread) == 1
    page = client.get("/notifications/").get_data(as_text=True)
    client.get("/notifications/")
    assert db.session.scalar(unread) == 1
    assert "Đánh dấu tất cả là đã đọc" in page
    assert client.post("/notifications/read").status_code == 302
    assert db.session.scalar(unread) == 0


def test_marking_read_needs_the_csrf_token(client, auth, db, buyer, make_listing, place, csrf_on):
    listing = make_listing()
    place(buyer, {listing.id: 1})
    client.post("/account/login", data={"identifier": buyer.email, "password": "secret-pass-1"})  # no token: refused
    assert client.post("/notifications/read").status_code in (302, 400)
    unread = select(func.count()).select_from(Notification).where(Notification.read_at.is_(None),
                                                                  Notification.user_id == buyer.id)
    assert db.session.scalar(unread) == 1


@pytest.fixture
def card_keys(app):
    saved = {k: app.config.get(k) for k in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET",
                                            "STRIPE_API_BASE")}
    app.config.update(STRIPE_SECRET_KEY="sk_test_x", STRIPE_PUBLISHABLE_KEY="pk_test_x", STRIPE_WEBHOOK_SECRET=SECRET,
                      STRIPE_API_BASE="http://127.0.0.1:9")
    yield
    app.config.update(saved)


def _signed(event: dict, timestamp: int) -> tuple[bytes, str]:
    body = json.dumps(event).encode()
    signature = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={signature}"


@pytest.mark.parametrize("offset, accepted", [(0, True), (-250, True), (250, True), (-400, False), (400, False),
                                              (86_400, False), (-86_400, False)])
def test_webhook_events_are_accepted_only_within_five_minutes_of_now(client, db, card_keys, offset, accepted):
    event = {"id": f"evt_{offset}", "object": "event", "type": "charge.updated",
             "data": {"object": {"id": "ch_1", "object": "charge"}}}
    body, header = _signed(event, int(time.time()) + offset)
    response = client.post("/payments/stripe/webhook", data=body, headers={"Stripe-Signature": header},
                           content_type="application/json")
    assert response.status_code == (200 if accepted else 400)
    assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == (1 if accepted else 0)


@pytest.mark.parametrize("event", [[], [1, 2], "evt", {"id": "evt_1"}, {"id": "e", "type": "t", "data": []},
                                   {"id": "e" * 81, "type": "t", "data": {"object": {}}},
                                   {"id": "e", "type": "payment_intent.succeeded",
                                    "data": {"object": {"object": "payment_intent", "id": ["pi"], "status": 1}}}])
def test_a_signed_body_that_is_not_an_event_gets_a_400_json_error(client, db, card_keys, event):
    body, header = _signed(event, int(time.time()))
    response = client.post("/payments/stripe/webhook", data=body, headers={"Stripe-Signature": header},
                           content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]
    assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 0
