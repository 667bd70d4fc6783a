"""Payment notifications that race, with real threads through the HTTP layer on whichever database the suite runs on:
the same bank transaction posted at once by several deliveries, two different transfers for one checkout at once,
the same VNPay IPN at once, one payout line marked paid from several tabs. Each prints its figures (-s)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from sqlalchemy import func, select

from marketplace.orders.models import Checkout, LedgerEntry, LedgerKind, PaymentStatus
from marketplace.payments import vnpay_api
from marketplace.payments.models import BankTransaction, QueueReason, TransactionStatus
from tests.fixtures.rails import ACCOUNT, API_KEY, VNPAY_SECRET, VNPAY_TMN
from tests.test_payments_transfer import place_transfer

THREADS = 8


def _race(n: int, work) -> tuple[list, float]:
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - reported in the results
            results[i] = f"error: {exc!r}"

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, time.perf_counter() - started


def _post(url: str, body: bytes, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def _line(txn_id: int, amount: int, content: str) -> bytes:
    return json.dumps({"id": txn_id, "gateway": "VietinBank", "transactionDate": "2025-07-01 10:00:00",
                       "accountNumber": ACCOUNT, "code": None, "content": content, "transferType": "in",
                       "transferAmount": amount, "accumulated": 0, "subAccount": None,
                       "referenceCode": f"FT{txn_id}", "description": ""}).encode()


def _captured(db) -> int:
    return db.session.scalar(select(func.count()).select_from(LedgerEntry)
                             .where(LedgerEntry.kind == LedgerKind.CARD_CAPTURED))


def test_the_same_transaction_posted_at_once_is_recorded_and_applied_once(
    client, auth, db, buyer, make_listing, checkout_form, vietqr_on, live_server
):
    checkout = place_transfer(client, auth, db, buyer, make_listing(stock=50), checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    body = _line(555_001, checkout.total, f"CNS TT{checkout.id:06d}")
    headers = {"Content-Type": "application/json", "Authorization": f"Apikey {API_KEY}"}
    results, seconds = _race(THREADS, lambda i: _post(live_server + "/payments/statements/sepay", body, headers))
    assert all(not isinstance(r, str) for r in results), results
    assert {status for status, _ in results} == {200} and all(answer["success"] for _, answer in results)
    recorded = Counter(answer["recorded"] for _, answer in results)
    assert recorded[True] == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(BankTransaction)) == 1
    assert _captured(db) == len(checkout.orders)
    assert db.session.get(Checkout, checkout.id).payment_status is PaymentStatus.PAID
    print(f"\n[race] {db.engine.dialect.name}: {THREADS} simultaneous deliveries of one bank transaction in "
          f"{seconds:.2f} s → {recorded[True]} recorded, {recorded[False]} answered as already seen; 1 capture")


def test_two_different_full_transfers_at_once_pay_once_and_queue_the_other(
    client, auth, db, buyer, make_listing, checkout_form, vietqr_on, live_server
):
    checkout = place_transfer(client, auth, db, buyer, make_listing(stock=50), checkout_form)
    client.get(f"/payments/transfer/{checkout.id}")
    headers = {"Content-Type": "application/json", "Authorization": f"Apikey {API_KEY}"}
    memo = f"CNS TT{checkout.id:06d}"
    results, seconds = _race(4, lambda i: _post(live_server + "/payments/statements/sepay",
                                                _line(556_000 + i, checkout.total, memo), headers))
    assert {status for status, _ in results} == {200}, results
    db.session.expire_all()
    rows = db.session.scalars(select(BankTransaction)).all()
    outcome = Counter((t.status, t.reason) for t in rows)
    assert outcome == {(TransactionStatus.MATCHED, None): 1, (TransactionStatus.QUEUED, QueueReason.LATE): 3}
    assert _captured(db) == len(checkout.orders)
    from marketplace.orders.conservation import check

    assert check().mismatches == []
    print(f"\n[race] {db.engine.dialect.name}: 4 different full transfers for one checkout at once in {seconds:.2f} s "
          f"→ 1 paid it, 3 queued for refund")


def test_the_same_vnpay_ipn_at_once_confirms_once(
    client, auth, db, buyer, make_listing, checkout_form, vnpay_standin, live_server
):
    from tests.test_payments_vnpay import go, place_vnpay

    checkout = place_vnpay(client, auth, db, buyer, make_listing(stock=50), checkout_form)
    ref = go(client, checkout)["vnp_TxnRef"]
    params = {"vnp_Amount": str(checkout.total * 100), "vnp_BankCode": "NCB", "vnp_OrderInfo": "x",
              "vnp_PayDate": "20250701100000", "vnp_ResponseCode": "00", "vnp_TmnCode": VNPAY_TMN,
              "vnp_TransactionNo": "9", "vnp_TransactionStatus": "00", "vnp_TxnRef": ref}
    params["vnp_SecureHash"] = vnpay_api.secure_hash(VNPAY_SECRET, params)
    url = live_server + "/payments/vnpay/ipn?" + urllib.parse.urlencode(params)

    def ipn(_i):
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.loads(response.read())["RspCode"]

    results, seconds = _race(THREADS, ipn)
    codes = Counter(results)
    assert codes["00"] == 1 and codes["02"] == THREADS - 1, results
    db.session.expire_all()
    assert _captured(db) == len(checkout.orders)
    print(f"\n[race] {db.engine.dialect.name}: {THREADS} simultaneous copies of one VNPay IPN in {seconds:.2f} s → "
          f"{dict(codes)}; 1 capture")
