"""The order state machine: legal moves by the right people, every move recorded, stock back on cancellation."""

import re

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Listing
from marketplace.notifications.models import Notification
from marketplace.orders.errors import IllegalTransition, NotYourOrder
from marketplace.orders.models import Order, OrderEvent, OrderStatus as S, PaymentStatus
from marketplace.orders.services import advance
from marketplace.signals import order_ready


@pytest.fixture
def order(db, buyer, make_listing, place):
    listing = make_listing(title="Cam Vinh", stock=10)
    return place(buyer, {listing.id: 3}).orders[0]


def _stock(db, order):
    return db.session.get(Listing, order.lines[0].listing_id).stock


def test_household_confirms_with_one_tap_and_the_buyer_is_notified(client, auth, db, order, buyer):
    auth.login(order.household.user)
    page = client.get("/my/orders").get_data(as_text=True)
    assert order.number in page
    response = client.post(f"/orders/{order.id}/status/confirmed", data={"next": "/my/orders"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/orders")
    db.session.refresh(order)
    assert order.status is S.CONFIRMED
    event = order.events[-1]
    assert (event.from_status, event.to_status, event.actor_id) == (S.PLACED, S.CONFIRMED, order.household.user_id)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == buyer.id, Notification.kind == "confirmed")
        )
        == 1
    )


def test_buyer_cancels_before_handover_and_the_stock_returns(client, auth, db, order, buyer):
    assert _stock(db, order) == 7
    advance(order, S.CONFIRMED, order.household.user)
    db.session.commit()
    auth.login(buyer)
    response = client.post(f"/orders/{order.id}/status/cancelled", data={"reason": "Đặt nhầm"})
    assert response.status_code == 302
    db.session.refresh(order)
    assert order.status is S.CANCELLED
    assert order.payment_status is PaymentStatus.NOT_REQUIRED  # COD that never reached the buyer owes nothing
    assert _stock(db, order) == 10
    assert order.events[-1].reason == "Đặt nhầm"


def test_household_rejection_returns_the_stock(db, order):
    advance(order, S.REJECTED, order.household.user, "Hết hàng thật")
    db.session.commit()
    assert _stock(db, order) == 10


def test_buyer_cannot_cancel_after_handover(client, auth, db, order, buyer, make_user):
    clerk = make_user("clerk")
    for status, actor in (
        (S.CONFIRMED, order.household.user),
        (S.READY_FOR_HANDOVER, order.household.user),
        (S.HANDED_OVER, clerk),
    ):
        advance(order, status, actor, by_parcel=actor is clerk)
    db.session.commit()
    auth.login(buyer)
    response = client.post(f"/orders/{order.id}/status/cancelled")
    assert response.status_code == 302
    db.session.refresh(order)
    assert order.status is S.HANDED_OVER
    assert _stock(db, order) == 7


def test_illegal_transition_is_refused_with_a_clear_message_and_changes_nothing(app, db, order):
    events_before = len(order.events)
    with app.test_request_context():
        with pytest.raises(IllegalTransition) as info:
            advance(order, S.DELIVERED, None)
        assert "Delivered" in str(info.value) or "Đã giao" in str(info.value)
    db.session.rollback()
    db.session.refresh(order)
    assert order.status is S.PLACED and len(order.events) == events_before


def test_buyer_cannot_confirm_their_own_order(db, order, buyer):
    with pytest.raises(NotYourOrder):
        advance(order, S.CONFIRMED, buyer)


def test_other_households_and_buyers_get_404(client, auth, db, order, make_household, make_user):
    stranger = make_household().user
    auth.login(stranger)
    assert client.get(f"/orders/{order.id}").status_code == 404
    assert client.post(f"/orders/{order.id}/status/confirmed").status_code == 404
    auth.logout()
    auth.login(make_user("buyer"))
    assert client.get(f"/orders/{order.id}").status_code == 404
    db.session.refresh(order)
    assert order.status is S.PLACED


def test_full_delivery_path_records_every_step_and_the_sale(db, order, make_user):
    clerk = make_user("clerk")
    received = []

    def on_ready(sender, **_kw):
        received.append(sender)

    order_ready.connect(on_ready)
    try:
        advance(order, S.CONFIRMED, order.household.user)
        advance(order, S.READY_FOR_HANDOVER, order.household.user)
    finally:
        order_ready.disconnect(on_ready)
    assert received == [order]
    for status in (S.HANDED_OVER, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERY_FAILED, S.OUT_FOR_DELIVERY, S.DELIVERED):
        advance(order, status, clerk, "tracking", by_parcel=True)
    db.session.commit()
    assert order.payment_status is PaymentStatus.COD_COLLECTED
    steps = [
        e.to_status
        for e in db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id))
    ]
    assert steps[0] is S.PLACED and steps[-1] is S.DELIVERED and len(steps) == 9


def test_failed_delivery_returned_to_household_owes_nothing(db, order, make_user):
    clerk = make_user("clerk")
    advance(order, S.CONFIRMED, order.household.user)
    advance(order, S.READY_FOR_HANDOVER, order.household.user)
    for status in (S.HANDED_OVER, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERY_FAILED, S.RETURNED):
        advance(order, status, clerk, "Người nhận từ chối", by_parcel=True)
    db.session.commit()
    assert order.status is S.RETURNED and order.payment_status is PaymentStatus.NOT_REQUIRED


def test_buyer_sees_orders_and_a_timeline(client, auth, db, order, buyer):
    advance(order, S.CONFIRMED, order.household.user)
    db.session.commit()
    auth.login(buyer)
    assert order.number in client.get("/orders").get_data(as_text=True)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Cam Vinh" in page and 'class="timeline"' in page
    local = order.events[0].created_at
    from marketplace.web import vn_datetime

    assert vn_datetime(local) in page  # times shown in Asia/Ho_Chi_Minh


