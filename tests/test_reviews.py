"""Reviews: only the buyer of a delivered order line reviews it, once; the household answers; an admin hides."""

import pytest
from sqlalchemy import func, select, update

from marketplace.catalog.models import Listing
from marketplace.notifications.models import Notification
from marketplace.reviews import services
from marketplace.reviews.errors import EditWindowClosed, NotReviewable, NotYourReview
from marketplace.reviews.models import Review, ReviewAnswer
from tests.fixtures.people import days_ago
from tests.test_catalog import QueryCounter


def _review_url(order):
    return f"/orders/{order.id}/lines/{order.lines[0].id}/review"


def _count(db, model=Review):
    return db.session.scalar(select(func.count()).select_from(model))


def test_buyer_reviews_a_delivered_line_and_it_shows_with_the_rating(client, auth, db, buyer, delivered_order):
    order = delivered_order()
    auth.login(buyer)
    client.get("/lang/en")
    assert "Review this product" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    response = client.post(_review_url(order), data={"stars": "4", "body": "Cam ngọt, mọng nước"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/orders/{order.id}")
    review = db.session.scalar(select(Review))
    assert (review.stars, review.body, review.buyer_id, review.listing_id) == (
        4,
        "Cam ngọt, mọng nước",
        buyer.id,
        order.lines[0].listing_id,
    )
    listing = db.session.get(Listing, review.listing_id)
    assert (listing.rating_avg, listing.rating_count) == (4.0, 1)
    page = client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Cam ngọt, mọng nước" in page and "4/5" in page


def test_review_link_appears_only_on_a_delivered_order_for_its_buyer(
    client, auth, db, buyer, delivered_order, place, make_listing
):
    delivered = delivered_order()
    open_order = place(buyer, {make_listing(stock=5).id: 1}).orders[0]
    auth.login(buyer)
    assert _review_url(delivered) in client.get(f"/orders/{delivered.id}").get_data(as_text=True)
    assert "/review" not in client.get(f"/orders/{open_order.id}").get_data(as_text=True)


def test_only_the_buyer_of_a_delivered_order_can_review(
    client, auth, db, buyer, make_user, delivered_order, place, make_listing
):
    order = delivered_order()
    stranger = make_user("buyer")
    auth.login(stranger)
    assert client.get(_review_url(order)).status_code == 404
    assert client.post(_review_url(order), data={"stars": "1", "body": "spam"}).status_code == 404
    auth.logout()
    undelivered = place(buyer, {make_listing(stock=5).id: 1}).orders[0]
    auth.login(buyer)
    assert client.post(_review_url(undelivered), data={"stars": "5"}).status_code == 404
    # a line of one order under another order's address is not found either
    assert (
        client.post(f"/orders/{undelivered.id}/lines/{order.lines[0].id}/review", data={"stars": "5"}).status_code
        == 404
    )
    assert _count(db) == 0
    with pytest.raises(NotReviewable):
        services.write_review(order.household.user, order.lines[0].id, 5)


def test_one_review_per_line_a_second_post_edits_it_within_30_days(client, auth, db, buyer, delivered_order):
    order = delivered_order()
    auth.login(buyer)
    client.post(_review_url(order), data={"stars": "2", "body": "Hơi chua"})
    client.post(_review_url(order), data={"stars": "5", "body": "Lần sau ngọt hơn"})
    assert _count(db) == 1
    review = db.session.scalar(select(Review))
    assert (review.stars, review.body) == (5, "Lần sau ngọt hơn")
    assert db.session.get(Listing, review.listing_id).rating_count == 1
    db.session.execute(update(Review).values(created_at=days_ago(31)))
    db.session.commit()
    client.get("/lang/en")
    response = client.post(_review_url(order), data={"stars": "1", "body": "đổi ý"})
    assert response.status_code == 400 and "within 30 days" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Review.stars)) == 5
    with pytest.raises(EditWindowClosed):
        services.write_review(buyer, order.lines[0].id, 1)


@pytest.mark.parametrize(
    "data",
    [{"stars": "0"}, {"stars": "6"}, {"stars": ""}, {"stars": "abc"}, {}, {"stars": "5", "body": "x" * 2001}],
    ids=["zero", "six", "empty", "text", "missing", "text-too-long"],
)
def test_bad_review_input_gives_a_form_error_and_saves_nothing(client, auth, db, buyer, delivered_order, data):
    order = delivered_order()
    auth.login(buyer)
    response = client.post(_review_url(order), data=data)
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert _count(db) == 0


def test_stars_without_text_are_a_review(client, auth, db, buyer, delivered_order):
    order = delivered_order()
    auth.login(buyer)
    assert client.post(_review_url(order), data={"stars": "3", "body": "   "}).status_code == 302
    assert db.session.scalar(select(Review.body)) == ""


def test_review_form_needs_the_csrf_token(client, auth, db, buyer, delivered_order, csrf_on):
    order = delivered_order()
    client.application.config["WTF_CSRF_ENABLED"] = False
    auth.login(buyer)
    client.application.config["WTF_CSRF_ENABLED"] = True
    assert client.post(_review_url(order), data={"stars": "5"}).status_code == 400
    assert _count(db) == 0


