"""Households' bank accounts (password again, audited, notified) and payouts by bank transfer: money payable N days
after delivery, a batch exported as a bulk-transfer CSV, each line a VietQR for paying from a phone, lines marked
paid one by one (and never twice, nor into a negative balance), the earnings page's payout dates."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import func, select

from marketplace.orders.models import LedgerEntry, LedgerKind, PayoutBatch, PayoutItem
from marketplace.payments import emvco
from marketplace.payments.models import BankAccount
from marketplace.staff.models import AuditEntry
from tests.fixtures.people import days_ago
from tests.qr import decode
from tests.test_write_races import _clone, _race


def _register(client, bank="970405", number="1500 2055 12345", holder="Nguyễn Văn Đức", password="secret-pass-1"):
    return client.post("/payments/my/bank-account", data={"bank_bin": bank, "account_number": number,
                                                          "holder_name": holder, "password": password})


def test_a_household_registers_its_bank_account_with_its_password_and_each_change_is_audited(
    client, auth, db, make_household
):
    household = make_household()
    auth.login(household.user)
    page = client.get("/payments/my/bank-account").get_data(as_text=True)
    assert "Agribank" in page and "LPBank" in page  # the NAPAS list, the farmers' banks first
    refused = _register(client, password="wrong-password").get_data(as_text=True)
    assert "Mật khẩu không đúng" in refused
    assert "Hãy chọn một mục trong danh sách" in _register(client, bank="123456").get_data(as_text=True)
    assert "6 đến 19" in _register(client, number="12-34").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(BankAccount)) == 0
    assert _register(client).status_code == 302
    account = db.session.scalar(select(BankAccount))
    assert (account.bank_bin, account.account_number, account.holder_name) == ("970405", "1500205512345",
                                                                              "NGUYEN VAN DUC")
    assert _register(client, bank="970449", number="0123456789", holder="Nguyen Van Duc").status_code == 302
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "bank_account.set")
                                 .order_by(AuditEntry.id)).all()
    assert len(entries) == 2 and entries[-1].household_id == household.id and entries[-1].actor_role == "household"
    assert "****2345" in entries[-1].summary and "LPBank ****6789" in entries[-1].summary
    from marketplace.notifications.models import Notification

    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == household.user_id)).all()
    assert kinds.count("bank_account_changed") == 2
    earnings = client.get("/my/earnings").get_data(as_text=True)
    assert "LPBank ****6789 NGUYEN VAN DUC" in earnings


def test_money_is_payable_n_days_after_delivery_and_the_earnings_page_shows_when(
    app, client, auth, db, make_user, make_listing, delivered_order, rails_config
):
    rails_config["PAYOUT_AFTER_DAYS"] = 3
    listing = make_listing(title="Cam Vinh", price=50_000, stock=50)
    old = delivered_order(listing, delivered_at=days_ago(5))
    recent = delivered_order(listing, delivered_at=days_ago(1))
    household = listing.household
    from marketplace.orders import payouts

    [(who, amount)] = payouts.payable()
    assert who.id == household.id and amount == old.household_net  # the recent one is not due yet
    auth.login(household.user)
    page = client.get("/my/earnings").get_data(as_text=True)
    assert recent.number in page and old.number in page and "có thể trả ngay" in page
    due = (days_ago(1) + timedelta(days=3)).astimezone(__import__("marketplace.timeutil").timeutil.VN_TZ)
    assert due.strftime("%d/%m/%Y") in page  # the recent order's payable date
    admin = make_user("admin")
    batch = payouts.create_batch(admin)
    assert batch.total == old.household_net
    payouts.mark_line_paid(batch.items[0], admin, "FT-1")
    db.session.commit()
    page = client.get("/my/earnings").get_data(as_text=True)
    from marketplace.orders.payout_schedule import schedule

    states = {m.number: m.state for m in schedule(household)}
    assert states == {old.number: "paid", recent.number: "not_yet"}
    assert "✓" in page


def test_a_batch_exports_a_bulk_transfer_csv_shows_each_line_as_a_vietqr_and_is_paid_line_by_line(
    app, client, auth, db, make_user, make_listing, delivered_order, make_household
):
    admin = make_user("admin")
    with_account = make_household(name="Hộ Tám Lúa")
    without = make_household(name="Hộ Ba Sen")
    from marketplace.payments.accounts import AccountData, set_account

    set_account(with_account.user, AccountData("970405", "1500205512345", "Le Van Tam"), "secret-pass-1")
    db.session.commit()
    first = delivered_order(make_listing(with_account, price=80_000, stock=9))
    second = delivered_order(make_listing(without, price=30_000, stock=9))
    auth.login(admin)
    assert client.post("/admin/payouts").status_code == 302
    batch = db.session.scalar(select(PayoutBatch))
    lines = {i.household_id: i for i in batch.items}
    assert lines[with_account.id].account_number == "1500205512345" and lines[without.id].account_number is None
    # a later change of account does not redirect a batch already made
    set_account(with_account.user, AccountData("970436", "9999999999", "Le Van Tam"), "secret-pass-1")
    db.session.commit()
    exported = client.get(f"/admin/payouts/{batch.id}.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:6] == ["STT", "Ma NH (BIN)", "Ngan hang", "So tai khoan", "Ten nguoi huong", "So tien"]
    assert rows[1][1:7] == ["970405", "Agribank", "1500205512345", "LE VAN TAM", str(first.household_net),
                            lines[with_account.id].memo]
    assert len(rows) == 2  # the household without an account is paid at its post office
    item = lines[with_account.id]
    page = client.get(f"/admin/payouts/{batch.id}/lines/{item.id}").get_data(as_text=True)
    assert item.memo in page
    [payload] = decode(client.get(f"/admin/payouts/{batch.id}/lines/{item.id}/qr.png").data)
    fields = emvco.parse(payload)
    assert fields["38"]["01"] == {"00": "970405", "01": "1500205512345"} and fields["54"] == str(item.amount)
    assert fields["62"]["08"] == item.memo and len(item.memo) <= 25
    # paid line by line: one PAYOUT each, the batch paid with its last line
    assert client.post(f"/admin/payouts/{batch.id}/lines/{item.id}/paid", data={"reason": "FT-A"}).status_code == 302
    client.post(f"/admin/payouts/{batch.id}/lines/{item.id}/paid", data={"reason": "FT-A again"})
    db.session.expire_all()
    payouts_made = db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == LedgerKind.PAYOUT)).all()
    assert [p.amount for p in payouts_made] == [-first.household_net]
    assert db.session.get(PayoutBatch, batch.id).paid_at is None
    other = lines[without.id]
    client.post(f"/admin/payouts/{batch.id}/lines/{other.id}/paid", data={"reason": "tiền mặt tại bưu cục"})
    db.session.expire_all()
    assert db.session.get(PayoutBatch, batch.id).paid_at is not None
    assert {a.action for a in db.session.scalars(select(AuditEntry))} >= {"payout.create", "payout.line_paid"}
    from marketplace.orders.conservation import check

    assert [m for m in check().mismatches if m.startswith("household")] == []
    assert second.household_net == -sum(p.amount for p in db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.kind == LedgerKind.PAYOUT, LedgerEntry.household_id == without.id)))


def test_one_line_marked_paid_from_several_tabs_at_once_pays_once(app, client, auth, db, make_user, delivered_order):
    admin = make_user("admin")
    order = delivered_order()
    from marketplace.orders import payouts

    batch = payouts.create_batch(admin)
    db.session.commit()
    item = batch.items[0]
    auth.login(admin)
    tabs = [_clone(app, client) for _ in range(4)]
    url = f"/admin/payouts/{batch.id}/lines/{item.id}/paid"
    results = _race(app, 4, lambda i: tabs[i].post(url, data={"reason": f"FT-{i}"}, follow_redirects=True))
    assert all(r.status_code == 200 for r in results)
    db.session.expire_all()
    paid = db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == LedgerKind.PAYOUT)).all()
    assert [p.amount for p in paid] == [-order.household_net]
    assert db.session.scalar(select(func.sum(LedgerEntry.amount))) == 0
    assert db.session.get(PayoutItem, item.id).paid_at is not None
    print(f"\n[race] {db.engine.dialect.name}: 4 simultaneous 'mark this transfer made' → 1 payout, balance 0")
