"""The administrator edits the tariff in the database; every change is recorded; checkout prices follow."""

import pytest
from sqlalchemy import select

from marketplace.postal import tariff
from marketplace.postal.models import Service, TariffChange, TariffRate, Zone


@pytest.fixture
def first_rate(db):
    """The lightest same-province standard step; its seeded fees are put back after the test (seed data is kept)."""
    rate = db.session.scalar(
        select(TariffRate)
        .where(TariffRate.zone == Zone.SAME_PROVINCE, TariffRate.service == Service.STANDARD)
        .order_by(TariffRate.max_grams)
    )
    original = (rate.fee, rate.extra_per_500g)
    yield rate
    db.session.rollback()
    rate = db.session.get(TariffRate, rate.id)
    rate.fee, rate.extra_per_500g = original
    db.session.commit()


def test_admin_changes_a_fee_and_the_change_is_recorded(client, auth, db, make_user, first_rate):
    admin = make_user("admin", name="Chị Quản Trị")
    auth.login(admin)
    assert client.get("/admin/bieu-phi").status_code == 200
    old = first_rate.fee
    response = client.post(
        f"/admin/bieu-phi/{first_rate.id}", data={"fee": "23.500", "extra_per_500g": str(first_rate.extra_per_500g)}
    )
    assert response.status_code == 302
    db.session.refresh(first_rate)
    assert first_rate.fee == 23_500
    change = db.session.scalar(select(TariffChange))
    assert (change.field, change.old_value, change.new_value, change.changed_by_id) == ("fee", old, 23_500, admin.id)
    assert tariff.quote(1, 1, 100, express=False).fee == 23_500
    assert "Chị Quản Trị" in client.get("/admin/bieu-phi").get_data(as_text=True)


@pytest.mark.parametrize("fee", ["-1", "12,5kg", "", "99999999999"])
def test_a_bad_fee_is_refused_and_nothing_changes(client, auth, db, make_user, first_rate, fee):
    auth.login(make_user("admin"))
    before = first_rate.fee
    response = client.post(f"/admin/bieu-phi/{first_rate.id}", data={"fee": fee, "extra_per_500g": "0"})
    assert response.status_code == 400
    db.session.refresh(first_rate)
    assert first_rate.fee == before and db.session.scalar(select(TariffChange)) is None


@pytest.mark.parametrize("role", ["clerk", "household", "buyer"])
def test_only_admins_edit_the_tariff(client, auth, make_user, first_rate, role):
    auth.login(make_user(role))
    assert client.get("/admin/bieu-phi").status_code == 403
    assert client.post(f"/admin/bieu-phi/{first_rate.id}", data={"fee": "1", "extra_per_500g": "1"}).status_code == 403
