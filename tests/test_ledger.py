"""The money ledger: commission per category, the household's net, earned / pending / paid out."""

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Category
from marketplace.orders import ledger
from marketplace.orders.models import LedgerEntry, LedgerKind, OrderStatus as S, PayoutBatch
from marketplace.orders.services import advance


def _deliver(order, clerk):
    advance(order, S.CONFIRMED, order.household.user)
    advance(order, S.READY_FOR_HANDOVER, order.household.user)
    for status in (S.HANDED_OVER, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED):
        advance(order, status, clerk, by_parcel=True)  # the parcel's events move it


def test_household_sees_pending_then_earned_then_paid_out(
    client, auth, db, buyer, make_user, make_category, make_listing, place
):
    category = make_category(commission_bps=1000)
    listing = make_listing(category=category, price=100_000, stock=10)
    household = listing.household
    first = place(buyer, {listing.id: 2}).orders[0]
    second = place(buyer, {listing.id: 1}).orders[0]
    advance(second, S.CONFIRMED, household.user)
    db.session.commit()
    summary = ledger.earnings(household)
    assert (summary.earned, summary.pending, summary.paid_out) == (0, 180_000 + 90_000, 0)

    _deliver(first, make_user("clerk"))
    db.session.commit()
    # delivered, but the cash is with the postman until his service point closes the day: still pending
    assert db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == first.id)).all() == []
    assert (ledger.earnings(household).earned, ledger.earnings(household).pending) == (0, 180_000 + 90_000)
    ledger.record_cod_settlement(first, first.total)
    db.session.commit()
    kinds = {e.kind: e.amount for e in db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == first.id))}
    assert kinds[LedgerKind.COD_COLLECTED] == first.total and kinds[LedgerKind.COMMISSION] == -20_000
    assert kinds[LedgerKind.SHIPPING] == -first.shipping_fee and LedgerKind.SALE not in kinds
    with pytest.raises(ValueError):
        ledger.record_cod_settlement(first, first.total)
    summary = ledger.earnings(household)
    assert (summary.earned, summary.pending) == (180_000, 90_000)

    admin = make_user("admin")
    auth.login(admin)
    assert client.post("/admin/payouts").status_code == 302  # a batch of every household owed money
    assert household.name in client.get("/admin/payouts").get_data(as_text=True)
    batch = db.session.scalar(select(PayoutBatch))
    assert client.post("/admin/payouts", data={"batch_id": batch.id, "reason": "CK 01"}).status_code == 302
    summary = ledger.earnings(household)
    assert (summary.paid_out, summary.balance, summary.pending) == (180_000, 0, 90_000)
    auth.logout()
    auth.login(household.user)
    page = client.get("/my/earnings").get_data(as_text=True)
    assert "180.000" in page and "90.000" in page


def test_ledger_entries_cannot_be_edited(db, buyer, make_listing, place, make_user):
    order = place(buyer, {make_listing().id: 1}).orders[0]
    _deliver(order, make_user("clerk"))
    ledger.record_cod_settlement(order, order.total)
    db.session.commit()
    entry = db.session.scalar(select(LedgerEntry))
    entry.amount = 1
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()


def test_admin_sets_the_commission_of_a_category(client, auth, db, make_user, make_category):
    category = make_category(commission_bps=800)
    auth.login(make_user("admin"))
    assert category.name_vi in client.get("/admin/commissions").get_data(as_text=True)
    response = client.post("/admin/commissions", data={"category_id": category.id, "percent": "1200"})
    assert response.status_code == 302
    assert db.session.get(Category, category.id).commission_bps == 1200
    client.post("/admin/commissions", data={"category_id": category.id, "percent": "9000"})
    assert db.session.get(Category, category.id).commission_bps == 1200
    assert client.post("/admin/commissions", data={"category_id": 99999, "percent": "10"}).status_code == 404
