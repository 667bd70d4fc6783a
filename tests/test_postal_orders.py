"""Orders travel as parcels: the parcel of a ready order, tracking events moving the order, the order page's
timeline, and checkout with a digital-address code."""

from sqlalchemy import func, select

from marketplace.notifications.models import Notification
from marketplace.orders.models import Checkout, OrderStatus as S, PaymentStatus
from marketplace.orders.services import advance
from marketplace.postal import desk, tracking
from marketplace.postal.models import Parcel, ParcelStatus
from marketplace.postal.shipping import parcel_of
from tests.fixtures.factories import HANOI_WARD, SAIGON_WARD


def test_marking_an_order_ready_creates_its_one_parcel(db, postal_world, buyer, make_listing, ready_order):
    w = postal_world
    listing = make_listing(w.household, price=100_000, weight_grams=1200, shelf_life_days=3)
    order, parcel = ready_order(buyer, listing, qty=2)
    assert parcel is not None and parcel.tracking_number.startswith("EE")  # perishable → express
    assert parcel.order_id == order.id and parcel.household_id == w.household.id
    assert parcel.declared_weight_grams == 2400
    assert parcel.cod_amount == order.total and parcel.perishable and parcel.express
    assert (parcel.origin_point_id, parcel.destination_point_id) == (w.origin.id, w.destination.id)
    assert parcel.recipient_name == "Trần Thị Bưởi" and "12 Lê Lợi" in parcel.recipient_address
    assert db.session.scalar(select(func.count()).select_from(Parcel)) == 1


def test_a_card_paid_order_travels_with_nothing_to_collect(db, postal_world, buyer, make_listing, ready_order):
    order, parcel = ready_order(buyer, make_listing(postal_world.household), method="card")
    assert order.payment_status is PaymentStatus.PAID
    assert parcel.cod_amount == 0 and parcel.tracking_number.startswith("CE")


def test_an_order_no_post_office_serves_becomes_ready_and_gets_its_parcel_when_points_are_loaded(
    client, auth, db, runner, tmp_path, buyer, make_listing, make_household, ready_order, make_point, make_clerk
):
    household = make_household(ward_code=HANOI_WARD)
    order, parcel = ready_order(buyer, make_listing(household))
    assert order.status is S.READY_FOR_HANDOVER and parcel is None
    auth.login(household.user)
    assert "Chưa có bưu cục nào phục vụ địa chỉ này" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    auth.logout()
    clerk = make_clerk(make_point(SAIGON_WARD))
    auth.login(clerk)
    assert client.get("/buu-cuc").status_code == 200
    assert parcel_of(order) is None  # opening a desk writes nothing
    auth.logout()
    points = tmp_path / "points.csv"
    points.write_text(f"code,name,ward_code,lat,lng,opening_hours\nBC10001,Bưu cục Hoàn Kiếm,{HANOI_WARD},21.03,105.85,7-17\n")
    result = runner.invoke(args=["postal", "load-points", str(points)])
    assert result.exit_code == 0, result.output
    assert "waiting for a service point: 1." in result.output
    db.session.expire_all()
    assert parcel_of(order) is not None


def test_tracking_events_move_the_order_and_tell_buyer_and_household(
    db, postal_world, buyer, make_listing, make_clerk, ready_order
):
    w = postal_world
    order, parcel = ready_order(buyer, make_listing(w.household))
    postman = make_clerk(w.destination)
    desk.accept(w.origin_clerk, parcel, parcel.declared_weight_grams)
    assert order.status is S.HANDED_OVER
    tracking.record_event(parcel, "EDD", None, None)
    tracking.record_event(parcel, "EDE", None, None)  # the order is already in transit: it stays there
    assert order.status is S.IN_TRANSIT
    desk.receive(w.destination_clerk, parcel)
    desk.out_for_delivery(w.destination_clerk, parcel, postman)
    assert order.status is S.OUT_FOR_DELIVERY
    desk.fail_attempt(w.destination_clerk, parcel, "recipient_absent")
    assert order.status is S.DELIVERY_FAILED
    desk.out_for_delivery(w.destination_clerk, parcel, postman)
    desk.deliver(w.destination_clerk, parcel, parcel.cod_amount)
    db.session.commit()
    assert order.status is S.DELIVERED and order.payment_status is PaymentStatus.COD_COLLECTED
    kinds = [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == buyer.id))]
    assert {"handed_over", "in_transit", "parcel_EDE", "out_for_delivery", "delivery_failed", "delivered"} <= set(kinds)
    assert "parcel_EDE" in [
        n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == w.household.user_id))
    ]


def test_a_late_older_event_does_not_move_the_order(db, postal_world, buyer, make_listing, ready_order):
    from datetime import timedelta

    from marketplace.timeutil import utcnow

    w = postal_world
    order, parcel = ready_order(buyer, make_listing(w.household))
    desk.accept(w.origin_clerk, parcel, parcel.declared_weight_grams)
    desk.receive(w.destination_clerk, parcel)
    tracking.record_event(parcel, "EDD", None, None, occurred_at=utcnow() - timedelta(hours=5))
    db.session.commit()
    assert order.status is S.IN_TRANSIT and parcel.status is ParcelStatus.AT_DELIVERY_POINT


