"""End-of-day COD reconciliation: a simulated day of deliveries balances to the đồng, a day closes once, payouts."""

from sqlalchemy import func, select

from marketplace.orders import ledger
from marketplace.orders.models import (
    HOUSEHOLD_KINDS,
    LedgerEntry,
    LedgerKind,
    OrderStatus as S,
)
from marketplace.postal.models import CodReconciliation, Parcel
from marketplace.timeutil import local_today
from tests.fixtures.factories import HANOI_WARD

SHORT = 7_000


def _balance(db, household) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
                LedgerEntry.household_id == household.id,
                LedgerEntry.kind.in_(HOUSEHOLD_KINDS),
            )
        )
    )


def test_a_day_of_deliveries_balances_to_the_dong(
    client,
    auth,
    db,
    postal_world,
    buyer,
    make_household,
    make_listing,
    make_clerk,
    make_user,
    ready_order,
    carry,
):
    w = postal_world
    postman_a = make_clerk(w.destination, name="Bưu tá An")
    postman_b = make_clerk(w.destination, name="Bưu tá Bình")
    households = [w.household] + [make_household(ward_code=HANOI_WARD) for _ in range(3)]
    cod_1, p1 = ready_order(buyer, make_listing(households[0], price=120_000, weight_grams=1000), qty=2)
    cod_2, p2 = ready_order(buyer, make_listing(households[1], price=95_000, weight_grams=800))
    cod_3, p3 = ready_order(buyer, make_listing(households[1], price=40_000, weight_grams=500), qty=3)
    failed, p4 = ready_order(buyer, make_listing(households[2], price=70_000))
    card, p5 = ready_order(buyer, make_listing(households[3], price=150_000), method="card")
    carry(w, p1, postman_a, weighed=2700)  # 700 g above the declared 2 kg: a surcharge borne by the household
    carry(w, p2, postman_b)
    carry(w, p3, postman_b)
    carry(w, p4, postman_a, fail_reason="recipient_absent")
    carry(w, p5, postman_a)
    assert p1.surcharge == 10_000 and p5.cod_amount == 0
    assert [o.status for o in (cod_1, cod_2, cod_3, failed, card)] == [S.DELIVERED] * 3 + [
        S.DELIVERY_FAILED,
        S.DELIVERED,
    ]
    # nothing collected in cash is owed to a household before the day is closed
    assert _balance(db, households[1]) == 0

    auth.login(w.destination_clerk)
    page = client.get("/buu-cuc/doi-soat").get_data(as_text=True)
    assert "Bưu tá An" in page and "Bưu tá Bình" in page
    expected_a, expected_b = p1.cod_amount, p2.cod_amount + p3.cod_amount
    response = client.post(
        "/buu-cuc/doi-soat",
        data={
            f"reported-{postman_a.id}": f"{expected_a:,}".replace(",", "."),
            f"reported-{postman_b.id}": str(expected_b - SHORT),
        },
    )
    assert response.status_code == 302
    record = db.session.scalar(select(CodReconciliation))
    assert (record.day, record.closed_by_id, record.point_id) == (
        local_today(),
        w.destination_clerk.id,
        w.destination.id,
    )
    lines = {line.postman_id: line for line in record.lines}
    assert (
        lines[postman_a.id].expected,
        lines[postman_a.id].difference,
        lines[postman_a.id].parcels,
    ) == (expected_a, 0, 2)
    assert (lines[postman_b.id].expected, lines[postman_b.id].difference) == (
        expected_b,
        -SHORT,
    )
    flagged = sum(line.difference for line in record.lines)
    assert record.reported == record.expected + flagged == expected_a + expected_b - SHORT
    assert "⚠" in client.get("/buu-cuc/doi-soat").get_data(as_text=True)

    # the ledger: per household, cash collected − commission − shipping − surcharge; card: goods − commission
    def cod_net(order):
        return order.total - order.commission - order.shipping_fee

    assert _balance(db, households[0]) == cod_net(cod_1) - 10_000
    assert _balance(db, households[1]) == cod_net(cod_2) + cod_net(cod_3)
    assert _balance(db, households[2]) == 0  # the failed delivery: nothing collected, nothing owed
    assert _balance(db, households[3]) == card.goods_total - card.commission
    assert db.session.scalar(select(func.count()).select_from(Parcel).where(Parcel.reconciliation_id == record.id)) == 4

    # a day closes once: a second close changes nothing
    entries = db.session.scalar(select(func.count()).select_from(LedgerEntry))
    again = client.post(
        "/buu-cuc/doi-soat",
        data={f"reported-{postman_a.id}": "0", f"reported-{postman_b.id}": "0"},
    )
    assert again.status_code in (200, 302)
    assert db.session.scalar(select(func.count()).select_from(CodReconciliation)) == 1
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == entries
    auth.logout()

    # the household sees what it is owed; the admin pays everybody in one batch
    auth.login(households[1].user)
    owed = _balance(db, households[1])
    assert f"{owed:,}".replace(",", ".") in client.get("/my/earnings").get_data(as_text=True)
    auth.logout()
    auth.login(make_user("admin"))
    assert client.post("/admin/payouts").status_code == 302
    page = client.get("/admin/payouts").get_data(as_text=True)
    assert households[1].name in page
    from marketplace.orders.models import PayoutBatch

    batch = db.session.scalar(select(PayoutBatch))
    assert {i.household_id for i in batch.items} == {
        households[0].id,
        households[1].id,
        households[3].id,
    }
    assert client.post("/admin/payouts", data={"batch_id": batch.id, "reason": "UNC 0001"}).status_code == 302
    client.post("/admin/payouts", data={"batch_id": batch.id})  # twice: paid once
    for household in households:
        assert _balance(db, household) == 0
        assert ledger.earnings(household).balance == 0
    payouts = db.session.scalars(select(LedgerEntry).where(LedgerEntry.kind == LedgerKind.PAYOUT)).all()
    assert len(payouts) == 3
    auth.logout()
    auth.login(households[1].user)
    page = client.get("/my/earnings").get_data(as_text=True)
    assert 'id="payable">0' in page and local_today().strftime("%d/%m/%Y") in page


