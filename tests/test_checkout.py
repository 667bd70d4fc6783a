"""Checkout: one order per household, shipping from the tariff, stock taken, nothing charged silently."""

from sqlalchemy import func, select

from marketplace.catalog.models import Listing, ListingStatus
from marketplace.notifications.models import Notification
from marketplace.orders.models import Checkout, Order, OrderStatus, PaymentMethod, PaymentStatus
from marketplace.postal.models import Service, Zone
from marketplace.postal.tariff import quote
from tests.fixtures.orders import HANOI_WARD


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def _fill_cart(client, quantities):
    for listing, qty in quantities:
        response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": qty})
        assert response.status_code == 302


def test_buyer_fills_cart_from_three_households_pays_cod_and_gets_three_orders(
    client, auth, db, buyer, three_households, checkout_form, checkout_submit
):
    rau, vai, xoai = three_households
    auth.login(buyer)
    _fill_cart(client, [(rau, 2), (vai, 3), (xoai, 1)])
    page = client.get("/checkout").get_data(as_text=True)
    assert "Rau muống" in page and "Xoài cát" in page

    response = checkout_submit(client, checkout_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    checkout = db.session.scalar(select(Checkout))
    assert response.headers["Location"].endswith(f"/checkout/{checkout.id}/done")
    orders = checkout.orders
    assert len(orders) == 3
    assert {o.household_id for o in orders} == {lst.household_id for lst in three_households}
    assert all(o.status is OrderStatus.PLACED and o.payment_status is PaymentStatus.COD_PENDING for o in orders)
    assert all(o.cod_due == o.goods_total + o.shipping_fee for o in orders)  # for the postman to collect
    assert checkout.payment_method is PaymentMethod.COD
    by_household = {o.household_id: o for o in orders}
    hanoi_order = by_household[rau.household_id]
    assert hanoi_order.goods_total == 30_000
    assert hanoi_order.shipping_fee == quote(1, 1, 1000, express=False).fee == 19_000
    saigon_order = by_household[xoai.household_id]
    assert saigon_order.shipping_fee == quote(79, 1, 1050, express=False).fee
    assert checkout.total == sum(o.goods_total + o.shipping_fee for o in orders)
    assert [line.title for line in by_household[vai.household_id].lines] == ["Vải thiều"]
    assert [db.session.get(Listing, lst.id).stock for lst in three_households] == [8, 7, 9]
    # the cart is empty, every household was told, the confirmation page lists the three orders
    assert client.get("/cart/").get_data(as_text=True).count("Rau muống") == 0
    for listing in three_households:
        assert (
            db.session.scalar(
                select(func.count()).select_from(Notification).where(Notification.user_id == listing.household.user_id)
            )
            == 1
        )
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert all(o.number in done for o in orders)


def test_checkout_explains_why_card_is_not_offered_without_stripe_keys(client, auth, buyer, make_listing, app):
    app.config.update(STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="")
    auth.login(buyer)
    _fill_cart(client, [(make_listing(), 1)])
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="card"' not in page
    assert "Hiện chưa thanh toán được bằng thẻ" in page  # a buyer's sentence, not an operator's


def test_card_choice_is_refused_without_keys(client, auth, db, buyer, make_listing, checkout_form, checkout_submit, app):
    app.config.update(STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="")
    auth.login(buyer)
    _fill_cart(client, [(make_listing(), 1)])
    response = checkout_submit(client, checkout_form(payment_method="card"))
    assert response.status_code == 200
    assert _count(db, Order) == 0


def test_stock_sold_while_the_buyer_looks_at_the_total_is_said_and_nothing_is_placed_blind(
    client, auth, db, buyer, make_listing, checkout_form, checkout_submit
):
    cheap = make_listing(title="Cam sành", stock=5)
    other = make_listing(title="Bưởi da xanh", stock=5)
    auth.login(buyer)
    _fill_cart(client, [(cheap, 3), (other, 2)])
    priced = client.post("/checkout", data=checkout_form(refresh="1")).get_data(as_text=True)
    import re

    shown = re.search(r'name="quoted_total"[^>]*value="(\d+)"', priced).group(1)
    db.session.get(Listing, cheap.id).stock = 1  # somebody else bought them meanwhile
    db.session.commit()
    response = client.post("/checkout", data=checkout_form(quoted_total=shown))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Chỉ còn 1 kg “Cam sành”" in page  # the cart says what it did
    assert _count(db, Order) == 0 and _count(db, Checkout) == 0
    assert db.session.get(Listing, other.id).stock == 5
    response = checkout_submit(client, checkout_form())  # the buyer has seen the new total: it goes through
    assert response.status_code == 302
    assert db.session.get(Listing, cheap.id).stock == 0 and db.session.get(Listing, other.id).stock == 3


def test_price_change_is_flagged_and_needs_a_second_confirmation(client, auth, db, buyer, make_listing, checkout_form, checkout_submit):
    listing = make_listing(title="Sầu riêng", price=100_000)
    auth.login(buyer)
    _fill_cart(client, [(listing, 1)])
    db.session.get(Listing, listing.id).price = 120_000
    db.session.commit()
    response = client.post("/checkout", data=checkout_form())  # a form shown before the price changed
    assert response.status_code == 200
    assert _count(db, Order) == 0
    page = response.get_data(as_text=True)
    assert "100.000 ₫ thành 120.000 ₫" in page  # one plain sentence says what changed
    response = checkout_submit(client, checkout_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(select(Order)).goods_total == 120_000


def test_paused_listing_in_cart_blocks_checkout(client, auth, db, buyer, make_listing, checkout_form, checkout_submit):
    listing = make_listing(title="Na dai")
    auth.login(buyer)
    _fill_cart(client, [(listing, 1)])
    db.session.get(Listing, listing.id).status = ListingStatus.PAUSED
    db.session.commit()
    response = checkout_submit(client, checkout_form())
    assert response.status_code == 302 and response.headers["Location"].endswith("/cart/")
    assert _count(db, Order) == 0 and db.session.get(Listing, listing.id).stock == 10
    page = client.get("/cart/").get_data(as_text=True)
    assert "“Na dai” đang tạm ngừng bán" in page


def test_ward_must_belong_to_the_province(client, auth, db, buyer, make_listing, checkout_form, checkout_submit):
    auth.login(buyer)
    _fill_cart(client, [(make_listing(), 1)])
    response = checkout_submit(client, checkout_form(province="79", ward=str(HANOI_WARD)))
    assert response.status_code == 200 and _count(db, Order) == 0


def test_bad_phone_is_a_form_error(client, auth, db, buyer, make_listing, checkout_form, checkout_submit):
    auth.login(buyer)
    _fill_cart(client, [(make_listing(), 1)])
    response = checkout_submit(client, checkout_form(phone="12345"))
    assert response.status_code == 200 and _count(db, Order) == 0


def test_guest_is_sent_to_sign_in_before_checkout(client, make_listing):
    _fill_cart(client, [(make_listing(), 1)])
    response = client.get("/checkout")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_perishable_goods_ship_express(db, buyer, make_listing, place):
    lychee = make_listing(title="Vải", shelf_life_days=3, weight_grams=1000)
    checkout = place(buyer, {lychee.id: 2})
    order = checkout.orders[0]
    assert order.shipping_service is Service.EXPRESS
    assert order.shipping_fee == quote(1, 1, 2000, express=True).fee


def test_commission_uses_the_category_rate(db, buyer, make_category, make_listing, place):
    category = make_category(commission_bps=1000)
    listing = make_listing(category=category, price=55_000)
    order = place(buyer, {listing.id: 2}).orders[0]
    assert order.commission == 11_000 and order.household_net == 99_000
    assert order.lines[0].commission_bps == 1000


def test_tariff_zones_and_extra_weight(app):
    assert quote(1, 1, 400, False).zone is Zone.SAME_PROVINCE
    assert quote(1, 31, 400, False).zone is Zone.SAME_REGION
    assert quote(79, 1, 400, False).zone is Zone.OTHER_REGION
    assert quote(1, 1, 500, False).fee == 16_000
    assert quote(1, 1, 501, False).fee == 19_000
    top = quote(1, 1, 5000, False).fee
    assert quote(1, 1, 5001, False).fee == top + 2_500
    assert quote(1, 1, 6000, False).fee == top + 2 * 2_500
    assert quote(1, 1, 1000, True).fee > quote(1, 1, 1000, False).fee


def test_update_shipping_button_shows_the_fee_without_placing_the_order(
    client, auth, db, buyer, make_listing, checkout_form, checkout_submit
):
    auth.login(buyer)
    _fill_cart(client, [(make_listing(price=40_000), 1)])
    response = client.post("/checkout", data=checkout_form(refresh="1"))
    assert response.status_code == 200 and _count(db, Order) == 0
    assert "19.000" in response.get_data(as_text=True)  # same-province shipping for 1 kg


def _place_counting(client, db, data):
    """Price the checkout as the page does, then place it, counting the SQL statements of the "place order" request
    up to its commit (jobs run inline after it in tests: in production the worker runs them)."""
    import re

    from sqlalchemy import event

    page = client.post("/checkout", data={**data, "refresh": "1"}).get_data(as_text=True)
    fields = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
              for name in ("quoted_total", "submission")}
    seen, committed = [], []

    def hit(_conn, _cursor, statement, *_args):
        if not committed:
            seen.append(statement)

    def commit(_conn):
        committed.append(True)

    event.listen(db.engine, "before_cursor_execute", hit)
    event.listen(db.engine, "commit", commit)
    try:
        response = client.post("/checkout", data={**data, **fields})
    finally:
        event.remove(db.engine, "before_cursor_execute", hit)
        event.remove(db.engine, "commit", commit)
    assert response.status_code == 302 and "/done" in response.headers["Location"]
    return seen


def test_placing_an_order_takes_a_fixed_number_of_statements_and_a_few_per_household(
    client, auth, db, buyer, make_listing, three_households, checkout_form
):
    """At the Tết peak every checkout counts: placing reads no lists (provinces, wards, pickup points) and loads the
    cart, its listings and the reference data once, whatever the cart holds; each more household adds only its own
    writes (stock, its order's rows, its messages)."""
    auth.login(buyer)
    _fill_cart(client, [(make_listing(title="Bưởi da xanh", stock=5), 1)])
    one = _place_counting(client, db, checkout_form())
    _fill_cart(client, [(listing, 1) for listing in three_households])
    three = _place_counting(client, db, checkout_form())
    assert not [s for s in one if "FROM wards" in s and "wards.code =" not in s]  # no ward list
    assert not [s for s in one if "FROM provinces" in s and "JOIN" not in s]  # no province list
    assert not [s for s in one if "FROM service_points" in s]  # no pickup list: delivery to the door
    assert len(one) <= 22, "\n".join(one)
    # each more household: its stock, order, line, event, two notifications, one-tap link, message preferences and
    # message (SQLite writes them row by row; PostgreSQL batches the inserts of one flush)
    assert len(three) - len(one) <= 2 * 9, "\n".join(three)
    reads = [s for s in three if s.lstrip().upper().startswith("SELECT")]
    assert len([s for s in reads if "FROM listings" in s]) == 1  # the cart's listings in one query, not per line