def test_refused_at_the_door_returns_the_order_and_owes_nothing(
    db, postal_world, buyer, make_listing, make_clerk, ready_order, carry
):
    w = postal_world
    order, parcel = ready_order(buyer, make_listing(w.household))
    carry(w, parcel, make_clerk(w.destination), fail_reason="refused")
    assert parcel.status is ParcelStatus.RETURNING
    assert order.status is S.RETURNED and order.payment_status is PaymentStatus.NOT_REQUIRED


def test_order_page_shows_the_parcel_timeline_linking_to_public_tracking(
    client, auth, db, postal_world, buyer, make_listing, ready_order
):
    w = postal_world
    order, parcel = ready_order(buyer, make_listing(w.household))
    desk.accept(w.origin_clerk, parcel, parcel.declared_weight_grams)
    db.session.commit()
    auth.login(buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert f"/tra-cuu/{parcel.tracking_number}" in page
    assert "Bưu cục đã nhận hàng" in page  # "Accepted at the post office", in the buyer's language


def test_checkout_with_a_digital_address_code_fills_the_address_and_keeps_it(
    client, auth, db, buyer, make_listing, make_address, checkout_form, checkout_submit
):
    address = make_address(ward_code=SAIGON_WARD, address_line="45 Nguyễn Huệ")
    listing = make_listing()
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    # without JavaScript: "use this code" re-renders the form filled in
    page = client.post(
        "/checkout",
        data=checkout_form(address_code=address.code.lower(), province="", ward="", address_line="", use_code="1"),
    ).get_data(as_text=True)
    assert "45 Nguyễn Huệ" in page and address.code in page and f'selected value="{SAIGON_WARD}"' in page
    response = checkout_submit(client, checkout_form(address_code=address.code, province="1", ward="70"))
    assert response.status_code == 302
    placed = db.session.scalar(select(Checkout))
    assert placed.digital_address_id == address.id and placed.ward_code == SAIGON_WARD


def test_a_mistyped_or_unknown_code_gives_a_clear_form_message(client, auth, db, buyer, make_listing, checkout_form, checkout_submit):
    from marketplace.postal.addresses import encode

    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": make_listing().id, "quantity": 1})
    good = encode(10.7769, 106.7009, SAIGON_WARD)
    typo = good[:-1] + ("0" if good[-1] != "0" else "1")
    for code, words in ((typo, "ký tự kiểm tra"), (good, "Không có địa chỉ nào mang mã"), ("12", "15 ký tự")):
        response = client.post("/checkout", data=checkout_form(address_code=code))
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and words in body, code
        response = client.post("/checkout", data=checkout_form(address_code=code, use_code="1"))
        assert words in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Checkout)) == 0


def test_a_cancelled_orders_parcel_leaves_the_desk_and_is_not_accepted(db, postal_world, buyer, make_listing, ready_order):
    import pytest

    from marketplace.postal.errors import InvalidParcel

    w = postal_world
    order, parcel = ready_order(buyer, make_listing(w.household))
    assert parcel in desk.point_parcels(w.origin_clerk)["to_accept"]
    advance(order, S.CANCELLED, buyer, "đổi ý")
    db.session.commit()
    assert parcel.status is ParcelStatus.CANCELLED
    lists = desk.point_parcels(w.origin_clerk)
    assert all(parcel not in found for found in lists.values())
    assert parcel not in desk.labels_to_print(w.origin_clerk)
    with pytest.raises(InvalidParcel):  # the order was cancelled (not "cannot be recorded now")
        desk.accept(w.origin_clerk, parcel, parcel.declared_weight_grams)
    db.session.rollback()
    assert parcel.status is ParcelStatus.CANCELLED
    assert parcel.status in tracking.STATUS_LABELS and not tracking.ALLOWED[parcel.status]


def test_the_desk_tells_the_clerk_to_hand_a_cancelled_orders_parcel_back(
    client, auth, db, postal_world, buyer, make_listing, ready_order
):
    w = postal_world
    order, parcel = ready_order(buyer, make_listing(w.household))
    advance(order, S.CANCELLED, w.household.user, "hết hàng")
    db.session.commit()
    auth.login(w.origin_clerk)
    page = client.get(f"/buu-cuc/parcels/{parcel.id}").get_data(as_text=True)
    assert "Đã hủy trước khi gửi" in page and "trả lại cho hộ" in page
    assert f"/buu-cuc/parcels/{parcel.id}/label.pdf" not in page
    assert f"/buu-cuc/parcels/{parcel.id}/accept" not in page
    label = client.get(f"/buu-cuc/parcels/{parcel.id}/label.pdf")
    assert label.status_code == 302 and label.location.endswith(f"/buu-cuc/parcels/{parcel.id}")
    assert parcel.tracking_number not in client.get("/buu-cuc").get_data(as_text=True)
