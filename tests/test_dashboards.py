"""Dashboards: figures that add up from known orders, Vietnam days, fixed query counts, CSV exports, access."""

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from marketplace.catalog.models import Availability, ListingStatus
from marketplace.dashboards import charts, services, strategy
from marketplace.dashboards.models import ProvinceTarget
from marketplace.orders.models import Order, OrderStatus, PaymentMethod, PaymentStatus
from marketplace.orders.services import advance
from marketplace.timeutil import VN_TZ, local_today
from tests.fixtures.orders import HANOI_WARD, SAIGON_WARD
from tests.test_catalog import QueryCounter


def vn(day, hour, minute=0):
    """A Vietnam wall-clock time as UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=VN_TZ).astimezone(UTC)


def read_csv(response):
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# ---- charts -----------------------------------------------------------------------------------------------------


def test_charts_are_accessible_svg_with_the_values_as_a_table():
    svg = str(
        charts.bar_chart(
            "Doanh số <ngày>",
            "Mô tả",
            [("01/11", 120_000), ("02/11", 0)],
            headers=("Ngày", "Doanh số"),
            summary="Số liệu",
        )
    )
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg and "aria-labelledby" in svg
    assert "Doanh số &lt;ngày&gt;" in svg and "<ngày>" not in svg
    assert "<table" in svg and '<th scope="row">01/11</th><td>120000</td>' in svg
    line = str(charts.line_chart("Thu nhập", "d", [("a", 1), ("b", 3)]))
    assert "<polyline" in line and line.count("<circle") == 2
    ranked = str(charts.ranked_bars("Tỉnh", "d", [("Hà Nội", 3, 5), ("Huế", 0, None)], target_label="Mục tiêu"))
    assert ranked.count('class="target"') == 1 and "Mục tiêu: 5" in ranked
    assert "</svg>" in str(charts.bar_chart("empty", "d", [])) and "<rect" not in str(charts.line_chart("e", "d", []))


# ---- household --------------------------------------------------------------------------------------------------


@pytest.fixture
def sales(db, buyer, make_household, make_listing, place, deliver):
    """Two delivered orders either side of midnight in Vietnam, one cancelled, one waiting; price 60.000 ₫, 8 %."""
    household = make_household()
    listing = make_listing(household, title="Vải thiều", price=60_000, stock=100)
    day = local_today() - timedelta(days=5)
    late = place(buyer, {listing.id: 2}).orders[0]  # 23:30 on `day` in Vietnam = 16:30 UTC the same day
    deliver(late, placed_at=vn(day, 23, 30), delivered_at=vn(day + timedelta(days=1), 10))
    early = place(buyer, {listing.id: 1}).orders[0]  # 00:30 the next day in Vietnam = 17:30 UTC on `day`
    deliver(early, placed_at=vn(day + timedelta(days=1), 0, 30), delivered_at=vn(day + timedelta(days=2), 9))
    cancelled = place(buyer, {listing.id: 5}).orders[0]
    advance(cancelled, OrderStatus.CANCELLED, buyer)
    db.session.commit()
    waiting = place(buyer, {listing.id: 1}).orders[0]
    return {"household": household, "listing": listing, "day": day, "waiting": waiting}


def test_sale_at_2330_vietnam_time_lands_on_that_vietnam_day(db, sales):
    day = sales["day"]
    data = services.household_dashboard(sales["household"], 30)
    by_day = {p.day: p for p in data.series}
    assert len(data.series) == 30 and data.series[-1].day == local_today()
    assert by_day[day].sales == 120_000  # 16:30 UTC is 23:30 in Vietnam: still `day`
    assert by_day[day + timedelta(days=1)].sales == 60_000  # 17:30 UTC is 00:30 the next day in Vietnam
    assert by_day[day + timedelta(days=1)].earnings == 120_000 - 9_600
    assert by_day[day + timedelta(days=2)].earnings == 60_000 - 4_800
    assert by_day[local_today()].sales == 60_000  # the order still waiting counts as a sale on the day placed
    assert data.sales_total == 240_000  # the cancelled order is left out
    assert data.earnings_total == 165_600 == data.balance.balance
    assert data.top[0].title == "Vải thiều" and data.top[0].quantity == 4 and data.top[0].revenue == 240_000
    assert data.waiting == {OrderStatus.PLACED: 1, OrderStatus.CONFIRMED: 0}


def test_household_dashboard_page_and_csv_show_the_same_figures(client, auth, db, sales):
    auth.login(sales["household"].user)
    client.get("/lang/en")
    page = client.get("/my/dashboard").get_data(as_text=True)
    assert "240,000 ₫" in page and "165,600 ₫" in page and "<svg" in page  # English page: English number format
    assert "1 order to confirm" in page and "Vải thiều" in page
    assert client.get("/my/dashboard?days=90").status_code == 200
    response = client.get("/my/dashboard/sales.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="sales-')
    rows = read_csv(response)
    assert rows[0] == ["Day", "Sales (₫)", "Earnings (₫)"] and len(rows) == 31
    day = sales["day"]
    assert [day.isoformat(), "120000", "0"] in rows
    assert [(day + timedelta(days=1)).isoformat(), "60000", "110400"] in rows
    assert sum(int(r[1]) for r in rows[1:]) == 240_000 and sum(int(r[2]) for r in rows[1:]) == 165_600


def test_household_dashboard_alerts_low_stock_and_preorders_starting_soon(
    client, auth, db, make_household, make_listing
):
    household = make_household()
    make_listing(household, title="Còn nhiều", stock=50)
    make_listing(household, title="Sắp hết", stock=3)
    make_listing(household, title="Dưới mức tối thiểu", stock=8, min_order_qty=10)
    make_listing(household, title="Đã tạm dừng", stock=0, status=ListingStatus.PAUSED)
    make_listing(household, title="Thu hoạch sắp tới", stock=100, availability=Availability.PREORDER)
    data = services.household_dashboard(household)
    assert [x.title for x in data.low_stock] == ["Sắp hết", "Dưới mức tối thiểu"]
    assert [x.title for x in data.preorders_soon] == ["Thu hoạch sắp tới"]
    auth.login(household.user)
    client.get("/lang/en")
    page = client.get("/my/dashboard").get_data(as_text=True)
    assert "Sắp hết" in page and "below the minimum order of 10" in page and "Thu hoạch sắp tới" in page
    assert "Còn nhiều" not in page and "Đã tạm dừng" not in page


def test_household_dashboard_query_count_does_not_grow_with_orders(
    client, auth, db, buyer, make_household, make_listing, place, deliver
):
    household = make_household()
    listing = make_listing(household, stock=500, price=10_000)
    deliver(place(buyer, {listing.id: 1}).orders[0])
    auth.login(household.user)
    client.get("/my/dashboard")
    with QueryCounter(db.engine) as few:
        client.get("/my/dashboard")
    for i in range(6):
        other = make_listing(household, stock=2)
        deliver(
            place(buyer, {listing.id: 1, other.id: 1}).orders[0], delivered_at=datetime.now(UTC) - timedelta(days=i)
        )
        place(buyer, {listing.id: 1})
    with QueryCounter(db.engine) as many:
        client.get("/my/dashboard?days=30")
    assert many.count == few.count


# ---- operator ---------------------------------------------------------------------------------------------------


@pytest.fixture
def country(db, buyer, make_household, make_listing, place, deliver):
    """Hà Nội: pending, verified without listings, verified with a paused listing, verified and selling;
    TP HCM: one selling. Four orders delivered (two on time), one more paid by card."""
    make_household(verified=False, ward_code=HANOI_WARD)
    make_household(verified=True, ward_code=HANOI_WARD)
    make_listing(make_household(ward_code=HANOI_WARD), status=ListingStatus.PAUSED)
    hanoi = make_listing(make_household(ward_code=HANOI_WARD), title="Rau muống", weight_grams=500, stock=100)
    fresh = make_listing(
        make_household(ward_code=SAIGON_WARD), title="Vải", weight_grams=1000, stock=100, shelf_life_days=3
    )
    now = datetime.now(UTC)
    placed = now - timedelta(days=6)
    for listing, days in ((hanoi, 2), (hanoi, 4), (fresh, 1), (fresh, 2.5)):
        order = place(buyer, {listing.id: 2}).orders[0]
        deliver(order, placed_at=placed, delivered_at=placed + timedelta(days=days))
    card = place(buyer, {hanoi.id: 1}).orders[0]
    db.session.execute(
        update(Order)
        .where(Order.id == card.id)
        .values(payment_method=PaymentMethod.CARD, payment_status=PaymentStatus.PAID)
    )
    unpaid = place(buyer, {hanoi.id: 1}).orders[0]
    db.session.execute(
        update(Order)
        .where(Order.id == unpaid.id)
        .values(payment_method=PaymentMethod.CARD, payment_status=PaymentStatus.UNPAID)
    )
    db.session.commit()


def test_strategy_figures_add_up(db, country):
    rows = {r.code: r for r in strategy.province_rows()}
    assert len(rows) == 34
    assert (rows[1].onboarded, rows[1].verified, rows[1].selling) == (4, 3, 1)
    assert (rows[79].onboarded, rows[79].verified, rows[79].selling) == (1, 1, 1)
    assert strategy.province_rows()[0].code in (1, 79) and strategy.province_rows()[2].selling == 0
    coverage = strategy.ward_coverage()
    assert coverage.selling_wards == 2 and coverage.total_wards > 3000
    d = strategy.deliveries(30)
    assert (d.orders, d.grams) == (4, 2 * 500 * 2 + 2 * 1000 * 2)
    assert d.on_time == 2 and d.on_time_rate == 0.5  # standard in 2 days and express in 1 day
    assert (d.orders_placed, d.cod_orders) == (5, 4) and d.cod_share == 0.8  # the unpaid card order is left out
    per_day = strategy.deliveries_by_day(30)
    assert sum(x.orders for x in per_day) == 4 and sum(x.grams for x in per_day) == 6000
    assert strategy.active_service_points() == 0


def test_operator_sets_a_province_target_and_sees_it_on_the_page_and_in_the_csv(client, auth, db, staff, country):
    auth.login(staff)
    client.get("/lang/en")
    assert client.post("/admin/dashboard/targets", data={"province": "1", "target": "5"}).status_code == 302
    client.post("/admin/dashboard/targets", data={"province": "1", "target": "7"})
    assert db.session.get(ProvinceTarget, 1).selling_households == 7
    for bad in (
        {"province": "1", "target": "-1"},
        {"province": "999", "target": "3"},
        {"province": "1"},
        {"province": "x", "target": "2"},
    ):
        assert client.post("/admin/dashboard/targets", data=bad).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProvinceTarget)) == 1
    page = client.get("/admin/dashboard").get_data(as_text=True)
    assert "Hà Nội" in page and "Target: 7" in page and 'class="target"' in page
    assert "50 %" in page and "80 %" in page  # on time, cash on delivery
    assert "within 3 days (2 days for perishable produce" in page

    response = client.get("/admin/dashboard/provinces.csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="provinces-')
    rows = read_csv(response)
    assert rows[0][:2] == ["Code", "Province"] and len(rows) == 35
    assert ["1", "Hà Nội", "4", "3", "1", "7"] in rows
    assert sum(int(r[2]) for r in rows[1:]) == 5 and sum(int(r[4]) for r in rows[1:]) == 2
    summary = dict(read_csv(client.get("/admin/dashboard/summary.csv"))[1:])
    assert summary["Orders delivered"] == "4" and summary["Kilograms delivered"] == "6.0"
    assert summary["On-time delivery rate (%)"] == "50.0" and summary["Share of cash on delivery (%)"] == "80.0"
    wards = read_csv(client.get("/admin/dashboard/wards.csv"))
    assert wards[1][0] == "2"
    days = read_csv(client.get("/admin/dashboard/deliveries.csv?days=90"))
    assert len(days) == 91 and sum(int(r[1]) for r in days[1:]) == 4
    assert client.get("/admin/dashboard/secrets.csv").status_code == 404


def test_csv_is_excel_friendly_in_vietnamese(client, auth, staff, country):
    auth.login(staff)
    client.get("/lang/vi")
    rows = read_csv(client.get("/admin/dashboard/provinces.csv"))
    assert any(r[1] == "Hồ Chí Minh" for r in rows)


def test_operator_dashboard_query_count_does_not_grow_with_data(
    client, auth, db, staff, buyer, make_household, make_listing, place, deliver
):
    auth.login(staff)
    make_listing(make_household())
    client.get("/admin/dashboard")
    with QueryCounter(db.engine) as few:
        client.get("/admin/dashboard")
    for ward in (HANOI_WARD, SAIGON_WARD, HANOI_WARD):
        listing = make_listing(make_household(ward_code=ward), stock=10)
        deliver(place(buyer, {listing.id: 1}).orders[0])
    with QueryCounter(db.engine) as many:
        client.get("/admin/dashboard")
    assert many.count == few.count


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("buyer", "/my/dashboard", 403),
        ("clerk", "/my/dashboard", 403),
        ("household", "/admin/dashboard", 403),
        ("clerk", "/admin/dashboard", 403),
        ("buyer", "/admin/dashboard/provinces.csv", 403),
        ("household", "/admin/reviews", 403),
    ],
)
def test_dashboards_are_for_their_roles_only(client, auth, make_user, make_household, role, url, status):
    user = make_household().user if role == "household" else make_user(role)
    auth.login(user)
    assert client.get(url).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/my/dashboard", "/admin/dashboard", "/admin/dashboard/provinces.csv", "/my/reviews"):
        response = client.get(url, follow_redirects=False)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_base_menu_links_to_the_dashboards(client, auth, staff, make_household):
    auth.login(make_household().user)
    assert "/my/dashboard" in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(staff)
    assert "/admin/dashboard" in client.get("/").get_data(as_text=True)


# ---- clerk ------------------------------------------------------------------------------------------------------


def test_desk_dashboard_counts_the_parcels_and_cash_of_the_clerks_own_point(
    client, auth, db, buyer, make_user, make_household, make_point, make_clerk, make_parcel
):
    from marketplace.postal.tracking import record_event
    from tests.fixtures.factories import SAIGON_WARD

    household = make_household()
    origin = make_point(household.ward_code)
    here = make_point(SAIGON_WARD)
    clerk = make_clerk(here)
    other_clerk = make_clerk(origin)
    yesterday = local_today() - timedelta(days=1)
    delivered = [make_parcel(household, cod=c) for c in (120_000, 85_000)]
    failed = make_parcel(household, cod=60_000)
    for parcel in [*delivered, failed]:
        record_event(parcel, "EMA", other_clerk, origin, occurred_at=vn(yesterday, 8, 0))
        record_event(parcel, "EMG", clerk, here, occurred_at=vn(yesterday, 14, 0))
        record_event(parcel, "EDG", clerk, here, occurred_at=vn(yesterday, 15, 0))
    for parcel in delivered:
        record_event(parcel, "EMI", clerk, here, occurred_at=vn(yesterday, 23, 30))  # 16:30 UTC: still yesterday
    record_event(failed, "EMH", clerk, here, occurred_at=vn(local_today(), 9, 0), reason="recipient_absent")
    db.session.commit()
    cash = 205_000

    rows = {r.day: r for r in desk_rows(here.id)}
    assert (rows[yesterday].delivered, rows[yesterday].cod_collected, rows[yesterday].accepted) == (2, cash, 0)
    assert rows[local_today()].failed == 1
    assert {r.day: r for r in desk_rows(origin.id)}[yesterday].accepted == 3

    auth.login(clerk)
    client.get("/lang/en")
    page = client.get("/clerk/dashboard").get_data(as_text=True)
    assert "<svg" in page and f"{cash:,} ₫" in page and here.code in page  # English page, English digits
    csv_rows = read_csv(client.get("/clerk/dashboard/desk.csv?days=30"))
    assert csv_rows[0] == ["Day", "Accepted", "Delivered", "Failed", "Cash collected (₫)"] and len(csv_rows) == 31
    assert [yesterday.isoformat(), "0", "2", "0", str(cash)] in csv_rows
    auth.logout()
    auth.login(other_clerk)  # the origin point sees its acceptances, not the other point's deliveries
    assert [yesterday.isoformat(), "3", "0", "0", "0"] in read_csv(client.get("/clerk/dashboard/desk.csv?days=30"))
    auth.logout()
    auth.login(make_user("clerk"))  # a clerk without a service point
    assert client.get("/clerk/dashboard").status_code == 404
    auth.logout()
    auth.login(buyer)
    assert client.get("/clerk/dashboard").status_code == 403


def desk_rows(point_id):
    from marketplace.dashboards import clerk

    return clerk.desk_by_day(point_id, 7)


def test_active_service_points_count_only_open_points(db, make_point):
    make_point()
    closed = make_point()
    closed.active = False
    db.session.commit()
    assert strategy.active_service_points() == 1
