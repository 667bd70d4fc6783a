"""Orders a household leaves unconfirmed: reminded once after a day, cancelled for the buyer after three."""

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from marketplace.notifications.models import Notification
from marketplace.orders.models import OrderStatus as S
from marketplace.orders.reminders import sweep
from marketplace.orders.services import advance
from marketplace.timeutil import as_utc


def _notes(db, user_id: int, kind: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
    )


def test_a_household_is_reminded_once_then_the_order_is_cancelled_and_the_stock_returns(
    client, auth, db, buyer, make_listing, place
):
    listing = make_listing(title="Nhãn lồng Hưng Yên", stock=10)
    waiting = place(buyer, {listing.id: 4}).orders[0]
    confirmed = place(buyer, {listing.id: 1}).orders[0]
    unpaid_card = place(buyer, {listing.id: 1}, method="card").orders[0]
    advance(confirmed, S.CONFIRMED, confirmed.household.user)
    db.session.commit()
    household = waiting.household.user
    placed_at = as_utc(waiting.created_at)

    assert sweep(placed_at + timedelta(hours=23)).reminded == []
    done = sweep(placed_at + timedelta(hours=25))
    assert done.reminded == [waiting.id] and done.cancelled == []
    assert sweep(placed_at + timedelta(hours=30)).reminded == []  # once
    assert _notes(db, household.id, "confirm_reminder") == 1
    auth.login(household)
    assert "vẫn đang chờ bạn" in client.get("/notifications/").get_data(as_text=True)
    auth.logout()

    # the ladder: the post office gets to call the household before anything is cancelled
    done = sweep(placed_at + timedelta(hours=37))
    assert done.escalated == [waiting.id] and done.cancelled == []
    assert _notes(db, buyer.id, "escalated") == 1 and _notes(db, buyer.id, "household_reminded") == 1
    done = sweep(placed_at + timedelta(hours=73))
    assert done.cancelled == [waiting.id]
    db.session.expire_all()
    assert waiting.status is S.CANCELLED and "72 giờ" in waiting.events[-1].reason
    assert waiting.events[-1].actor_id is None  # the system
    assert confirmed.status is S.CONFIRMED and unpaid_card.status is S.PLACED
    assert db.session.get(Listing, listing.id).stock == 10 - 1 - 1  # the 4 units are back on the shelf
    assert _notes(db, buyer.id, "cancelled") == 1
    assert sweep(placed_at + timedelta(hours=100)).cancelled == []


def test_an_order_the_sweep_never_saw_escalated_is_not_cancelled_before_the_post_office_had_its_time(
    db, buyer, make_listing, place
):
    waiting = place(buyer, {make_listing().id: 1}).orders[0]
    db.session.commit()
    placed_at = as_utc(waiting.created_at)
    done = sweep(placed_at + timedelta(hours=80))  # the scheduler was down for days
    assert done.escalated == [waiting.id] and done.reminded == [waiting.id] and done.cancelled == []
    assert sweep(placed_at + timedelta(hours=85)).cancelled == []
    assert sweep(placed_at + timedelta(hours=93)).cancelled == [waiting.id]  # 12 h on the clerk's list


def test_the_command_reports_what_it_did(runner, db, buyer, make_listing, place):
    place(buyer, {make_listing().id: 1})
    result = runner.invoke(args=["orders", "remind-unconfirmed"])
    assert result.exit_code == 0 and "Reminded 0 order(s), put 0 on the post office's call list, cancelled 0" in result.output
