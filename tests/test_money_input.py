"""Amounts typed by people are read one way everywhere: whole đồng with Vietnamese grouping; a decimal part is
refused with a reason, never silently read as thousands; every quantity has a bound with a form message."""

import pytest

from marketplace.money import AmountTooLarge, DecimalAmount, InvalidAmount, NegativeAmount, parse_vnd


@pytest.mark.parametrize(
    "typed, value",
    [
        ("45000", 45_000),
        ("45.000", 45_000),
        ("45 000", 45_000),
        ("45\u00a0000", 45_000),
        ("45,000", 45_000),
        ("1.250.000 ₫", 1_250_000),
        ("1.250.000đ", 1_250_000),
        ("1 250 000 VND", 1_250_000),
        ("85.000 đồng", 85_000),
        ("0", 0),
        ("", None),
        ("   ", None),
    ],
)
def test_vietnamese_ways_of_writing_an_amount(typed, value):
    assert parse_vnd(typed) == value


@pytest.mark.parametrize("typed", ["12.5", "12,5", "12.50", "45.000,5", "1.250.000,00", ".5", "0,99"])
def test_a_decimal_part_is_refused_with_the_reason(app, typed):
    with pytest.raises(DecimalAmount) as info:
        parse_vnd(typed)
    with app.test_request_context():
        assert "decimal" in str(info.value) or "thập phân" in str(info.value)


@pytest.mark.parametrize("typed", ["1.25.000", "12.3456", "1,250.000", "abc", "mười nghìn", "²", "①", "١٢٣", "4 5"])
def test_anything_else_is_not_an_amount(typed):
    with pytest.raises(InvalidAmount):
        parse_vnd(typed)


def test_negative_and_huge_amounts_are_refused():
    with pytest.raises(NegativeAmount):
        parse_vnd("-5.000")
    with pytest.raises(AmountTooLarge):
        parse_vnd("1" + "0" * 19)
    with pytest.raises(AmountTooLarge):
        parse_vnd("200.000", maximum=100_000)


def test_the_tariff_admin_refuses_a_decimal_fee_and_keeps_the_old_one(client, auth, db, make_user):
    from sqlalchemy import select

    from marketplace.postal.models import TariffRate

    rate = db.session.scalar(select(TariffRate).order_by(TariffRate.id))
    before = rate.fee
    auth.login(make_user("admin"))
    response = client.post(f"/admin/bieu-phi/{rate.id}", data={"fee": "22.5", "extra_per_500g": "5.000"})
    assert response.status_code == 400 and "thập phân" in response.get_data(as_text=True)
    db.session.refresh(rate)
    assert rate.fee == before


def test_cart_quantities_far_out_of_range_get_a_message_not_a_500(client, db, make_listing):
    listing = make_listing(stock=5)
    for quantity in ("10000000000000000000", "-1", "2.5", "①"):
        response = client.post("/cart/add", data={"listing_id": listing.id, "quantity": quantity})
        assert response.status_code < 500, quantity
