"""Issue 3's "done when", walked through the pages as people would: three households → three COD orders; a card
order paid only after localstripe's webhook; households confirm; the buyer cancels one and its stock returns."""

import time

import stripe
from sqlalchemy import select

from marketplace.catalog.models import Listing
from marketplace.payments.models import CardPayment
from marketplace.orders.models import Checkout, Order, OrderStatus, PaymentStatus


def test_done_when(client, auth, db, make_user, three_households, checkout_form, checkout_submit, stripe_on):
    rau, vai, xoai = three_households
    # a buyer fills a cart from three households as a guest, signs in, pays COD, gets three orders
    lan = make_user("buyer", email="lan@example.vn")
    for listing, qty in ((rau, 2), (vai, 1), (xoai, 3)):
        assert client.post("/cart/add", data={"listing_id": listing.id, "quantity": qty}).status_code == 302
    auth.login(lan)
    assert checkout_submit(client, checkout_form()).status_code == 302
    cod = db.session.scalar(select(Checkout).where(Checkout.buyer_id == lan.id))
    assert len(cod.orders) == 3 and all(o.payment_status is PaymentStatus.COD_PENDING for o in cod.orders)
    auth.logout()

    # another buyer pays by card; the order turns paid only after the webhook
    minh = make_user("buyer", email="minh@example.vn")
    auth.login(minh)
    client.post("/cart/add", data={"listing_id": vai.id, "quantity": 2})
    response = checkout_submit(client, checkout_form(payment_method="card", recipient="Trần Minh"))
    assert response.status_code == 302
    card = db.session.scalar(select(Checkout).where(Checkout.buyer_id == minh.id))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    payment = db.session.scalar(select(CardPayment).where(CardPayment.checkout_id == card.id))
    assert "data-setup-secret=\"seti_" in page and payment.client_secret not in page
    pm = stripe.PaymentMethod.create(
        api_key="sk_test_orders",
        type="card",
        card={"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
    )
    stripe.PaymentIntent.modify(payment.intent_id, api_key="sk_test_orders", payment_method=pm.id)
    stripe.PaymentIntent.confirm(payment.intent_id, api_key="sk_test_orders")
    assert db.session.get(Checkout, card.id).payment_status is PaymentStatus.UNPAID
    for _ in range(75):
        db.session.commit()
        db.session.expire_all()
        if db.session.get(Checkout, card.id).payment_status is PaymentStatus.PAID:
            break
        time.sleep(0.2)
    assert db.session.get(Checkout, card.id).payment_status is PaymentStatus.PAID
    auth.logout()

    # households confirm with one tap
    for order in cod.orders:
        auth.login(order.household.user)
        assert client.post(f"/orders/{order.id}/status/confirmed").status_code == 302
        auth.logout()
    assert {db.session.get(Order, o.id).status for o in cod.orders} == {OrderStatus.CONFIRMED}

    # the buyer cancels one and its stock returns
    auth.login(lan)
    xoai_order = next(o for o in cod.orders if o.household_id == xoai.household_id)
    assert db.session.get(Listing, xoai.id).stock == 7
    assert client.post(f"/orders/{xoai_order.id}/status/cancelled").status_code == 302
    db.session.expire_all()
    assert db.session.get(Order, xoai_order.id).status is OrderStatus.CANCELLED
    assert db.session.get(Listing, xoai.id).stock == 10
    assert db.session.get(Listing, vai.id).stock == 10 - 1 - 2
