"""Card payments against localstripe: the order is paid only by the signed webhook; failures give the stock back;
refunds go through Stripe; bad signatures and replays change nothing."""

import time

import stripe
from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from marketplace.notifications.models import Notification
from marketplace.orders.models import Checkout, LedgerEntry, LedgerKind, Order, OrderStatus, PaymentStatus
from marketplace.payments.models import CardPayment, IntentStatus, PaymentEvent, Refund
from tests.fixtures.stripe import WEBHOOK_SECRET, signed_event

KEY = "sk_test_orders"


def _wait_for(db, predicate, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.commit()
        db.session.expire_all()
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _card_checkout(client, auth, db, buyer, listing, checkout_form, qty=2):
    from tests.fixtures.orders import submit_checkout as checkout_submit

    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": qty})
    response = checkout_submit(client, checkout_form(payment_method="card"))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    checkout = db.session.scalar(select(Checkout).order_by(Checkout.id.desc()))
    assert response.headers["Location"].endswith(f"/payments/checkout/{checkout.id}")
    page = client.get(f"/payments/checkout/{checkout.id}")
    assert page.status_code == 200
    return checkout, page.get_data(as_text=True)


def _browser_pays(payment: CardPayment, number: str):
    """What Stripe.js does in the page: attach the card to the intent and confirm it."""
    pm = stripe.PaymentMethod.create(
        api_key=KEY, type="card", card={"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    )
    stripe.PaymentIntent.modify(payment.intent_id, api_key=KEY, payment_method=pm.id)
    return stripe.PaymentIntent.confirm(payment.intent_id, api_key=KEY)


def test_card_order_turns_paid_only_after_the_webhook(client, auth, db, buyer, make_listing, checkout_form, stripe_on):
    listing = make_listing(title="Măng cụt", price=70_000, stock=5)
    checkout, page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    payment = db.session.scalar(select(CardPayment))
    assert payment.amount == checkout.total  # VND is zero-decimal: never × 100
    intent = stripe.PaymentIntent.retrieve(payment.intent_id, api_key=KEY)
    assert intent.amount == checkout.total and intent.currency == "vnd"
    assert payment.client_secret not in page and "data-setup-secret=\"seti_" in page  # no intent secret in the page
    assert f'<script src="{stripe_on}/js.stripe.com/v3/"></script>' in page  # Stripe.js from the STRIPE_JS_URL setting
    order = checkout.orders[0]
    assert order.payment_status is PaymentStatus.UNPAID and db.session.get(Listing, listing.id).stock == 3
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == order.household.user_id)) is None
    # the household cannot confirm before the money is there
    auth.logout()
    auth.login(order.household.user)
    client.post(f"/orders/{order.id}/status/confirmed")
    db.session.refresh(order)
    assert order.status is OrderStatus.PLACED

    assert _browser_pays(payment, "4242424242424242").status == "succeeded"
    db.session.refresh(order)
    assert order.payment_status is PaymentStatus.UNPAID  # not before the webhook
    assert _wait_for(db, lambda: db.session.get(Order, order.id).payment_status is PaymentStatus.PAID)
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    kinds = set(db.session.scalars(select(Notification.kind).where(Notification.user_id == order.household.user_id)))
    assert kinds == {"new_order"}  # the household hears of a card order once it is paid
    assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 1
    assert (
        db.session.scalar(select(LedgerEntry.amount).where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED)) == order.total
    )
    client.post(f"/orders/{order.id}/status/confirmed")
    assert db.session.get(Order, order.id).status is OrderStatus.CONFIRMED


