"""Every path that moves money reaches the ledger, and `flask ledger check` proves it: one postal day with every
way an order can end (desk delivery, partner-API delivery, refusal at the door and return, a counter surcharge, a
cancellation, a paid card order delivered), the day closed, the household paid — then zero mismatches. Tampering
with the ledger is caught."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.orders import payouts
from marketplace.orders.models import LedgerEntry, LedgerKind, OrderStatus as S, PaymentStatus
from marketplace.orders.services import advance
from marketplace.postal import desk, reconciliation
from marketplace.timeutil import VN_TZ, utcnow


def _api(client, token, parcel, world, event_id, code, when, **extra):
    point = world.origin if code == "EMA" else world.destination
    response = client.post(
        "/api/tracking/events",
        json=dict(event_id=event_id, tracking_number=parcel.tracking_number, code=code, occurred_at=when.isoformat(),
                  point_code=point.code, **extra),
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code in (201, 202), response.get_json()


def _pay_by_card(db, order):
    """What the payment webhook does once the card was charged (the gateway itself is not needed for this)."""
    from marketplace.payments.models import CardPayment, IntentStatus
    from marketplace.payments.services import mark_paid

    payment = CardPayment(checkout_id=order.checkout_id, provider="stripe", intent_id=f"pi_test_{order.id}",
                          client_secret="x", amount=order.checkout.total, currency="vnd", status=IntentStatus.PENDING)
    db.session.add(payment)
    db.session.flush()
    mark_paid(payment)
    db.session.commit()


def test_a_day_with_every_ending_balances_to_the_dong(client, db, runner, postal_world, buyer, make_listing,
                                                      make_clerk, make_user, ready_order, place, saigon_address,
                                                      api_token):
    w = postal_world
    postman = make_clerk(w.destination, name="Bưu tá Tâm")
    listing = make_listing(w.household, title="Gạo ST25", price=95_000, stock=100, weight_grams=1000)

    desk_order, desk_parcel = ready_order(buyer, listing, qty=2)  # delivered at the desk
    api_order, api_parcel = ready_order(buyer, listing)  # delivered by the partner network
    refused_order, refused_parcel = ready_order(buyer, listing)  # refused at the door, back to the household
    heavy_order, heavy_parcel = ready_order(buyer, listing)  # heavier than declared: surcharge
    cancelled = place(buyer, {listing.id: 1}, addr=saigon_address()).orders[0]
    card_checkout = place(buyer, {listing.id: 3}, method="card", addr=saigon_address())
    card_order = card_checkout.orders[0]
    _pay_by_card(db, card_order)
    advance(card_order, S.CONFIRMED, w.household.user)
    advance(card_order, S.READY_FOR_HANDOVER, w.household.user)
    advance(cancelled, S.CANCELLED, buyer, "đổi ý")
    db.session.commit()
    from marketplace.postal.shipping import parcel_of

    card_parcel = parcel_of(card_order)

    for parcel in (desk_parcel, card_parcel, refused_parcel):
        desk.accept(w.origin_clerk, parcel, parcel.declared_weight_grams)
        desk.receive(w.destination_clerk, parcel)
        desk.out_for_delivery(w.destination_clerk, parcel, postman)
    desk.accept(w.origin_clerk, heavy_parcel, heavy_parcel.declared_weight_grams + 1200)
    desk.receive(w.destination_clerk, heavy_parcel)
    desk.out_for_delivery(w.destination_clerk, heavy_parcel, postman)
    desk.deliver(w.destination_clerk, desk_parcel, desk_parcel.cod_amount)
    desk.deliver(w.destination_clerk, heavy_parcel, heavy_parcel.cod_amount)
    desk.deliver(w.destination_clerk, card_parcel, 0)
    desk.fail_attempt(w.destination_clerk, refused_parcel, "refused")
    db.session.commit()
    now = utcnow() - timedelta(minutes=30)
    for i, code in enumerate(("EMA", "EDD", "EMG", "EDG")):
        _api(client, api_token, api_parcel, w, f"api-{i}", code, now - timedelta(hours=4 - i))
    _api(client, api_token, api_parcel, w, "api-9", "EMI", now)  # the amount is taken from the parcel
    db.session.expire_all()
    desk.hand_back(w.origin_clerk, refused_parcel)
    db.session.commit()
    assert heavy_parcel.surcharge > 0
    assert {o.status for o in (desk_order, api_order, heavy_order, card_order)} == {S.DELIVERED}
    assert refused_order.status is S.RETURNED and refused_order.payment_status is PaymentStatus.NOT_REQUIRED

    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output  # cash still with the carriers: pending, not missing

    day = now.astimezone(VN_TZ).date()
    carriers = reconciliation.expected_by_postman(w.destination, day)
    reconciliation.close_day(w.destination_clerk, day, {c.key: c.expected for c in carriers})
    db.session.commit()
    assert {c.name for c in carriers} == {"Bưu tá Tâm", api_parcel.events[-1].source}

    admin = make_user("admin")
    batch = payouts.create_batch(admin)
    payouts.mark_paid(batch, admin, "UNC-0001")
    db.session.commit()

    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 0 and " 0 mismatch" in result.output, result.output
    orders = {desk_order, api_order, refused_order, heavy_order, cancelled, card_order}
    net = sum(o.household_net for o in orders if o.status is S.DELIVERED) - heavy_parcel.surcharge
    assert batch.total == net

    # tampering: cash credited twice for one order, and a payout nobody batched
    db.session.add(LedgerEntry(household_id=w.household.id, order_id=desk_order.id, kind=LedgerKind.COD_COLLECTED,
                               amount=desk_order.total, memo="x"))
    db.session.add(LedgerEntry(household_id=w.household.id, order_id=None, kind=LedgerKind.PAYOUT, amount=-1, memo="x"))
    db.session.commit()
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 1
    assert f"{desk_order.number}: cash credited" in result.output and "payouts" in result.output
    assert db.session.scalar(select(LedgerEntry.id).where(LedgerEntry.memo == "x")) is not None


def test_a_surcharge_ahead_of_its_sale_is_not_a_mismatch_but_a_payout_above_credit_is(
    db, runner, postal_world, buyer, make_listing, ready_order
):
    w = postal_world
    order, parcel = ready_order(buyer, make_listing(w.household, price=50_000))
    desk.accept(w.origin_clerk, parcel, parcel.declared_weight_grams + 2000)  # surcharge now, sale later
    db.session.commit()
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output
    db.session.add(LedgerEntry(household_id=w.household.id, kind=LedgerKind.PAYOUT, amount=-1_000, memo="x"))
    db.session.commit()
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 1 and "owes money" in result.output


def test_a_day_paid_by_bank_transfer_and_vnpay_balances_to_the_dong(db, runner, postal_world, buyer, make_listing,
                                                                     make_clerk, make_user, place, saigon_address,
                                                                     carry, vietqr_on):
    """Orders paid by VietQR transfer and by VNPay, delivered or cancelled (a refund made by hand), an over-payment
    and a stray transfer held in the queue, the household paid line by line — and the check proves every đồng."""
    from marketplace.orders.models import Order
    from marketplace.payments import methods, transfers, vnpay_api
    from marketplace.payments.methods.vnpay import handle_ipn
    from marketplace.payments.statements import StatementLine
    from marketplace.postal.shipping import parcel_of
    from tests.fixtures.rails import ACCOUNT, VNPAY_SECRET, VNPAY_TMN

    vietqr_on.update(VNPAY_TMN_CODE=VNPAY_TMN, VNPAY_HASH_SECRET=VNPAY_SECRET)
    w = postal_world
    postman = make_clerk(w.destination, name="Bưu tá Hoa")
    admin = make_user("admin")
    listing = make_listing(w.household, title="Bưởi Diễn", price=120_000, stock=100, weight_grams=1000)

    def by_transfer(checkout, ident, amount=None, content=None):
        payment = transfers.ensure_payment(checkout)
        transfers.receive(StatementLine("sepay", ident, "VietinBank", ACCOUNT, utcnow(), "in",
                                        amount or checkout.total, content or f"CNS {payment.code}", ident, None))
        db.session.commit()

    delivered_by_transfer = place(buyer, {listing.id: 2}, method="vietqr", addr=saigon_address())
    by_transfer(delivered_by_transfer, "t-1")
    cancelled_by_transfer = place(buyer, {listing.id: 1}, method="vietqr", addr=saigon_address())
    by_transfer(cancelled_by_transfer, "t-2")
    overpaid = place(buyer, {listing.id: 1}, method="vietqr", addr=saigon_address())
    by_transfer(overpaid, "t-3", amount=overpaid.total + 7_000)  # held in the queue
    by_transfer(overpaid, "t-4", amount=9_000, content="ung ho")  # no code: held too
    by_vnpay = place(buyer, {listing.id: 3}, method="vnpay", addr=saigon_address())
    payment = methods.get(by_vnpay.payment_method).create(by_vnpay)
    db.session.commit()
    ipn = {"vnp_Amount": str(by_vnpay.total * 100), "vnp_BankCode": "NCB", "vnp_OrderInfo": "x", "vnp_PayDate":
           "20250701100000", "vnp_ResponseCode": "00", "vnp_TmnCode": VNPAY_TMN, "vnp_TransactionNo": "14422574",
           "vnp_TransactionStatus": "00", "vnp_TxnRef": payment.txn_ref}
    assert handle_ipn(dict(ipn, vnp_SecureHash=vnpay_api.secure_hash(VNPAY_SECRET, ipn))).code == "00"
    db.session.commit()

    for checkout in (delivered_by_transfer, by_vnpay):
        order = db.session.get(Order, checkout.orders[0].id)
        advance(order, S.CONFIRMED, w.household.user)
        advance(order, S.READY_FOR_HANDOVER, w.household.user)
        db.session.commit()
        carry(w, parcel_of(order), postman)
    cancelled = db.session.get(Order, cancelled_by_transfer.orders[0].id)
    advance(cancelled, S.CANCELLED, w.household.user, "hết hàng")
    db.session.commit()
    assert cancelled.payment_status is PaymentStatus.REFUND_PENDING
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output  # the refund still to make, the queued money: accounted for

    task = transfers.refund_order(cancelled)
    transfers.complete_refund(task.id, admin, "FT-HOAN-1", "970405", "1500205512345", "NGUYEN THI LAN")
    batch = payouts.create_batch(admin)
    for item in batch.items:
        payouts.mark_line_paid(item, admin, "FT-CHI-1")
    db.session.commit()
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 0 and " 0 mismatch" in result.output, result.output
    delivered = [db.session.get(Order, c.orders[0].id) for c in (delivered_by_transfer, by_vnpay)]
    assert {o.status for o in delivered} == {S.DELIVERED} and batch.total == sum(o.household_net for o in delivered)

    # tampering: a capture written twice for the transfer-paid order
    db.session.add(LedgerEntry(household_id=w.household.id, order_id=delivered[0].id, kind=LedgerKind.CARD_CAPTURED,
                               amount=delivered[0].total, memo="x"))
    db.session.commit()
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 1 and f"{delivered[0].number}: captured" in result.output