def test_admin_lists_orders_with_filters(client, auth, db, order, make_user, buyer, make_listing, place):
    other = place(buyer, {make_listing(title="Mít").id: 1}).orders[0]
    advance(other, S.CONFIRMED, other.household.user)
    db.session.commit()
    auth.login(make_user("admin"))
    page = client.get("/admin/orders").get_data(as_text=True)
    assert order.number in page and other.number in page
    page = client.get("/admin/orders?status=confirmed").get_data(as_text=True)
    assert order.number not in page and other.number in page
    page = client.get(f"/admin/orders?household={order.household_id}&payment_method=cod").get_data(as_text=True)
    assert order.number in page and other.number not in page
    assert client.get("/admin/orders?date_from=not-a-date").status_code == 200
    second = client.get("/admin/orders?status=confirmed&page=2")  # past the end: a link back, the filter kept
    assert second.status_code == 200
    assert 'rel="prev" href="/admin/orders?status=confirmed"' in second.get_data(as_text=True)


def test_admin_order_list_goes_deep_by_cursor_and_counts_only_up_to_a_cap(client, auth, app, db, make_user, buyer,
                                                                        make_listing, place, monkeypatch):
    """Millions of orders: numbered pages stop at 10 (a bounded OFFSET), Next goes on with a cursor (the last id
    shown), and the total is counted up to a cap, then said as "more than"."""
    from marketplace.orders import services

    listing = make_listing(title="Bưởi", stock=500)
    numbers = [place(buyer, {listing.id: 1}).orders[0].number for _ in range(25)]
    db.session.commit()
    newest_first = numbers[::-1]
    app.config["ADMIN_ORDERS_PER_PAGE"] = 2
    monkeypatch.setattr(services, "ADMIN_COUNT_CAP", 20)
    auth.login(make_user("admin"))
    page = client.get("/admin/orders").get_data(as_text=True)
    assert "More than 20 orders" in page or "Hơn 20 đơn hàng" in page
    seen = []
    url = "/admin/orders"
    for _ in range(13):  # 25 orders, 2 a page: pages 1–10 by number, then 11–13 by cursor
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        seen += [n for n in newest_first if n in html and n not in seen]
        found = re.search(r'rel="next" href="([^"]+)"', html)
        if found is None:
            break
        url = found.group(1).replace("&amp;", "&")
    assert seen == newest_first  # every order once, newest first, across numbered and cursor pages
    assert "after=" in url  # the last pages were reached by cursor
    html = client.get("/admin/orders?page=11").get_data(as_text=True)  # jumping past page 10 by number: refused
    assert 'href="/admin/orders"' in html and newest_first[20] not in html


@pytest.mark.parametrize("role", ["buyer", "household"])
def test_admin_pages_are_closed_to_others(client, auth, make_user, role):
    auth.login(make_user(role))
    assert client.get("/admin/orders").status_code == 403
    assert client.get("/admin/commissions").status_code == 403


def test_notification_bell_counts_unread(client, auth, db, order):
    auth.login(order.household.user)
    page = client.get("/").get_data(as_text=True)
    assert 'class="count">1<' in page
    assert order.number in client.get("/notifications/").get_data(as_text=True)
    assert 'class="count">1<' in client.get("/").get_data(as_text=True)  # reading changes nothing
    client.post("/notifications/read")  # the page's button
    assert 'class="count">1<' not in client.get("/").get_data(as_text=True)


def test_orders_count_per_status_index(db, order):
    assert db.session.scalar(select(func.count()).select_from(Order).where(Order.status == S.PLACED)) == 1


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "https://evil.example/"])
def test_status_change_never_redirects_off_site(client, auth, order, target):
    auth.login(order.household.user)
    response = client.post(f"/orders/{order.id}/status/confirmed", data={"next": target})
    assert response.headers["Location"].endswith(f"/orders/{order.id}")


def test_a_cancel_and_a_rejection_at_the_same_moment_give_the_stock_back_once(app, db, monkeypatch, order, buyer):
    """The buyer cancels while the household rejects: both requests pass their checks at once only if nothing locks
    the order; with the row lock the second one sees the first's result and is refused."""
    import threading

    from marketplace.orders import services
    from marketplace.orders.errors import OrderError

    if db.engine.dialect.name != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (SQLite takes one writer at a time)")
    db.session.commit()
    order_id, household_user_id = order.id, order.household.user_id
    both_checked = threading.Barrier(2, timeout=2)
    give_back = services.give_back_stock

    def give_back_when_both_checked(listing_id, quantity):
        try:
            both_checked.wait()
        except threading.BrokenBarrierError:
            pass  # the other request is waiting for the lock (or was refused): go on alone
        return give_back(listing_id, quantity)

    monkeypatch.setattr(services, "give_back_stock", give_back_when_both_checked)
    outcomes: list[str] = []

    def move(status, user_id, reason):
        from marketplace.accounts.models import User

        with app.app_context():
            try:
                services.advance(db.session.get(Order, order_id), status, db.session.get(User, user_id), reason)
                db.session.commit()
                outcomes.append(status.value)
            except OrderError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=move, args=(S.CANCELLED, buyer.id, "đổi ý")),
               threading.Thread(target=move, args=(S.REJECTED, household_user_id, "hết hàng"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    db.session.expire_all()
    assert sorted(outcomes) in (["cancelled", "refused"], ["refused", "rejected"])
    assert _stock(db, order) == 10  # 7 left after the order of 3: given back once
    assert db.session.scalar(select(func.count()).select_from(OrderEvent).where(OrderEvent.order_id == order_id)) == 2