def test_declined_card_keeps_the_order_for_another_card_and_says_why(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on
):
    listing = make_listing(title="Bơ sáp", stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form, qty=3)
    assert db.session.get(Listing, listing.id).stock == 2
    payment = db.session.scalar(select(CardPayment))
    try:
        intent = _browser_pays(
            payment, "4000000000000341"
        )  # localstripe declines charges on 0341 (0002 only on attach)
    except stripe.CardError:
        pass  # declined at once
    else:
        assert intent.status != "succeeded"  # or declined a moment later
    assert _wait_for(db, lambda: db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 1), \
        list(db.session.execute(select(PaymentEvent.type, PaymentEvent.intent_id)))
    # a declined card ends nothing: the order and its stock wait for another card until the hold ends
    order = db.session.get(Order, checkout.orders[0].id)
    assert order.status is OrderStatus.PLACED and order.payment_status is PaymentStatus.UNPAID
    assert db.session.get(Listing, listing.id).stock == 2
    page = client.get(f"/payments/checkout/{checkout.id}").get_data(as_text=True)
    assert "Ngân hàng đã từ chối lần thanh toán vừa rồi" in page  # the page says so, in Vietnamese, and offers cash on delivery
    assert f'action="/payments/checkout/{checkout.id}/cod"' in page
    # another card pays the same order (on a fresh intent: the declined one is cancelled, never to be charged)
    stripe.api_base = stripe_on
    declined_intent = payment.intent_id
    response = client.post(f"/payments/checkout/{checkout.id}/confirm", json={"payment_method": _payment_method()})
    assert response.status_code == 200 and response.get_json()["status"] == "succeeded"
    assert _wait_for(db, lambda: db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID)
    assert db.session.get(Listing, listing.id).stock == 2
    assert stripe.PaymentIntent.retrieve(declined_intent, api_key=KEY).status == "canceled"
    paid = db.session.scalar(select(CardPayment))
    assert paid.intent_id != declined_intent and paid.status is IntentStatus.SUCCEEDED
    captured = select(LedgerEntry.amount).where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED)
    assert list(db.session.scalars(captured)) == [checkout.total]


def test_declined_card_reason_is_said_in_the_buyers_language(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on
):
    stripe.api_base = stripe_on
    listing = make_listing(price=90_000, stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    url = f"/payments/checkout/{checkout.id}/confirm"
    declined = client.post(url, json={"payment_method": _payment_method("4000000000000341")})
    assert declined.status_code == 402
    assert declined.get_json()["error"] == "Ngân hàng đã từ chối thẻ này. Hãy thử thẻ khác, hoặc trả tiền khi nhận hàng."
    client.get("/lang/en")
    declined = client.post(url, json={"payment_method": _payment_method("4000000000000341")})
    assert declined.get_json()["error"] == "The bank declined this card. Try another card, or pay cash on delivery."
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.UNPAID
    ok = client.post(url, json={"payment_method": _payment_method()})
    assert ok.status_code == 200 and ok.get_json()["status"] == "succeeded"
    assert _wait_for(db, lambda: db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID)


def test_buyer_switches_a_declined_card_order_to_cash_on_delivery(
    client, auth, db, buyer, make_user, make_listing, checkout_form, stripe_on
):
    stripe.api_base = stripe_on
    listing = make_listing(price=90_000, stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    client.post(f"/payments/checkout/{checkout.id}/confirm", json={"payment_method": _payment_method("4000000000000341")})
    payment = db.session.scalar(select(CardPayment))
    response = client.post(f"/payments/checkout/{checkout.id}/cod")
    assert response.status_code == 302 and f"/checkout/{checkout.id}" in response.headers["Location"]
    db.session.expire_all()
    checkout = db.session.get(Checkout, checkout.id)
    order = checkout.orders[0]
    assert checkout.payment_status is PaymentStatus.COD_PENDING and order.payment_status is PaymentStatus.COD_PENDING
    assert order.status is OrderStatus.PLACED and db.session.get(Listing, listing.id).stock == 3
    # the intent is cancelled at the provider: the card can no longer be charged for it
    assert stripe.PaymentIntent.retrieve(payment.intent_id, api_key=KEY).status == "canceled"
    assert db.session.get(CardPayment, payment.id).status is IntentStatus.CANCELED
    # the household now has an order to confirm
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == order.household.user_id)) == \
        "new_order"
    # a second switch (a double tap) changes nothing and says why
    again = client.post(f"/payments/checkout/{checkout.id}/cod", follow_redirects=True)
    assert again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == order.household.user_id)) == 1
    # another buyer cannot switch someone else's checkout
    auth.logout()
    auth.login(make_user("buyer"))
    assert client.post(f"/payments/checkout/{checkout.id}/cod").status_code == 404


