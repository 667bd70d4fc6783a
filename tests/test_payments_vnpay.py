"""VNPay: signing against the published vectors, a checkout round-tripping through the VNPay stand-in (redirect,
IPN, return page), the IPN's documented order of checks, replays, failures and refunds through the merchant API."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from marketplace.orders.models import Checkout, LedgerEntry, LedgerKind, Order, OrderStatus, PaymentStatus
from marketplace.payments import vnpay_api
from marketplace.payments.models import IntentStatus, Refund, VnpayPayment
from tests.fixtures.orders import submit_checkout
from tests.fixtures.rails import VNPAY_SECRET, VNPAY_TMN

#: the IPN fixture of the TypeScript library lehuygiang28/vnpay (test/verify-ipn-call.test.ts), secret "test_secret"
PUBLISHED_IPN = {
    "vnp_Amount": "1000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14422574", "vnp_CardType": "ATM",
    "vnp_OrderInfo": "Thanh toan don hang 2024-05-21T02:17:31.249Z", "vnp_PayDate": "20240521091806",
    "vnp_ResponseCode": "00", "vnp_TmnCode": "TEST_TMN_CODE", "vnp_TransactionNo": "14422574",
    "vnp_TransactionStatus": "00", "vnp_TxnRef": "1716257871703",
}
PUBLISHED_HASH = ("649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361dbf146889ca446139afe11b9954c4d5c4"
                  "86e99e3b86fcfab6957f29eb0be72895")
#: the same with vnp_ResponseCode "99" (the library's "failed result" case)
PUBLISHED_HASH_99 = ("503194f6d93b57b357b2d1d09742565e67e86d771352c5dca4fc8d39df3d392c6b3809add9405f97cfb9631f445e36c8"
                     "0656cfbf47eac67d97fa165865c13e1b")


def test_signing_matches_the_published_vectors():
    assert vnpay_api.secure_hash("test_secret", PUBLISHED_IPN) == PUBLISHED_HASH
    assert vnpay_api.secure_hash("test_secret", dict(PUBLISHED_IPN, vnp_ResponseCode="99")) == PUBLISHED_HASH_99
    result = vnpay_api.verify("test_secret", dict(PUBLISHED_IPN, vnp_SecureHash=PUBLISHED_HASH))
    assert result.amount == 10_000 and result.succeeded and result.txn_ref == "1716257871703"
    with pytest.raises(vnpay_api.InvalidSignature):  # a changed field no longer matches
        vnpay_api.verify("test_secret", dict(PUBLISHED_IPN, vnp_ResponseCode="99", vnp_SecureHash=PUBLISHED_HASH))
    # the hash type and empty values are not signed; spaces are `+`, `:` is encoded
    assert "vnp_OrderInfo=Thanh+toan+don+hang+2024-05-21T02%3A17%3A31.249Z" in vnpay_api.canonical(
        dict(PUBLISHED_IPN, vnp_SecureHashType="HmacSHA512", vnp_BankTranNo2=""))


def place_vnpay(client, auth, db, buyer, listing, checkout_form, qty=1):
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": qty})
    response = submit_checkout(client, checkout_form(payment_method="vnpay"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    checkout = db.session.scalar(select(Checkout).order_by(Checkout.id.desc()))
    assert response.headers["Location"].endswith(f"/payments/vnpay/{checkout.id}")
    return checkout


def go(client, checkout) -> dict[str, str]:
    """Open the pay page and follow its link to (the stand-in's) payment page; returns the signed query."""
    import html
    import re

    page = client.get(f"/payments/vnpay/{checkout.id}").get_data(as_text=True)
    url = html.unescape(re.search(r'href="([^"]*vpcpay\.html[^"]*)"', page).group(1))
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def complete(standin, txn_ref: str, outcome: str = "paid", **extra) -> dict:
    request = urllib.request.Request(standin.url + "/_test/complete", method="POST", headers={
        "Content-Type": "application/json"}, data=json.dumps({"txn_ref": txn_ref, "outcome": outcome, **extra}).encode())
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def signed(params: dict[str, str], secret: str = VNPAY_SECRET) -> dict[str, str]:
    return dict(params, vnp_SecureHash=vnpay_api.secure_hash(secret, params))


def test_a_vnpay_checkout_round_trips_through_the_stand_in(
    client, auth, db, buyer, make_listing, checkout_form, vnpay_standin
):
    listing = make_listing(price=80_000, stock=5)
    checkout = place_vnpay(client, auth, db, buyer, listing, checkout_form, qty=2)
    query = go(client, checkout)
    assert query["vnp_Amount"] == str(checkout.total * 100) and query["vnp_TmnCode"] == VNPAY_TMN
    assert query["vnp_OrderInfo"].isascii() and query["vnp_Version"] == "2.1.0" and len(query["vnp_CreateDate"]) == 14
    # the stand-in checks the signature as VNPay does and shows its page
    url = vnpay_standin.url + "/paymentv2/vpcpay.html?" + urllib.parse.urlencode(query)
    with urllib.request.urlopen(url, timeout=10) as page:
        assert page.status == 200 and b"Thanh to" in page.read()
    tampered = dict(query, vnp_Amount=str(checkout.total))  # 100× less
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(vnpay_standin.url + "/paymentv2/vpcpay.html?" + urllib.parse.urlencode(tampered))
    # the buyer comes back before the IPN: the return page shows, but does not decide
    params = vnpay_standin.result(vnpay_standin.orders[query["vnp_TxnRef"]], "paid")
    back = client.get("/payments/vnpay/return?" + urllib.parse.urlencode(params)).get_data(as_text=True)
    assert "Đang chờ VNPay xác nhận" in back
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.UNPAID
    # VNPay's IPN decides
    replies = complete(vnpay_standin, query["vnp_TxnRef"])["replies"]
    assert replies == [{"status": 200, "RspCode": "00", "Message": "Confirm Success"}]
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    assert db.session.scalar(select(LedgerEntry.amount).where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED)) \
        == checkout.total
    back = client.get("/payments/vnpay/return?" + urllib.parse.urlencode(params)).get_data(as_text=True)
    assert "Đã nhận thanh toán" in back
    from marketplace.orders.conservation import check

    assert check().mismatches == []


