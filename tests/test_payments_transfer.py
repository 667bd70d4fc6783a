"""VietQR bank transfers end to end: the pay page's QR (read back by zbar) against the published example's layout,
transfers confirmed by the bank-statement stand-in's webhook, replays, forgeries and garbage refused, short, over,
late and unmatched transfers queued for administrators, refunds by hand, the periodic reconciliation, expiry."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from marketplace.orders.models import Checkout, LedgerEntry, LedgerKind, Order, OrderStatus, PaymentStatus
from marketplace.payments import emvco
from marketplace.payments.models import BankTransaction, QueueReason, TransactionStatus, TransferRefund
from tests.fixtures.orders import submit_checkout
from tests.fixtures.rails import ACCOUNT, API_KEY, BANK_BIN, HMAC_SECRET
from tests.qr import decode


def place_transfer(client, auth, db, buyer, listing, checkout_form, qty=2):
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": qty})
    response = submit_checkout(client, checkout_form(payment_method="vietqr"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    checkout = db.session.scalar(select(Checkout).order_by(Checkout.id.desc()))
    assert response.headers["Location"].endswith(f"/payments/transfer/{checkout.id}")
    return checkout


def transfer(service, amount, content, **extra) -> dict:
    """Book a transfer at the stand-in bank-statement service (which posts it to the app's webhook)."""
    request = urllib.request.Request(service.url + "/_test/transfers", method="POST",
                                     data=json.dumps({"amount": amount, "content": content, **extra}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def memo(checkout) -> str:
    return f"CNS TT{checkout.id:06d}"


def captured(db) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0))
                             .where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED))


