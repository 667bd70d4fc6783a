"""The cart: guests in the session, buyers stored, merged at sign-in; quantities respect stock, minimum, status."""

from sqlalchemy import select

from marketplace.cart.models import CartLine
from marketplace.catalog.models import ListingStatus, Unit


def test_product_page_has_a_buy_box_and_guest_adds_to_cart(client, make_listing):
    listing = make_listing(title="Bưởi Diễn", price=45_000, weight_grams=1500, unit=Unit.PIECE)
    page = client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert 'action="/cart/add"' in page
    response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    assert response.status_code == 302
    with client.session_transaction() as sess:
        assert sess["cart"] == {str(listing.id): [2, 45_000]}
    page = client.get("/cart/").get_data(as_text=True)
    assert "Bưởi Diễn" in page and "90.000" in page
    assert "30.000 ₫/kg" in page  # 45.000 ₫ for 1.5 kg: buyers compare per-kg prices
    assert 'class="count">2<' in page


def test_asking_for_more_than_is_left_puts_what_is_left_in_the_cart_and_says_so(client, make_listing):
    listing = make_listing(title="Chôm chôm", stock=3)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    page = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2}, follow_redirects=True)
    with client.session_transaction() as sess:
        assert sess["cart"][str(listing.id)][0] == 3
    assert "Chỉ còn 3 kg “Chôm chôm” — giỏ hàng của bạn nay có 3" in page.get_data(as_text=True)
    page = client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1}, follow_redirects=True)
    assert "đã ở trong giỏ" in page.get_data(as_text=True)
    with client.session_transaction() as sess:
        assert sess["cart"][str(listing.id)][0] == 3


def test_minimum_order_quantity_is_enforced(client, make_listing):
    listing = make_listing(min_order_qty=5)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    with client.session_transaction() as sess:
        assert not sess.get("cart")
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 5})
    with client.session_transaction() as sess:
        assert sess["cart"][str(listing.id)][0] == 5


def test_paused_or_unknown_listing_cannot_be_added(client, make_listing):
    listing = make_listing(status=ListingStatus.PAUSED)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    assert client.post("/cart/add", data={"listing_id": 999999, "quantity": 1}).status_code == 302
    assert client.post("/cart/add", data={"listing_id": "abc", "quantity": 1}).status_code == 400
    with client.session_transaction() as sess:
        assert not sess.get("cart")


def test_update_and_remove_lines(client, make_listing):
    listing = make_listing(stock=10)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1})
    client.post(f"/cart/{listing.id}", data={"quantity": 4})
    with client.session_transaction() as sess:
        assert sess["cart"][str(listing.id)][0] == 4
    client.post(f"/cart/{listing.id}", data={"quantity": 40})  # more than the stock: what is left
    with client.session_transaction() as sess:
        assert sess["cart"][str(listing.id)][0] == 10
    client.post(f"/cart/{listing.id}/remove")
    with client.session_transaction() as sess:
        assert sess["cart"] == {}


def test_guest_cart_merges_into_the_stored_cart_at_sign_in(client, auth, db, buyer, make_listing):
    kept = make_listing(title="Cà phê", stock=10)
    both = make_listing(title="Hồ tiêu", stock=4)
    from marketplace.cart import services

    services.store(buyer, {both.id: (2, both.price)})
    db.session.commit()
    client.post("/cart/add", data={"listing_id": kept.id, "quantity": 1})
    client.post("/cart/add", data={"listing_id": both.id, "quantity": 3})
    auth.login(buyer)
    lines = {line.listing_id: line.quantity for line in db.session.scalars(select(CartLine))}
    assert lines == {kept.id: 1, both.id: 4}  # 2 + 3 capped at the stock of 4
    with client.session_transaction() as sess:
        assert "cart" not in sess
    page = client.get("/cart/").get_data(as_text=True)
    assert "Cà phê" in page and "Hồ tiêu" in page


def test_signed_in_buyer_cart_is_stored(client, auth, db, buyer, make_listing):
    listing = make_listing()
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 2})
    line = db.session.scalar(select(CartLine))
    assert (line.listing_id, line.quantity, line.price_seen) == (listing.id, 2, listing.price)


def test_tampered_session_cart_is_ignored(client, make_listing):
    with client.session_transaction() as sess:
        sess["cart"] = {"x": "y", "5": ["a"], "6": -3}
    assert client.get("/cart/").status_code == 200


def test_forms_need_csrf_but_the_webhook_does_not(client, csrf_on, make_listing, app):
    listing = make_listing()
    assert client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1}).status_code == 400
    app.config.update(
        STRIPE_SECRET_KEY="sk_test_x", STRIPE_PUBLISHABLE_KEY="pk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x"
    )
    try:
        response = client.post(
            "/payments/stripe/webhook",
            data=b"{}",
            content_type="application/json",
            headers={"Stripe-Signature": "t=1,v1=00"},
        )
        assert response.status_code == 400 and response.get_json() == {"error": "invalid signature"}
    finally:
        app.config.update(STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="", STRIPE_WEBHOOK_SECRET="")