def test_the_ipn_checks_signature_then_order_then_amount_then_confirmation(
    client, auth, db, buyer, make_listing, checkout_form, vnpay_standin
):
    checkout = place_vnpay(client, auth, db, buyer, make_listing(price=50_000, stock=5), checkout_form)
    ref = go(client, checkout)["vnp_TxnRef"]
    ok = {"vnp_Amount": str(checkout.total * 100), "vnp_BankCode": "NCB", "vnp_OrderInfo": "x", "vnp_PayDate":
          "20250701100000", "vnp_ResponseCode": "00", "vnp_TmnCode": VNPAY_TMN, "vnp_TransactionNo": "1",
          "vnp_TransactionStatus": "00", "vnp_TxnRef": ref}

    def ipn(params):
        response = client.get("/payments/vnpay/ipn?" + urllib.parse.urlencode(params))
        return response.status_code, response.get_json()["RspCode"]

    # a bad signature is 97 even when the order is also unknown and the amount wrong
    assert ipn(signed(dict(ok, vnp_TxnRef="nope", vnp_Amount="1"), secret="wrong")) == (403, "97")
    assert ipn(dict(ok, vnp_SecureHash="")) == (403, "97")
    assert ipn({}) == (403, "97")
    assert ipn({"vnp_SecureHash": "00" * 64, "x": "\x00"}) == (403, "97")
    assert ipn(signed(dict(ok, vnp_TmnCode="OTHER"))) == (403, "97")
    assert ipn(signed(dict(ok, vnp_Amount="12.5"))) == (400, "99")  # signed but malformed
    assert ipn(signed(dict(ok, vnp_TxnRef="CNS99999999", vnp_Amount="100"))) == (404, "01")  # unknown before amount
    assert ipn(signed(dict(ok, vnp_Amount=str((checkout.total - 1) * 100)))) == (400, "04")
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.UNPAID
    assert ipn(signed(ok)) == (200, "00")
    assert ipn(signed(ok)) == (200, "02")  # a repeat: already confirmed, nothing changes
    assert ipn(signed(dict(ok, vnp_ResponseCode="24", vnp_TransactionStatus="02"))) == (200, "02")
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    count = select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED)
    assert db.session.scalar(count) == 1


def test_a_cancelled_payment_gives_the_stock_back(client, auth, db, buyer, make_listing, checkout_form,
                                                  vnpay_standin):
    listing = make_listing(stock=5)
    checkout = place_vnpay(client, auth, db, buyer, listing, checkout_form, qty=3)
    assert db.session.get(Listing, listing.id).stock == 2
    ref = go(client, checkout)["vnp_TxnRef"]
    assert complete(vnpay_standin, ref, "cancelled")["replies"][0]["RspCode"] == "00"
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.FAILED
    assert db.session.get(Order, checkout.orders[0].id).status is OrderStatus.CANCELLED
    assert db.session.get(Listing, listing.id).stock == 5


def test_a_paid_vnpay_order_cancelled_is_refunded_through_the_merchant_api(
    client, auth, db, buyer, make_listing, checkout_form, vnpay_standin
):
    checkout = place_vnpay(client, auth, db, buyer, make_listing(price=70_000, stock=5), checkout_form)
    ref = go(client, checkout)["vnp_TxnRef"]
    complete(vnpay_standin, ref)
    order = db.session.get(Order, checkout.orders[0].id)
    auth.logout()
    auth.login(order.household.user)
    assert client.post(f"/orders/{order.id}/status/cancelled", data={"reason": "mưa bão"}).status_code == 302
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.payment_status is PaymentStatus.REFUNDED
    refund = db.session.scalar(select(Refund))
    assert refund.vnpay_payment_id and refund.amount == order.total
    assert vnpay_standin.orders[ref]["refunded"] == order.total * 100  # VNPay was asked for exactly this
    assert db.session.scalar(select(LedgerEntry.amount).where(LedgerEntry.kind == LedgerKind.REFUND)) == -order.total
    from marketplace.orders.conservation import check

    assert check().mismatches == []


def test_an_ipn_after_the_expiry_is_captured_and_refunded_at_once(
    client, auth, db, buyer, make_listing, checkout_form, vnpay_standin, runner
):
    from datetime import timedelta

    listing = make_listing(price=40_000, stock=5)
    checkout = place_vnpay(client, auth, db, buyer, listing, checkout_form)
    ref = go(client, checkout)["vnp_TxnRef"]
    db.session.get(Checkout, checkout.id).pay_by -= timedelta(hours=1)
    db.session.commit()
    assert "Expired 1" in runner.invoke(args=["orders", "expire-unpaid"]).output
    assert db.session.scalar(select(VnpayPayment)).status is IntentStatus.CANCELED
    assert complete(vnpay_standin, ref)["replies"][0]["RspCode"] == "00"  # the money is VNPay's word: accepted
    db.session.expire_all()
    order = db.session.get(Order, checkout.orders[0].id)
    assert order.status is OrderStatus.CANCELLED and order.payment_status is PaymentStatus.REFUNDED
    assert db.session.get(Listing, listing.id).stock == 5
    from marketplace.orders.conservation import check

    assert check().mismatches == []