def test_pay_page_shows_a_vietqr_for_the_exact_amount_with_the_code_first_in_the_memo(
    client, auth, db, buyer, make_listing, checkout_form, vietqr_on
):
    listing = make_listing(title="Gạo ST25", price=95_000, stock=10)
    checkout = place_transfer(client, auth, db, buyer, listing, checkout_form)
    page = client.get(f"/payments/transfer/{checkout.id}").get_data(as_text=True)
    assert memo(checkout) in page and ACCOUNT in page and "VietinBank" in page and "Thanh toán bằng chuyển khoản" in page
    assert "<script>" not in page  # the status poll is a static file (CSP without inline scripts)
    image = client.get(f"/payments/transfer/{checkout.id}/qr.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    [payload] = decode(image.data)
    print(f"\n[vietqr] decoded from /payments/transfer/{checkout.id}/qr.png: {payload}")
    fields = emvco.parse(payload)  # raises on a wrong CRC
    # the same layout as the published example (subiz/vietqr), with our account, amount and memo
    published = emvco.parse("00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704540612"
                            "00005802VN62170813ung ho lu lut6304C15C")
    assert list(fields) == list(published) and fields["38"]["00"] == published["38"]["00"] == "A000000727"
    assert fields["01"] == "12" and fields["38"]["01"] == {"00": BANK_BIN, "01": ACCOUNT}
    assert fields["38"]["02"] == "QRIBFTTA" and fields["53"] == "704" and fields["58"] == "VN"
    assert fields["54"] == str(checkout.total) and fields["62"] == {"08": memo(checkout)}
    assert len(memo(checkout)) <= 25 and memo(checkout).isascii()
    printable = client.get(f"/payments/transfer/{checkout.id}/print").get_data(as_text=True)
    assert memo(checkout) in printable and "qr.png" in printable
    assert db.session.get(Listing, listing.id).stock == 8  # held for the transfer
    order = checkout.orders[0]
    assert order.payment_status is PaymentStatus.UNPAID and order.status is OrderStatus.PLACED
    detail = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert f'href="/payments/transfer/{checkout.id}"' in detail  # the order page leads back to the pay page


def test_a_transfer_with_the_code_and_the_amount_pays_the_checkout_once(
    client, auth, db, buyer, make_listing, checkout_form, statement_service
):
    listing = make_listing(price=95_000, stock=10)
    checkout = place_transfer(client, auth, db, buyer, listing, checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    assert client.get(f"/payments/checkout/{checkout.id}/status").get_json() == {"status": "unpaid"}
    # banks add their own words around the memo and drop spaces
    result = transfer(statement_service, checkout.total, f"MBVCB.3278907687.CNSTT{checkout.id:06d}.CT tu 0123")
    assert result["statuses"] == [200]
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    assert client.get(f"/payments/checkout/{checkout.id}/status").get_json() == {"status": "paid"}
    assert captured(db) == checkout.total
    # the same transaction delivered again (the service retries; a replay) changes nothing
    body = json.dumps(result["transaction"]).encode()
    again = client.post("/payments/statements/sepay", data=body, content_type="application/json",
                        headers={"Authorization": f"Apikey {API_KEY}"})
    assert again.status_code == 200 and again.get_json()["recorded"] is False
    assert db.session.scalar(select(func.count()).select_from(BankTransaction)) == 1
    assert captured(db) == checkout.total
    from marketplace.orders.conservation import check

    assert check().mismatches == []


@pytest.mark.parametrize(
    "headers, body, status",
    [
        ({}, None, 401),  # no authentication
        ({"Authorization": "Apikey wrong-key"}, None, 401),
        ({"Authorization": f"Bearer {API_KEY}"}, None, 401),  # the list API's scheme is not the webhook's
        ({"Authorization": f"Apikey {API_KEY}"}, b"[1, 2]", 400),  # a JSON array
        ({"Authorization": f"Apikey {API_KEY}"}, b"\xff\xfe garbage", 400),
        ({"Authorization": f"Apikey {API_KEY}"}, b'{"id": 1}', 400),  # missing fields
        ({"Authorization": f"Apikey {API_KEY}"}, "amount", 400),  # a fractional amount
        ({"Authorization": f"Apikey {API_KEY}"}, "negative", 400),
        ({"Authorization": f"Apikey {API_KEY}"}, "nul-id", 400),
        ({"Authorization": f"Apikey {API_KEY}"}, b'{"id": 1, "transferType": "in", "transferAmount": 1e999}', 400),
        ({"Authorization": f"Apikey {API_KEY}"}, b"[" * 100_000, 400),  # nested too deep
    ],
)
def test_forged_or_malformed_webhooks_get_a_4xx_and_change_nothing(
    client, auth, db, buyer, make_listing, checkout_form, vietqr_on, headers, body, status
):
    checkout = place_transfer(client, auth, db, buyer, make_listing(stock=5), checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    line = {"id": 777, "gateway": "VietinBank", "transactionDate": "2025-07-01 10:00:00", "accountNumber": ACCOUNT,
            "code": None, "content": memo(checkout), "transferType": "in", "transferAmount": checkout.total,
            "accumulated": 0, "subAccount": None, "referenceCode": "FT1", "description": ""}
    if body == "amount":
        body = json.dumps(dict(line, transferAmount=checkout.total + 0.5)).encode()
    elif body == "negative":
        body = json.dumps(dict(line, transferAmount=-checkout.total)).encode()
    elif body == "nul-id":
        body = json.dumps(dict(line, id="77\x007")).encode()
    response = client.post("/payments/statements/sepay", data=body or json.dumps(line).encode(),
                           content_type="application/json", headers=headers)
    assert response.status_code == status and response.get_json()["success"] is False
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.UNPAID
    assert db.session.scalar(select(func.count()).select_from(BankTransaction)) == 0


def test_hmac_signed_webhooks_are_checked_in_constant_time_with_a_five_minute_window(
    client, auth, db, buyer, make_listing, checkout_form, vietqr_on
):
    from marketplace.payments.statements import sign

    vietqr_on.update(STATEMENT_WEBHOOK_SECRET=HMAC_SECRET)
    checkout = place_transfer(client, auth, db, buyer, make_listing(stock=5), checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    body = json.dumps({"id": 900, "gateway": "VietinBank", "transactionDate": "2025-07-01 10:00:00",
                       "accountNumber": ACCOUNT, "code": None, "content": memo(checkout), "transferType": "in",
                       "transferAmount": checkout.total, "accumulated": 0, "subAccount": None,
                       "referenceCode": "FT9", "description": ""}).encode()

    def post(timestamp: int, signature: str | None = None):
        ts = str(timestamp)
        return client.post("/payments/statements/sepay", data=body, content_type="application/json", headers={
            "X-SePay-Timestamp": ts, "X-SePay-Signature": signature or sign(HMAC_SECRET, ts, body)})

    now = int(time.time())
    assert post(now - 301).status_code == 401  # too old: a replayed request
    assert post(now + 301).status_code == 401  # too far in the future
    assert post(now, signature=sign("other-secret", str(now), body)).status_code == 401
    assert post(now, signature=sign(HMAC_SECRET, str(now), body + b" ")).status_code == 401  # body changed
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.UNPAID
    assert post(now - 200).status_code == 200
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID


@pytest.mark.parametrize("rest_first", [False, True])
def test_short_transfers_wait_in_the_queue_until_the_rest_arrives_in_any_order(
    client, auth, db, buyer, make_listing, checkout_form, statement_service, rest_first
):
    checkout = place_transfer(client, auth, db, buyer, make_listing(price=100_000, stock=10), checkout_form, qty=1)
    client.get(f"/payments/transfer/{checkout.id}")
    parts = [checkout.total - 40_000, 40_000]
    if rest_first:  # the bank's statement lines may reach us out of order
        parts.reverse()
    transfer(statement_service, parts[0], memo(checkout))
    db.session.expire_all()
    txn = db.session.scalar(select(BankTransaction))
    assert txn.status is TransactionStatus.QUEUED and txn.reason is QueueReason.SHORT
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.UNPAID
    page = client.get(f"/payments/transfer/{checkout.id}").get_data(as_text=True)
    assert "Đã nhận" in page  # the buyer sees what arrived so far
    transfer(statement_service, parts[1], f"{memo(checkout)} phan con lai")
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    rows = db.session.scalars(select(BankTransaction).order_by(BankTransaction.id)).all()
    assert [(t.status, t.applied) for t in rows] == [(TransactionStatus.MATCHED, part) for part in parts]
    assert captured(db) == checkout.total


def test_over_late_and_unmatched_transfers_are_queued_and_resolved_by_an_administrator(
    client, auth, db, buyer, make_listing, make_user, checkout_form, statement_service, runner
):
    admin = make_user("admin")
    listing = make_listing(price=100_000, stock=10)
    over = place_transfer(client, auth, db, buyer, listing, checkout_form, qty=1)
    client.get(f"/payments/transfer/{over.id}")
    transfer(statement_service, over.total + 20_000, memo(over))  # over
    transfer(statement_service, 55_000, "chuyen tien rau")  # no code
    late = place_transfer(client, auth, db, buyer, listing, checkout_form, qty=1)
    client.get(f"/payments/transfer/{late.id}")
    db.session.get(Checkout, late.id).pay_by -= timedelta(hours=2)
    db.session.commit()
    assert "Expired 1" in runner.invoke(args=["orders", "expire-unpaid"]).output
    assert db.session.get(Listing, listing.id).stock == 9  # the expired checkout gave its unit back
    transfer(statement_service, late.total, memo(late))  # after the expiry
    db.session.expire_all()
    queued = {t.reason: t for t in db.session.scalars(select(BankTransaction))}
    assert set(queued) == {QueueReason.OVER, QueueReason.LATE, QueueReason.UNMATCHED}
    assert all(t.status is TransactionStatus.QUEUED and t.applied == 0 for t in queued.values())
    assert db.session.get(Checkout, over.id).payment_status is PaymentStatus.UNPAID
    from marketplace.orders.conservation import check

    assert check().mismatches == []  # held money is accounted for

    auth.logout()
    auth.login(admin)
    page = client.get("/payments/admin/transfers").get_data(as_text=True)
    assert "chuyen tien rau" in page and memo(late) in page
    response = client.post(f"/payments/admin/transfers/{queued[QueueReason.OVER].id}/match",
                           data={"checkout_id": over.id}, follow_redirects=True)
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Checkout, over.id).payment_status is PaymentStatus.PAID
    txn = db.session.get(BankTransaction, queued[QueueReason.OVER].id)
    assert txn.status is TransactionStatus.MATCHED and txn.applied == over.total
    excess = db.session.scalar(select(TransferRefund).where(TransferRefund.bank_transaction_id == txn.id))
    assert excess.amount == 20_000
    # a late transfer cannot pay its expired checkout: it goes back
    refused = client.post(f"/payments/admin/transfers/{queued[QueueReason.LATE].id}/match",
                          data={"checkout_id": late.id}, follow_redirects=True).get_data(as_text=True)
    assert "không chờ" in refused
    for reason in (QueueReason.LATE, QueueReason.UNMATCHED):
        client.post(f"/payments/admin/transfers/{queued[reason].id}/refund", data={"reason": "trả lại"})
    tasks = db.session.scalars(select(TransferRefund).order_by(TransferRefund.id)).all()
    assert sorted(t.amount for t in tasks) == sorted([20_000, late.total, 55_000])
    for task in tasks:
        response = client.post(f"/payments/admin/refunds/{task.id}/done", data={
            f"r{task.id}-bank_bin": "970405", f"r{task.id}-account_number": "1234 5678 901",
            f"r{task.id}-holder_name": "Nguyễn Thị Lan", f"r{task.id}-reference": f"UNC-{task.id}"})
        assert response.status_code == 302
    db.session.expire_all()
    done = db.session.scalars(select(TransferRefund)).all()
    assert {t.status.value for t in done} == {"done"} and {t.holder_name for t in done} == {"NGUYEN THI LAN"}
    from marketplace.staff.models import AuditEntry

    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"transfer.match", "transfer.refund", "refund.done"} <= actions
    assert check().mismatches == []
    assert runner.invoke(args=["ledger", "check"]).exit_code == 0


def test_a_cancelled_transfer_order_becomes_a_refund_task_and_the_ledger_follows(
    client, auth, db, buyer, make_listing, make_user, checkout_form, statement_service
):
    listing = make_listing(price=60_000, stock=10)
    checkout = place_transfer(client, auth, db, buyer, listing, checkout_form, qty=1)
    client.get(f"/payments/transfer/{checkout.id}")
    transfer(statement_service, checkout.total, memo(checkout))
    order = db.session.get(Order, checkout.orders[0].id)
    auth.logout()
    auth.login(order.household.user)
    assert client.post(f"/orders/{order.id}/status/cancelled", data={"reason": "hết hàng"}).status_code == 302
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status is OrderStatus.CANCELLED and order.payment_status is PaymentStatus.REFUND_PENDING
    task = db.session.scalar(select(TransferRefund))
    assert task.order_id == order.id and task.amount == order.total and task.buyer_id == buyer.id
    from marketplace.notifications.models import Notification

    assert "refund_pending" in db.session.scalars(select(Notification.kind).where(Notification.user_id == buyer.id))
    auth.logout()
    auth.login(buyer)
    detail = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Bưu điện sẽ chuyển khoản trả lại tiền" in detail and "/payments/my/bank-account" in detail
    from marketplace.orders.conservation import check

    assert check().mismatches == []
    # the buyer's own bank account fills the task's form
    from marketplace.payments.accounts import AccountData, set_account

    set_account(buyer, AccountData("970436", "0071000888888", "Nguyen Thi Lan"), "secret-pass-1")
    db.session.commit()
    admin = make_user("admin")
    auth.logout()
    auth.login(admin)
    page = client.get("/payments/admin/transfers").get_data(as_text=True)
    assert "0071000888888" in page and order.number in page
    client.post(f"/payments/admin/refunds/{task.id}/done", data={
        f"r{task.id}-bank_bin": "970436", f"r{task.id}-account_number": "0071000888888",
        f"r{task.id}-holder_name": "NGUYEN THI LAN", f"r{task.id}-reference": "FT-REFUND-1"})
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.payment_status is PaymentStatus.REFUNDED
    assert db.session.scalar(select(LedgerEntry.amount).where(LedgerEntry.kind == LedgerKind.REFUND)) == -order.total
    assert check().mismatches == []


def test_control_characters_in_a_memo_are_dropped_before_they_reach_the_database(
    client, auth, db, buyer, make_listing, checkout_form, statement_service
):
    checkout = place_transfer(client, auth, db, buyer, make_listing(stock=5), checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    result = transfer(statement_service, checkout.total, f"{memo(checkout)}\x00\u202e chuyen\ttien")
    assert result["statuses"] == [200]
    db.session.expire_all()
    txn = db.session.scalar(select(BankTransaction))
    assert txn.content == f"{memo(checkout)} chuyen tien" and txn.status is TransactionStatus.MATCHED


def test_reconciliation_records_transfers_whose_webhook_never_came(
    client, auth, db, buyer, make_listing, checkout_form, statement_service, runner
):
    checkout = place_transfer(client, auth, db, buyer, make_listing(stock=5), checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    transfer(statement_service, checkout.total, memo(checkout), deliver=False)  # the webhook was lost
    transfer(statement_service, 12_000, "tien ra", direction="out", deliver=False)
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.UNPAID
    result = runner.invoke(args=["payments", "reconcile-transfers"])
    assert "Recorded 2" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    assert "Recorded 0" in runner.invoke(args=["payments", "reconcile-transfers"]).output  # idempotent
    kinds = {(t.direction, t.status) for t in db.session.scalars(select(BankTransaction))}
    assert kinds == {("in", TransactionStatus.MATCHED), ("out", TransactionStatus.IGNORED)}


def test_expiry_first_catches_up_with_the_statement_list(
    client, auth, db, buyer, make_listing, checkout_form, statement_service, runner
):
    listing = make_listing(stock=5)
    checkout = place_transfer(client, auth, db, buyer, listing, checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    transfer(statement_service, checkout.total, memo(checkout), deliver=False)
    db.session.get(Checkout, checkout.id).pay_by -= timedelta(hours=2)
    db.session.commit()
    result = runner.invoke(args=["orders", "expire-unpaid"])
    assert "Expired 0" in result.output and "1 transfer" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    assert db.session.get(Listing, listing.id).stock == 3


def test_the_dev_command_pays_a_checkout_through_the_webhook_as_the_bank_would(
    client, auth, db, buyer, make_listing, checkout_form, vietqr_on, live_server, runner
):
    checkout = place_transfer(client, auth, db, buyer, make_listing(stock=5), checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    code = f"TT{checkout.id:06d}"
    result = runner.invoke(args=["payments", "dev-transfer", f"CNS {code}", "--url", live_server])
    assert result.output.startswith("200 "), result.output
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    assert "no checkout waits" in runner.invoke(args=["payments", "dev-transfer", "TT999999"]).output


def test_the_ledger_check_catches_transfer_money_that_went_missing(
    client, auth, db, buyer, make_listing, checkout_form, statement_service, runner
):
    checkout = place_transfer(client, auth, db, buyer, make_listing(stock=5), checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    transfer(statement_service, checkout.total, memo(checkout))
    transfer(statement_service, 33_000, "khong ro")
    assert runner.invoke(args=["ledger", "check"]).exit_code == 0
    txn = db.session.scalar(select(BankTransaction).where(BankTransaction.status == TransactionStatus.MATCHED))
    txn.applied -= 1_000  # a thousand đồng of a matched transfer unaccounted for
    queued = db.session.scalar(select(BankTransaction).where(BankTransaction.status == TransactionStatus.QUEUED))
    queued.applied = 5_000  # money "applied" while it waits in the queue
    db.session.commit()
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 1
    assert f"transfer {txn.provider_id}: applied" in result.output and f"checkout {checkout.id}" in result.output
    assert f"transfer {queued.provider_id}: queued" in result.output
