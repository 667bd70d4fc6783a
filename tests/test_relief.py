"""Disaster mode (issue 16): events, closed points, checkout rules and estimates, the worklist, priority, pickup,
campaigns (with a budget race) and rescue drives, through the real database and the HTTP layer."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.fixtures.factories import HANOI_WARD, SAIGON_WARD
from tests.fixtures.postal import HANOI_WARD_2

CUA_NAM = HANOI_WARD_2


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="admin@relief.vn", name="Quản trị")


@pytest.fixture
def declare(db, admin):
    from marketplace.relief import events
    from marketplace.relief.models import CheckoutRule, EventKind, Severity
    from marketplace.timeutil import utcnow

    def make(wards=(SAIGON_WARD,), rule=CheckoutRule.WARN, extra_days=4, title="Lũ lụt thử"):
        event = events.declare(admin, events.EventData(
            kind=EventKind.FLOOD, title=title, severity=Severity.WARNING, checkout_rule=rule,
            starts_at=utcnow() - timedelta(hours=1), expected_end_at=None, dispatch="CV 1/BĐVN",
            public_note="Đường ngập", ward_codes=frozenset(wards)), extra_days)
        db.session.commit()
        return event

    return make


def test_admin_declares_an_event_over_a_province_and_wards_and_it_is_audited(client, auth, admin, db):
    from marketplace.relief.models import DisasterEvent
    from marketplace.staff.models import AuditEntry

    auth.login(admin)
    response = client.post("/admin/su-kien", data={
        "title": "Bão số 3", "kind": "typhoon", "severity": "emergency", "checkout_rule": "warn",
        "starts_at": "2025-09-06T08:00", "dispatch": "CĐ 12/BĐVN", "public_note": "Tạm ngừng phát",
        "ward_list": f"{HANOI_WARD}, Phường Cửa Nam", "extra_days": "3"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    event = db.session.scalars(select(DisasterEvent)).one()
    assert event.ward_codes == {HANOI_WARD, CUA_NAM} and len(event.delays) == 2
    bad = client.post("/admin/su-kien", data={"title": "x", "kind": "flood", "severity": "watch",
                                               "checkout_rule": "warn", "starts_at": "2025-09-06T08:00",
                                               "ward_list": "Không có phường này"})
    assert bad.status_code == 400 and "Không có phường/xã nào" in bad.get_data(as_text=True) or bad.status_code == 400
    edit = client.post(f"/admin/su-kien/{event.id}", data={
        "title": "Bão số 3 (Yagi)", "kind": "typhoon", "severity": "emergency", "checkout_rule": "block",
        "starts_at": "2025-09-06T08:00", "ward_list": str(HANOI_WARD)})
    assert edit.status_code == 302
    assert client.post(f"/admin/su-kien/{event.id}/dong").status_code == 302
    actions = [a for (a,) in db.session.execute(select(AuditEntry.action).order_by(AuditEntry.id))]
    assert actions == ["relief.event_declare", "relief.event_edit", "relief.event_close"]
    page = client.get(f"/admin/su-kien/{event.id}").get_data(as_text=True)
    assert "block" in page and "Yagi" in page


@pytest.mark.parametrize("role", ["buyer", "household", "clerk"])
def test_only_administrators_reach_the_disaster_desk(client, auth, make_user, role):
    auth.login(make_user(role))
    assert client.get("/admin/su-kien").status_code == 403
    assert client.post("/admin/buu-cuc/trang-thai", data={"point": "BC1", "status": "closed"}).status_code == 403


def test_buyer_into_flooded_ward_sees_the_warning_and_longer_estimate(client, auth, buyer, make_listing, declare):
    event = declare(wards=(SAIGON_WARD,), extra_days=4)
    listing = make_listing()  # a Hà Nội household: other region, 3–5 days standard
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    body = client.get(f"/checkout/quote?province=79&ward={SAIGON_WARD}").get_json()
    assert event.title in body["html"] and "7–9" in body["html"]
    calm = client.get(f"/checkout/quote?province=1&ward={HANOI_WARD}").get_json()
    assert event.title not in calm["html"] and "1–2" in calm["html"]
    status = client.get("/tinh-trang").get_data(as_text=True)
    assert event.title in status and "+4" in status


def test_blocked_and_priority_only_events_refuse_orders_with_a_message(
    db, client, auth, buyer, make_listing, make_category, declare, checkout_form, checkout_submit, admin, make_user
):
    from marketplace.orders.models import Order
    from marketplace.relief import priority
    from marketplace.relief.models import CheckoutRule

    food = make_category(slug="luong-thuc")
    rice = make_listing(category=food, title="Gạo tám")
    flowers = make_listing(title="Hoa lan")
    priority.set_categories(admin, {food.id})
    db.session.commit()
    declare(wards=(HANOI_WARD,), rule=CheckoutRule.PRIORITY_ONLY)
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": flowers.id, "quantity": 1})
    refused = checkout_submit(client, checkout_form())
    assert refused.status_code == 200 and "Hoa lan" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Order.id))) == 0
    auth.logout()
    auth.login(make_user("buyer"))
    client.post("/cart/add", data={"listing_id": rice.id, "quantity": 1})
    placed = checkout_submit(client, checkout_form())
    assert placed.status_code == 302


def test_a_closed_point_sends_parcels_and_households_to_its_alternate_and_tells_them(
    db, client, auth, admin, make_point, make_household, make_parcel, make_address
):
    from marketplace.notifications.models import Notification
    from marketplace.postal.points import delivery_point

    closed = make_point(SAIGON_WARD, code="BC26740")
    alternate = make_point(SAIGON_WARD, code="BC26799", lat=10.78, lng=106.70)
    home = make_point(HANOI_WARD, code="BC00070")
    served = make_household(ward_code=SAIGON_WARD)
    parcel = make_parcel(make_household(ward_code=HANOI_WARD))
    assert home and parcel.destination_point_id in (closed.id, alternate.id)
    parcel.destination_point_id = closed.id
    db.session.commit()
    auth.login(admin)
    response = client.post("/admin/buu-cuc/trang-thai", data={"point": "BC26740", "status": "closed",
                                                               "alternate": "BC26799", "note": "Ngập 1 m"})
    assert response.status_code == 302
    db.session.expire_all()
    assert parcel.destination_point_id == alternate.id
    assert served.service_point_id == alternate.id
    assert delivery_point(SAIGON_WARD).id == alternate.id
    kinds = set(db.session.scalars(select(Notification.kind)))
    assert "relief_point_closed" in kinds
    page = client.get("/tinh-trang").get_data(as_text=True)
    assert "BC26740" in page and "BC26799" in page
    nowhere = client.post("/admin/buu-cuc/trang-thai", data={"point": "BC26799", "status": "closed",
                                                              "alternate": "BC26740"})
    assert nowhere.status_code == 302
    db.session.expire_all()
    assert alternate.is_open  # refused: its alternate is not open


def test_worklist_scoped_bulk_actions_and_reasons_reach_the_buyer(
    db, client, auth, buyer, make_listing, place, postal_world, make_clerk, make_point, declare, admin
):
    from marketplace.orders.models import OrderStatus, PaymentStatus
    from marketplace.relief.models import OrderNotice

    listing = make_listing(postal_world.household, stock=20)
    first = place(buyer, {listing.id: 1}).orders[0]
    second = place(buyer, {listing.id: 1}).orders[0]
    event = declare(wards=(HANOI_WARD,))
    stranger = make_clerk(make_point(SAIGON_WARD, code="BC55555"))
    auth.login(stranger)
    assert first.number not in client.get("/cuu-tro/don-hang").get_data(as_text=True)
    refused = client.post(f"/cuu-tro/don-hang?event={event.id}", data={"action": "cancel", "reason": "Lũ",
                                                                       "orders": [first.id]})
    assert refused.status_code == 302
    db.session.expire_all()
    assert first.status is OrderStatus.PLACED
    auth.logout()
    auth.login(postal_world.origin_clerk)
    page = client.get("/cuu-tro/don-hang").get_data(as_text=True)
    assert first.number in page and second.number in page
    client.post(f"/cuu-tro/don-hang?event={event.id}", data={"action": "hold", "reason": "Đường ngập",
                                                             "orders": [second.id]})
    client.post(f"/cuu-tro/don-hang?event={event.id}", data={"action": "cancel", "reason": "Không thể giao",
                                                             "orders": [first.id]})
    db.session.expire_all()
    assert first.status is OrderStatus.CANCELLED and first.payment_status is PaymentStatus.NOT_REQUIRED
    assert db.session.scalar(select(func.count(OrderNotice.id))) == 2
    auth.logout()
    auth.login(buyer)
    assert "Đường ngập" in client.get(f"/orders/{second.id}").get_data(as_text=True)
    from marketplace.orders.conservation import check

    assert check().ok


def test_priority_parcels_come_first_in_queue_and_round_and_held_ones_stay(db, make_parcel, postal_world):
    from marketplace.postal import desk

    plain = make_parcel(postal_world.household)
    urgent = make_parcel(postal_world.household)
    urgent.priority = True
    db.session.commit()
    assert [p.id for p in desk.point_parcels(postal_world.origin_clerk)["to_accept"]][:1] == [urgent.id]
    assert desk.order_round((21.0, 105.8), [plain, urgent])[0] is urgent


def test_pickup_at_the_point_with_a_code_and_return_when_uncollected(
    db, client, auth, buyer, make_listing, postal_world, checkout_form, checkout_submit
):
    from marketplace.orders.models import Checkout, Order, OrderStatus
    from marketplace.orders.services import advance
    from marketplace.postal import pickup
    from marketplace.postal.desk import accept, receive
    from marketplace.postal.models import ParcelStatus
    from marketplace.postal.shipping import parcel_of

    listing = make_listing(postal_world.household, price=100_000)
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    door = client.get("/checkout/quote?province=79").get_json()["total"]
    pick = client.get("/checkout/quote?province=79&pickup=" + str(postal_world.destination.id)).get_json()["total"]
    assert pick < door
    form = checkout_form(province="79", ward=str(SAIGON_WARD), pickup_point=str(postal_world.destination.id))
    assert checkout_submit(client, form).status_code == 302
    checkout = db.session.scalars(select(Checkout)).one()
    assert checkout.pickup_point_id == postal_world.destination.id and checkout.total == pick
    order = db.session.scalars(select(Order)).one()
    household_user = postal_world.household.user
    advance(order, OrderStatus.CONFIRMED, household_user)
    advance(order, OrderStatus.READY_FOR_HANDOVER, household_user)
    db.session.commit()
    parcel = parcel_of(order)
    assert parcel.pickup and len(parcel.pickup_code) == 6
    accept(postal_world.origin_clerk, parcel, 1000)
    receive(postal_world.destination_clerk, parcel)
    db.session.commit()
    auth.logout()
    auth.login(postal_world.destination_clerk)
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/pickup-arrived").status_code == 302
    wrong = "000000" if parcel.pickup_code != "000000" else "111111"
    client.post(f"/buu-cuc/parcels/{parcel.id}/pickup-collect", data={"pickup_code": wrong,
                                                                      "cod_collected": str(parcel.cod_amount)})
    db.session.expire_all()
    assert parcel.status is ParcelStatus.AT_DELIVERY_POINT
    auth.logout()
    auth.login(buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert parcel.pickup_code in page
    assert client.get(f"/orders/{order.id}/pickup-qr.svg").status_code == 200
    # uncollected for longer than POSTAL_PICKUP_DAYS: the sweep starts it back
    parcel.arrived_for_pickup_at = parcel.arrived_for_pickup_at - timedelta(days=8)
    db.session.commit()
    assert pickup.return_uncollected() == 1
    db.session.commit()
    db.session.expire_all()
    assert parcel.status is ParcelStatus.RETURNING and order.status is OrderStatus.RETURNED
    assert pickup.return_uncollected() == 0


def test_pickup_code_hands_the_parcel_over(db, client, auth, postal_world, make_parcel, make_user):
    from marketplace.postal.desk import accept, receive
    from marketplace.postal.models import ParcelStatus
    from marketplace.postal.pickup import arrived

    parcel = make_parcel(postal_world.household, cod=120_000)
    parcel.pickup, parcel.pickup_code, parcel.destination_point_id = True, "123456", postal_world.destination.id
    db.session.commit()
    accept(postal_world.origin_clerk, parcel, 1000)
    receive(postal_world.destination_clerk, parcel)
    arrived(postal_world.destination_clerk, parcel)
    db.session.commit()
    auth.login(postal_world.destination_clerk)
    client.post(f"/buu-cuc/parcels/{parcel.id}/pickup-collect", data={"pickup_code": "123 456",
                                                                      "cod_collected": "120.000"})
    db.session.expire_all()
    assert parcel.status is ParcelStatus.DELIVERED and parcel.cod_collected == 120_000


# --- campaigns -----------------------------------------------------------------------------------------------------


@pytest.fixture
def campaign(db, admin, make_listing, make_household, make_address, declare):
    from marketplace.relief import campaigns

    event = declare(wards=(SAIGON_WARD,))
    campaign = campaigns.create(admin, campaigns.CampaignData(title="Hỗ trợ bà con vùng lũ", event_id=event.id))
    address = make_address(ward_code=SAIGON_WARD, address_line="UBND phường")
    campaigns.add_recipient(admin, campaign, "UBND Phường Sài Gòn", "0281234567" if False else "0912000111",
                            address.code)
    listing = make_listing(make_household(ward_code=HANOI_WARD), title="Mì gói", stock=100, weight_grams=1000)
    campaigns.add_listing(admin, campaign, listing)
    campaigns.set_status(admin, campaign, campaigns.CampaignStatus.OPEN)
    db.session.commit()
    campaign.listing = listing
    return campaign


def test_a_household_inside_the_affected_area_is_not_eligible(db, admin, campaign, make_listing, make_household):
    from marketplace.relief import campaigns
    from marketplace.relief.errors import InvalidCampaign

    inside = make_listing(make_household(ward_code=SAIGON_WARD))
    with pytest.raises(InvalidCampaign):
        campaigns.add_listing(admin, campaign, inside)


def test_donation_ships_free_from_the_budget_and_the_ledger_check_holds(db, admin, campaign, buyer):
    from marketplace.orders.conservation import check
    from marketplace.orders.models import OrderStatus, PaymentMethod
    from marketplace.orders.services import advance
    from marketplace.relief import campaigns
    from marketplace.relief.errors import BudgetExhausted

    recipient = campaign.recipients[0]
    with pytest.raises(BudgetExhausted):
        campaigns.donate(buyer, campaign, recipient.id, campaign.listing.id, 2, PaymentMethod.COD)
    db.session.rollback()
    campaigns.grant(admin, campaign, 200_000, "Quỹ cứu trợ")
    placed = campaigns.donate(buyer, campaign, recipient.id, campaign.listing.id, 2, PaymentMethod.COD)
    db.session.commit()
    order = placed.orders[0]
    assert order.shipping_fee == 0 and placed.total == order.goods_total
    assert campaign.spent > 0 and campaigns.tally(campaign)["donations"] == 1
    assert check().ok, check().mismatches
    advance(order, OrderStatus.CANCELLED, buyer, "đổi ý")
    db.session.commit()
    db.session.refresh(campaign)
    assert campaign.spent == 0
    assert check().ok, check().mismatches


def test_two_donors_racing_for_the_last_of_the_budget_get_it_once(app, db, admin, campaign, make_user):
    from marketplace.extensions import db as _db
    from marketplace.orders.models import PaymentMethod
    from marketplace.relief import campaigns
    from marketplace.relief.models import Campaign, Donation
    from marketplace.postal.tariff import quote

    one = quote(1, 79, 1000, express=False).fee
    campaigns.grant(admin, campaign, one + one // 2, "đủ cho một bưu gửi")
    donors = [make_user("buyer").id for _ in range(4)]
    recipient_id, listing_id, campaign_id = campaign.recipients[0].id, campaign.listing.id, campaign.id
    db.session.commit()
    barrier = threading.Barrier(len(donors))
    outcomes = []

    def donate(user_id):
        with app.app_context():
            from marketplace.accounts.models import User

            try:
                barrier.wait(timeout=30)
                c = _db.session.get(Campaign, campaign_id)
                campaigns.donate(_db.session.get(User, user_id), c, recipient_id, listing_id, 1, PaymentMethod.COD)
                _db.session.commit()
                outcomes.append("placed")
            except Exception as exc:  # noqa: BLE001 - counted below
                _db.session.rollback()
                outcomes.append(type(exc).__name__)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=donate, args=(u,)) for u in donors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    print(f"\nbudget race: {len(donors)} donors, one parcel's budget: {sorted(outcomes)}")
    db.session.expire_all()
    assert outcomes.count("placed") == 1, outcomes
    assert db.session.scalar(select(func.count(Donation.id))) == 1
    c = db.session.get(Campaign, campaign_id)
    assert c.spent <= c.budget
    from marketplace.orders.conservation import check

    assert check().ok, check().mismatches


def test_rescue_drive_prices_by_weight_band_and_gathers_preorders(db, admin, make_listing, make_household, buyer,
                                                                  place):
    from datetime import date

    from marketplace.relief import rescue

    farm = make_household(ward_code=HANOI_WARD)
    lychee = make_listing(farm, title="Vải thiều", weight_grams=1000, stock=50)
    drive = rescue.create(admin, "Giải cứu vải thiều", date.today(), [farm.id], [(5000, 25_000), (10_000, 40_000)])
    db.session.commit()
    order = place(buyer, {lychee.id: 3}).orders[0]
    assert order.shipping_fee == 25_000 or order.shipping_fee < 25_000
    assert rescue.preorders_by_household(drive) == {farm.id: 1}


def test_a_donor_pays_by_bank_transfer_and_an_unpaid_donation_gives_its_delivery_money_back(
    client, auth, db, admin, campaign, buyer, vietqr_on, runner
):
    """Donations are paid in advance by any method on offer (never cash: the recipient pays nothing); a donation
    left unpaid expires like any transfer and its campaign delivery money goes back to the budget."""
    from datetime import timedelta

    from marketplace.orders.models import Checkout, OrderStatus, PaymentMethod
    from marketplace.relief import campaigns

    campaigns.grant(admin, campaign, 200_000, "Quỹ cứu trợ")
    db.session.commit()
    auth.login(admin)
    admin_page = client.get(f"/admin/cuu-tro/{campaign.id}").get_data(as_text=True)
    assert "Đang nhận ủng hộ ·" in admin_page and "open ·" not in admin_page  # the state in words
    auth.logout()
    auth.login(buyer)
    page = client.get(f"/cuu-tro/{campaign.slug}").get_data(as_text=True)
    assert 'value="vietqr"' in page and 'value="cod"' not in page
    form = {"listing": campaign.listing.id, "quantity": 2, "recipient": campaign.recipients[0].id,
            "submission": "a" * 32}
    refused = client.post(f"/cuu-tro/{campaign.slug}/ung-ho", data={**form, "method": "cod"})
    assert refused.status_code == 302 and refused.headers["Location"].endswith(f"/cuu-tro/{campaign.slug}")
    assert db.session.scalar(select(func.count(Checkout.id))) == 0

    response = client.post(f"/cuu-tro/{campaign.slug}/ung-ho", data={**form, "method": "vietqr"})
    checkout = db.session.scalar(select(Checkout))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/payments/transfer/{checkout.id}")
    assert checkout.payment_method is PaymentMethod.VIETQR
    pay_page = client.get(f"/payments/transfer/{checkout.id}").get_data(as_text=True)
    assert f"TT{checkout.id:06d}" in pay_page
    db.session.refresh(campaign)
    assert campaign.spent > 0

    db.session.get(Checkout, checkout.id).pay_by -= timedelta(hours=2)
    db.session.commit()
    assert "Expired 1" in runner.invoke(args=["orders", "expire-unpaid"]).output
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).orders[0].status is OrderStatus.CANCELLED
    assert db.session.get(type(campaign), campaign.id).spent == 0
    assert runner.invoke(args=["ledger", "check"]).exit_code == 0


def test_the_campaign_page_reads_a_fixed_number_of_statements_however_many_goods_and_recipients(
    client, db, admin, campaign, make_listing, make_household, make_address
):
    """A campaign link is shared widely in a disaster: its page must not load each listing's household and ward,
    or each recipient's address, one by one."""
    from marketplace.relief import campaigns
    from tests.test_catalog import QueryCounter

    def statements() -> int:
        with QueryCounter(db.engine) as counter:
            assert client.get(f"/cuu-tro/{campaign.slug}").status_code == 200
        return counter.count

    before = statements()
    for i in range(3):
        campaigns.add_listing(admin, campaign, make_listing(make_household(ward_code=HANOI_WARD), title=f"Gạo {i}"))
        address = make_address(ward_code=SAIGON_WARD, address_line=f"Trường {i}")
        campaigns.add_recipient(admin, campaign, f"Trường học {i}", f"091200022{i}", address.code)
    db.session.commit()
    assert statements() == before