def test_household_answers_only_reviews_of_its_own_products(client, auth, db, buyer, delivered_order, make_household):
    order = delivered_order()
    review = services.write_review(buyer, order.lines[0].id, 4, "Ngon")
    db.session.commit()
    other = make_household()
    auth.login(other.user)
    assert client.post(f"/reviews/{review.id}/answer", data={"body": "Cảm ơn"}).status_code == 404
    auth.logout()
    assert _count(db, ReviewAnswer) == 0
    auth.login(order.household.user)
    assert "Ngon" in client.get("/my/reviews").get_data(as_text=True)
    assert client.post(f"/reviews/{review.id}/answer", data={"body": "Cảm ơn chị đã ủng hộ!"}).status_code == 302
    client.post(f"/reviews/{review.id}/answer", data={"body": "Cảm ơn chị nhiều!"})
    assert _count(db, ReviewAnswer) == 1
    told = db.session.scalars(select(Notification).where(Notification.user_id == buyer.id,
                                                         Notification.kind == "review_answered")).all()
    assert len(told) == 1 and told[0].order_id == order.id  # once, not again when the answer is reworded
    auth.logout()
    auth.login(buyer)
    assert "Hộ sản xuất đã trả lời đánh giá của bạn" in client.get("/notifications/").get_data(as_text=True)
    auth.logout()
    auth.login(order.household.user)
    page = client.get(f"/p/{order.lines[0].listing_id}").get_data(as_text=True)
    assert "Cảm ơn chị nhiều!" in page
    with pytest.raises(NotYourReview):
        services.answer_review(buyer, review.id, "Tôi không phải hộ")


def test_admin_hides_an_abusive_review_and_it_leaves_the_average(
    client, auth, db, buyer, make_user, staff, delivered_order, make_listing
):
    listing = make_listing(title="Bưởi Diễn", stock=50)
    first = delivered_order(listing)
    second = delivered_order(listing, who=make_user("buyer"))
    services.write_review(buyer, first.lines[0].id, 5, "Tuyệt vời")
    services.write_review(second.buyer, second.lines[0].id, 1, "Lời lẽ xúc phạm")
    db.session.commit()
    db.session.refresh(listing)
    assert (listing.rating_avg, listing.rating_count) == (3.0, 2)
    assert services.ratings_for([listing.id]) == {listing.id: (3.0, 2)}

    abusive = db.session.scalar(select(Review).where(Review.stars == 1))
    auth.login(buyer)
    assert client.post(f"/admin/reviews/{abusive.id}/hide").status_code == 403
    auth.logout()
    auth.login(staff)
    assert "Lời lẽ xúc phạm" in client.get("/admin/reviews").get_data(as_text=True)
    assert client.post(f"/admin/reviews/{abusive.id}/hide", data={"reason": "xúc phạm"}).status_code == 302
    db.session.refresh(listing)
    assert (listing.rating_avg, listing.rating_count) == (5.0, 1)
    assert services.ratings_for([listing.id]) == {listing.id: (5.0, 1)}
    assert services.household_rating(listing.household_id) == (5.0, 1)
    page = client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Lời lẽ xúc phạm" not in page and "Tuyệt vời" in page
    client.post(f"/admin/reviews/{abusive.id}/show")
    db.session.refresh(listing)
    assert listing.rating_count == 2
    assert client.post(f"/admin/reviews/{abusive.id}/delete").status_code == 404


def test_rating_sort_puts_the_best_rated_first_and_unrated_last(
    client, db, buyer, make_user, make_listing, make_category, delivered_order
):
    fruit = make_category(slug="trai-cay")
    unrated = make_listing(category=fruit, title="Chưa ai chấm", stock=10)
    good = make_listing(category=fruit, title="Được khen", stock=10)
    fair = make_listing(category=fruit, title="Tạm được", stock=10)
    for listing, stars in ((good, 5), (fair, 3)):
        order = delivered_order(listing)
        services.write_review(buyer, order.lines[0].id, stars)
    db.session.commit()
    page = client.get("/c/trai-cay?sort=rating").get_data(as_text=True)
    assert page.index("Được khen") < page.index("Tạm được") < page.index("Chưa ai chấm")
    assert unrated.id not in services.ratings_for([unrated.id, good.id])
    assert services.ratings_for([]) == {}


def test_delivery_time_seen_on_past_orders_shows_on_product_and_storefront(
    client, db, delivered_order, make_listing, make_household
):
    household = make_household()
    listing = make_listing(household, stock=50)
    for days in (1, 2, 4):
        delivered_order(listing, placed_at=days_ago(10), delivered_at=days_ago(10 - days))
    assert services.delivery_days(household.id) == 2.0
    client.get("/lang/en")
    assert "Usually delivered in 2 days" in client.get(f"/p/{listing.id}").get_data(as_text=True)
    assert "Usually delivered in 2 days" in client.get(f"/h/{household.id}").get_data(as_text=True)
    fresh = make_household()
    assert services.delivery_days(fresh.id) is None
    assert "No deliveries yet" in client.get(f"/p/{make_listing(fresh).id}").get_data(as_text=True)