def test_a_clerk_cannot_close_a_day_with_a_missing_amount_or_a_future_day(
    client, auth, db, postal_world, buyer, make_listing, make_clerk, ready_order, carry
):
    from datetime import timedelta

    w = postal_world
    postman = make_clerk(w.destination)
    _order, parcel = ready_order(buyer, make_listing(w.household))
    carry(w, parcel, postman)
    auth.login(w.destination_clerk)
    response = client.post("/buu-cuc/doi-soat", data={f"reported-{postman.id}": "mười nghìn"})
    assert response.status_code == 400
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    client.post(f"/buu-cuc/doi-soat?day={tomorrow}", data={})
    assert db.session.scalar(select(func.count()).select_from(CodReconciliation)) == 0
    # another point's clerk sees none of it
    auth.logout()
    auth.login(w.origin_clerk)
    assert "mười" not in client.get("/buu-cuc/doi-soat").get_data(as_text=True)
    assert postman.name not in client.get("/buu-cuc/doi-soat").get_data(as_text=True)


def test_two_clerks_closing_the_same_day_at_once_close_it_once(
    app, db, postal_world, buyer, make_listing, make_clerk, ready_order, carry
):
    import threading

    from marketplace.accounts.models import User
    from marketplace.postal.reconciliation import AlreadyClosed, close_day

    w = postal_world
    postman = make_clerk(w.destination)
    second_clerk = make_clerk(w.destination)
    _order, parcel = ready_order(buyer, make_listing(w.household))
    carry(w, parcel, postman)
    amount, postman_id, day = parcel.cod_amount, postman.id, local_today()
    clerk_ids = [w.destination_clerk.id, second_clerk.id]
    barrier = threading.Barrier(2)
    closed, refused, errors = [], [], []

    def close(clerk_id: int) -> None:
        with app.app_context():
            try:
                clerk = db.session.get(User, clerk_id)
                db.session.commit()
                barrier.wait(timeout=30)
                close_day(clerk, day, {postman_id: amount})
                db.session.commit()
                closed.append(clerk_id)
            except AlreadyClosed:
                db.session.rollback()
                refused.append(clerk_id)
            except Exception as exc:  # noqa: BLE001 - any other failure fails the test
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=close, args=(cid,)) for cid in clerk_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and len(closed) == 1 and len(refused) == 1
    assert db.session.scalar(select(func.count()).select_from(CodReconciliation)) == 1
    kinds = db.session.scalars(select(LedgerEntry.kind).where(LedgerEntry.kind == LedgerKind.COD_COLLECTED)).all()
    assert len(kinds) == 1


def test_a_delivery_recorded_after_its_day_was_closed_is_settled_with_the_next_day_closed(
    client, auth, db, postal_world, buyer, make_listing, make_clerk, ready_order, carry
):
    from datetime import datetime, time, timedelta

    from marketplace.postal import reconciliation
    from marketplace.postal.models import TrackingEvent
    from marketplace.timeutil import VN_TZ

    w = postal_world
    postman = make_clerk(w.destination, name="Bưu tá Cường")
    today = local_today()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)
    reconciliation.close_day(w.destination_clerk, yesterday, {})  # closed: nothing was known to be delivered
    db.session.commit()
    late_order, late = ready_order(buyer, make_listing(w.household, price=80_000))
    open_order, on_open_day = ready_order(buyer, make_listing(w.household, price=30_000))
    for parcel, day in ((late, yesterday), (on_open_day, before)):
        carry(w, parcel, postman)
        # the postman delivered on `day`; the event reached the system only today
        event = db.session.scalar(select(TrackingEvent).where(TrackingEvent.parcel_id == parcel.id,
                                                              TrackingEvent.code == "EMI"))
        event.occurred_at = datetime.combine(day, time(15), tzinfo=VN_TZ)
    db.session.commit()

    auth.login(w.destination_clerk)
    page = client.get("/buu-cuc/doi-soat").get_data(as_text=True)
    assert "Bưu tá Cường" in page and "gồm 1 bưu gửi phát vào một ngày đã chốt" in page
    assert client.post("/buu-cuc/doi-soat", data={f"reported-{postman.id}": str(late.cod_amount)}).status_code == 302
    today_record = reconciliation.closed_day(w.destination, today)
    assert today_record.expected == late.cod_amount and late.reconciliation_id == today_record.id
    assert on_open_day.reconciliation_id is None  # its own day is still open: settled when that day closes
    assert _balance(db, w.household) == late_order.total - late_order.commission - late_order.shipping_fee
    record = reconciliation.close_day(w.destination_clerk, before, {postman.id: on_open_day.cod_amount})
    assert record.expected == on_open_day.cod_amount and on_open_day.reconciliation_id == record.id
