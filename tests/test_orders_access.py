"""Roles × routes for the order pages, and e-mail notifications sent only after the commit."""

import pytest

from marketplace.orders.models import OrderStatus
from marketplace.orders.services import advance

ROUTES = [
    ("get", "/my/orders", {"household": 200, "buyer": 403, "clerk": 403, "admin": 403}),
    ("get", "/my/earnings", {"household": 200, "buyer": 403, "clerk": 403, "admin": 403}),
    ("get", "/admin/orders", {"household": 403, "buyer": 403, "clerk": 403, "admin": 200}),
    ("get", "/admin/commissions", {"household": 403, "buyer": 403, "clerk": 403, "admin": 200}),
    ("get", "/orders", {"household": 200, "buyer": 200, "clerk": 200, "admin": 200}),
    ("get", "/notifications/", {"household": 200, "buyer": 200, "clerk": 200, "admin": 200}),
]


@pytest.mark.parametrize("method,path,expected", ROUTES, ids=[r[1] for r in ROUTES])
@pytest.mark.parametrize("role", ["household", "buyer", "clerk", "admin"])
def test_order_pages_by_role(client, auth, make_user, make_household, role, method, path, expected):
    user = make_household().user if role == "household" else make_user(role)
    auth.login(user)
    assert getattr(client, method)(path).status_code == expected[role]


@pytest.mark.parametrize("path", ["/orders", "/my/orders", "/admin/orders", "/checkout", "/notifications/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_payment_page_of_someone_elses_checkout_is_404(client, auth, buyer, make_user, make_listing, place):
    checkout = place(buyer, {make_listing().id: 1})
    auth.login(make_user("buyer"))
    assert client.get(f"/payments/checkout/{checkout.id}").status_code == 404
    assert client.get(f"/checkout/{checkout.id}/done").status_code == 404


def test_unknown_status_in_url_is_404(client, auth, buyer, make_listing, place):
    order = place(buyer, {make_listing().id: 1}).orders[0]
    auth.login(buyer)
    assert client.post(f"/orders/{order.id}/status/teleported").status_code == 404


def test_email_goes_out_after_commit_only_when_smtp_is_configured(app, db, buyer, make_listing, place, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            self.host = host

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append((message["To"], message["Subject"]))

    import marketplace.notifications.services as notify

    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    order = place(buyer, {make_listing().id: 1}).orders[0]
    assert sent == []  # no MAIL_SERVER: logged only
    app.config["MAIL_SERVER"] = "smtp.example.vn:2525"
    try:
        advance(order, OrderStatus.CONFIRMED, order.household.user)
        db.session.flush()
        assert sent == []  # nothing before the commit
        db.session.commit()
        assert sent and sent[0][0] == "buyer@example.vn" and order.number in sent[0][1]
        sent.clear()
        advance(order, OrderStatus.READY_FOR_HANDOVER, order.household.user)
        db.session.rollback()
        db.session.commit()
        assert sent == []  # rolled back: nothing sent
    finally:
        app.config["MAIL_SERVER"] = ""