def test_product_page_query_count_does_not_grow_with_reviews(
    client, db, buyer, make_user, make_listing, delivered_order, uncached
):
    listing = make_listing(stock=50)
    order = delivered_order(listing)
    services.write_review(buyer, order.lines[0].id, 4, "Một")
    db.session.commit()
    client.get(f"/p/{listing.id}")
    with QueryCounter(db.engine) as few:
        client.get(f"/p/{listing.id}")
    for i in range(4):
        other = make_user("buyer")
        order = delivered_order(listing, who=other)
        review = services.write_review(other, order.lines[0].id, 5, f"Nhận xét {i}")
        services.answer_review(listing.household.user, review.id, "Cảm ơn")
    db.session.commit()
    with QueryCounter(db.engine) as many:
        client.get(f"/p/{listing.id}")
    assert many.count == few.count


def test_listing_card_shows_the_rating(client, db, buyer, make_listing, delivered_order):
    listing = make_listing(title="Nhãn lồng", stock=50)
    services.write_review(buyer, delivered_order(listing).lines[0].id, 5)
    db.session.commit()
    assert "★ 5/5 (1)" in client.get(f"/h/{listing.household_id}").get_data(as_text=True)


def test_concurrent_reviews_of_one_listing_are_all_counted(app, db, make_user, make_listing, delivered_order):
    import threading

    listing = make_listing(title="Xoài cát", stock=100)
    buyers = [make_user("buyer") for _ in range(4)]
    lines = [(b.id, delivered_order(listing, who=b).lines[0].id) for b in buyers]
    barrier = threading.Barrier(len(lines))
    errors = []

    def review(buyer_id, line_id, stars):
        with app.app_context():
            from marketplace.accounts.models import User

            try:
                buyer = db.session.get(User, buyer_id)
                barrier.wait(timeout=10)
                services.write_review(buyer, line_id, stars, "cùng lúc")
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=review, args=(b, line, s)) for (b, line), s in zip(lines, (5, 4, 3, 2), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    db.session.expire_all()
    listing = db.session.get(Listing, listing.id)
    assert (listing.rating_count, listing.rating_avg) == (4, 3.5)


def test_product_and_storefront_show_valid_certificates_with_their_expiry(client, db, make_household, make_listing):
    from datetime import date

    from marketplace.households.models import Certification, CertificationKind

    household = make_household()
    db.session.add(
        Certification(household=household, kind=CertificationKind.VIETGAP, number="VG-77", expires_on=date(2031, 5, 12))
    )
    db.session.add(
        Certification(household=household, kind=CertificationKind.ORGANIC, number="HC-01", expires_on=date(2020, 1, 1))
    )
    db.session.commit()
    listing = make_listing(household)
    client.get("/lang/en")
    for url in (f"/p/{listing.id}", f"/h/{household.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "VietGAP certificate no. VG-77, valid until 12/05/2031" in page
        assert "HC-01" not in page  # expired certificates are not shown


def test_a_review_can_carry_up_to_three_photos_and_new_ones_replace_them(client, auth, db, buyer, delivered_order, app):
    import io
    from pathlib import Path

    from marketplace.reviews.models import ReviewPhoto
    from tests.fixtures.factories import photo_bytes

    order = delivered_order()
    auth.login(buyer)

    def post(*files, **data):
        payload = {"stars": "5", "body": "Hàng về tươi", **data,
                   "photos": [(io.BytesIO(content), name) for name, content in files]}
        return client.post(_review_url(order), data=payload, content_type="multipart/form-data")

    four = [(f"anh{n}.jpg", photo_bytes()) for n in range(4)]
    refused = post(*four)
    assert refused.status_code == 400 and "tối đa 3 ảnh" in refused.get_data(as_text=True)
    not_a_photo = post(("hoadon.pdf", b"%PDF-1.4 not a picture"))
    assert not_a_photo.status_code == 400 and "hoadon.pdf" in not_a_photo.get_data(as_text=True)
    assert _count(db) == 0

    assert post(("cam.jpg", photo_bytes()), ("thung.png", photo_bytes("PNG"))).status_code == 302
    first = db.session.scalars(select(ReviewPhoto).order_by(ReviewPhoto.position)).all()
    assert len(first) == 2 and all(p.filename.startswith("reviews/") and p.filename.endswith(".webp") for p in first)
    uploads = Path(app.config["UPLOAD_DIR"])
    assert all((uploads / p.filename).exists() and (uploads / p.thumb).exists() for p in first)
    page = client.get(f"/p/{order.lines[0].listing_id}").get_data(as_text=True)
    assert all(f"/media/{p.thumb}" in page for p in first)

    assert post(body="Sửa lời, giữ ảnh").status_code == 302  # no new photo: the old ones stay
    assert _count(db, ReviewPhoto) == 2
    old = [(p.filename, p.thumb) for p in first]
    assert post(("moi.webp", photo_bytes("WEBP"))).status_code == 302
    db.session.expire_all()
    assert _count(db, ReviewPhoto) == 1
    assert not any((uploads / name).exists() for pair in old for name in pair)  # replaced files are deleted