def test_refund_while_the_provider_is_unreachable_is_queued_and_retried(
    app, client, auth, db, buyer, make_listing, checkout_form, stripe_on, runner
):
    listing = make_listing(title="Thanh long", stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    payment = db.session.scalar(select(CardPayment))
    _browser_pays(payment, "4242424242424242")
    assert _wait_for(db, lambda: db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID)
    order = db.session.get(Order, checkout.orders[0].id)
    auth.logout()
    auth.login(order.household.user)
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # nothing listens: the provider is down
    app.extensions.pop("payment_gateway", None)
    try:
        response = client.post(f"/orders/{order.id}/status/cancelled", data={"reason": "Mưa bão"})
    finally:
        app.config["STRIPE_API_BASE"] = stripe_on
        app.extensions.pop("payment_gateway", None)
    assert response.status_code == 302
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    # the household's cancellation stands (stock back); the buyer's money is owed and said to be on its way
    assert order.status is OrderStatus.CANCELLED and order.payment_status is PaymentStatus.REFUND_PENDING
    assert db.session.get(Listing, listing.id).stock == 5
    refund = db.session.scalar(select(Refund))
    assert refund.status == "pending" and refund.provider_refund_id == ""
    assert "refund_pending" in set(db.session.scalars(select(Notification.kind).where(
        Notification.user_id == buyer.id)))
    # the provider is back: the sweep pays the refund once
    result = runner.invoke(args=["jobs", "run", "payments.retry_refunds"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    refund = db.session.scalar(select(Refund))
    assert order.payment_status is PaymentStatus.REFUNDED and refund.provider_refund_id.startswith("re_")
    assert stripe.Refund.retrieve(refund.provider_refund_id, api_key=KEY).amount == order.total
    runner.invoke(args=["jobs", "run", "payments.retry_refunds"])
    entries = select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == LedgerKind.REFUND)
    assert db.session.scalar(entries) == 1
    check = runner.invoke(args=["ledger", "check"])
    assert check.exit_code == 0, check.output


def test_paid_order_cancelled_by_household_is_refunded_through_stripe(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on
):
    listing = make_listing(title="Thanh long", stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    payment = db.session.scalar(select(CardPayment))
    _browser_pays(payment, "4242424242424242")
    assert _wait_for(db, lambda: db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID)
    order = db.session.get(Order, checkout.orders[0].id)
    auth.logout()
    auth.login(order.household.user)
    assert client.post(f"/orders/{order.id}/status/cancelled", data={"reason": "Mưa bão"}).status_code == 302
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status is OrderStatus.CANCELLED and order.payment_status is PaymentStatus.REFUNDED
    refund = db.session.scalar(select(Refund))
    assert refund.amount == order.total and refund.provider_refund_id.startswith("re_")
    assert stripe.Refund.retrieve(refund.provider_refund_id, api_key=KEY).amount == order.total
    assert db.session.get(Listing, listing.id).stock == 5
    # refunding again is a no-op (one refund per order)
    from marketplace.payments.services import refund_order

    assert refund_order(order).id == refund.id
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 1


def test_webhook_with_a_bad_signature_is_refused_and_changes_nothing(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on
):
    listing = make_listing(stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    payment = db.session.scalar(select(CardPayment))
    event = {
        "id": "evt_forged",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": payment.intent_id, "object": "payment_intent", "status": "succeeded"}},
    }
    body, header = signed_event(event, secret="whsec_wrong")
    response = client.post(
        "/payments/stripe/webhook", data=body, headers={"Stripe-Signature": header}, content_type="application/json"
    )
    assert response.status_code == 400 and response.get_json()["error"]
    response = client.post("/payments/stripe/webhook", data=body, content_type="application/json")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.UNPAID
    assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 0


def test_the_same_event_twice_changes_state_once(client, auth, db, buyer, make_listing, checkout_form, stripe_on):
    listing = make_listing(stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    payment = db.session.scalar(select(CardPayment))
    event = {
        "id": "evt_twice",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": payment.intent_id, "object": "payment_intent", "status": "succeeded"}},
    }
    body, header = signed_event(event)
    first = client.post(
        "/payments/stripe/webhook", data=body, headers={"Stripe-Signature": header}, content_type="application/json"
    )
    second = client.post(
        "/payments/stripe/webhook", data=body, headers={"Stripe-Signature": header}, content_type="application/json"
    )
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.get_json()["applied"] is True and second.get_json()["applied"] is False
    assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 1
    assert (
        db.session.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED)
        )
        == 1
    )
    # a late `payment_failed` after the success is ignored
    late = {
        "id": "evt_late_fail",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "data": {"object": {"id": payment.intent_id, "object": "payment_intent", "status": "requires_payment_method"}},
    }
    body, header = signed_event(late)
    assert (
        client.post(
            "/payments/stripe/webhook", data=body, headers={"Stripe-Signature": header}, content_type="application/json"
        ).status_code
        == 200
    )
    db.session.expire_all()
    order = db.session.get(Order, checkout.orders[0].id)
    assert order.payment_status is PaymentStatus.PAID and order.status is OrderStatus.PLACED
    assert db.session.scalar(select(CardPayment)).status is IntentStatus.SUCCEEDED


def test_unpaid_card_checkout_expires_after_30_minutes_and_returns_stock(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on, runner
):
    from datetime import timedelta

    listing = make_listing(stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form, qty=4)
    result = runner.invoke(args=["orders", "expire-unpaid"])
    assert "Expired 0" in result.output
    db.session.get(Checkout, checkout.id).pay_by -= timedelta(minutes=31)
    db.session.commit()
    result = runner.invoke(args=["orders", "expire-unpaid"])
    assert "Expired 1" in result.output, result.output
    result = runner.invoke(args=["orders", "expire-unpaid"])
    assert "Expired 0" in result.output  # idempotent
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.EXPIRED
    assert db.session.get(Order, checkout.orders[0].id).status is OrderStatus.CANCELLED
    assert db.session.get(Listing, listing.id).stock == 5


def test_stale_failure_event_is_checked_against_stripe_and_the_success_wins(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on
):
    """Events can arrive out of order: a `payment_failed` is checked against the intent's current status."""
    listing = make_listing(stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    payment = db.session.scalar(select(CardPayment))
    assert client.application.config["STRIPE_WEBHOOK_SECRET"] == WEBHOOK_SECRET
    # the buyer's first card failed, the second succeeded; the old failure is delivered first
    assert _browser_pays(payment, "4242424242424242").status == "succeeded"
    stale = {
        "id": "evt_stale_fail",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "data": {"object": {"id": payment.intent_id, "object": "payment_intent", "status": "requires_payment_method"}},
    }
    body, header = signed_event(stale)
    response = client.post(
        "/payments/stripe/webhook", data=body, headers={"Stripe-Signature": header}, content_type="application/json"
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    assert db.session.get(Listing, listing.id).stock == 3  # nothing was given back
    # localstripe's own `succeeded` event arrives later and is applied once, as a no-op
    assert _wait_for(db, lambda: db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 2)
    assert (
        db.session.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED)
        )
        == 1
    )


def test_same_event_delivered_concurrently_is_applied_once(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on, live_server
):
    import threading
    import urllib.request

    listing = make_listing(stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    payment = db.session.scalar(select(CardPayment))
    event = {
        "id": "evt_concurrent",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": payment.intent_id, "object": "payment_intent", "status": "succeeded"}},
    }
    body, header = signed_event(event)
    db.session.commit()
    statuses = []
    barrier = threading.Barrier(6)

    def deliver():
        request = urllib.request.Request(
            live_server + "/payments/stripe/webhook",
            data=body,
            method="POST",
            headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        )
        barrier.wait(timeout=10)
        with urllib.request.urlopen(request, timeout=30) as response:
            statuses.append(response.status)

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [200] * 6
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 1
    captured = select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED)
    assert db.session.scalar(captured) == 1
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID


class RefusingGateway:
    """Another `PaymentGateway`: succeeds at nothing but refunds, which it refuses (e.g. the provider is down)."""

    name = "fake"

    def refund(self, intent_id, amount, idempotency_key):
        from marketplace.payments.errors import PaymentError

        raise PaymentError()


def test_refund_refused_by_the_gateway_leaves_the_order_unchanged(app, client, auth, db, buyer, make_listing, place):
    from marketplace.payments.models import CardPayment as CP
    from marketplace.payments.services import mark_paid

    listing = make_listing(stock=5)
    checkout = place(buyer, {listing.id: 2}, method="card")
    db.session.add(
        CP(
            checkout_id=checkout.id,
            provider="fake",
            intent_id="pi_fake",
            client_secret="s",
            amount=checkout.total,
            status=IntentStatus.PENDING,
        )
    )
    db.session.flush()
    mark_paid(db.session.scalar(select(CP)))
    db.session.commit()
    order = checkout.orders[0]
    app.extensions["payment_gateway"] = RefusingGateway()
    try:
        auth.login(order.household.user)
        assert client.post(f"/orders/{order.id}/status/cancelled").status_code == 302
    finally:
        del app.extensions["payment_gateway"]
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status is OrderStatus.PLACED and order.payment_status is PaymentStatus.PAID
    assert db.session.get(Listing, listing.id).stock == 3
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0


def test_expiry_applies_a_payment_whose_webhook_has_not_arrived(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on, runner
):
    from datetime import timedelta

    listing = make_listing(stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form, qty=2)
    payment = db.session.scalar(select(CardPayment))
    assert _browser_pays(payment, "4242424242424242").status == "succeeded"
    db.session.get(Checkout, checkout.id).pay_by -= timedelta(minutes=31)
    db.session.commit()
    result = runner.invoke(args=["orders", "expire-unpaid"])  # localstripe waits 1 s before its webhook
    assert "Expired 0" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    assert db.session.get(Listing, listing.id).stock == 3
    assert _wait_for(db, lambda: db.session.scalar(select(func.count()).select_from(PaymentEvent)) == 1)
    captured = select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED)
    assert db.session.scalar(captured) == 1  # the late webhook changed nothing more


def _payment_method(number="4242424242424242"):
    return stripe.PaymentMethod.create(
        api_key=KEY, type="card", card={"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    ).id


def test_server_confirmation_with_the_pages_payment_method_pays_after_the_webhook(
    client, auth, db, buyer, make_listing, checkout_form, stripe_on
):
    stripe.api_base = stripe_on
    listing = make_listing(price=90_000, stock=5)
    checkout, page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    assert 'data-setup-secret="seti_' in page and 'data-csrf="' in page
    response = client.post(f"/payments/checkout/{checkout.id}/confirm", json={"payment_method": _payment_method()})
    assert response.status_code == 200 and response.get_json()["status"] == "succeeded"
    assert _wait_for(db, lambda: db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID)


def test_confirm_refuses_bad_input_other_buyers_and_declined_cards(
    client, auth, db, buyer, make_user, make_listing, checkout_form, stripe_on
):
    stripe.api_base = stripe_on
    listing = make_listing(price=90_000, stock=5)
    checkout, _page = _card_checkout(client, auth, db, buyer, listing, checkout_form)
    url = f"/payments/checkout/{checkout.id}/confirm"
    assert client.post(url, json={}).status_code == 400
    assert client.post(url, json={"payment_method": "tok_visa"}).status_code == 402
    declined = client.post(url, json={"payment_method": _payment_method("4000000000000341")})
    assert declined.status_code == 402 and declined.get_json()["error"]
    auth.logout()
    auth.login(make_user("buyer"))
    assert client.post(url, json={"payment_method": _payment_method()}).status_code == 404


def test_confirm_needs_the_csrf_token(
    client, auth, db, buyer, make_listing, checkout_form, checkout_submit, stripe_on, csrf_on
):
    stripe.api_base = stripe_on
    listing = make_listing(price=90_000, stock=5)
    auth_page = client.get("/account/login").get_data(as_text=True)
    token = auth_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/account/login", data={"csrf_token": token, "identifier": buyer.email or "0" + buyer.phone[3:],
                                        "password": "secret-pass-1"})
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/account/password").get_data(as_text=True)).group(1)
    client.post("/cart/add", data={"csrf_token": token, "listing_id": listing.id, "quantity": 1})
    form = checkout_form(payment_method="card")
    form["csrf_token"] = token
    checkout_submit(client, form)
    checkout = db.session.scalar(select(Checkout))
    page = client.get(f"/payments/checkout/{checkout.id}").get_data(as_text=True)
    url = f"/payments/checkout/{checkout.id}/confirm"
    assert client.post(url, json={"payment_method": _payment_method()}).status_code == 400
    csrf = page.split('data-csrf="')[1].split('"')[0]
    response = client.post(url, json={"payment_method": _payment_method()}, headers={"X-CSRFToken": csrf})
    assert response.status_code == 200
