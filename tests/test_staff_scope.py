"""Staff power is bounded by the service point: a clerk sees and changes only his point's work, through one rule
(`staff.scope`); administrators reach everywhere; every staff action lands in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.households.models import HouseholdStatus
from marketplace.notifications.models import Notification
from marketplace.orders.models import Order, OrderStatus as S
from marketplace.orders.services import advance
from marketplace.staff.models import AuditEntry
from tests.fixtures.factories import HANOI_WARD, SAIGON_WARD
from tests.fixtures.postal import HANOI_WARD_2


@pytest.fixture
def two_points(make_point, make_clerk, make_household, make_listing, make_address, make_user, buyer, place,
               saigon_address, db):
    """Point A (Hoàn Kiếm) serves household A; point B (Cửa Nam) serves household B; buyers live in Sài Gòn.
    Household A has a pending twin, a listing, a digital address and an order waiting for confirmation."""

    class W:
        point_a = make_point(HANOI_WARD, code="BC10001", name="Bưu cục Hoàn Kiếm")
        point_b = make_point(HANOI_WARD_2, code="BC10002", name="Bưu cục Cửa Nam")
        point_sg = make_point(SAIGON_WARD, code="BC70001", name="Bưu cục Sài Gòn")
        clerk_a = make_clerk(point_a, name="Thư Hoàn Kiếm")
        clerk_b = make_clerk(point_b, name="Thư Cửa Nam")
        admin = make_user("admin", name="Quản trị viên")
        household_a = make_household(ward_code=HANOI_WARD, name="Hộ Hoàn Kiếm")
        household_b = make_household(ward_code=HANOI_WARD_2, name="Hộ Cửa Nam")
        pending_a = make_household(ward_code=HANOI_WARD, name="Hộ chờ Hoàn Kiếm", verified=False)
        pending_b = make_household(ward_code=HANOI_WARD_2, name="Hộ chờ Cửa Nam", verified=False)
        listing_a = make_listing(household_a, title="Cam Canh", stock=20)
        listing_b = make_listing(household_b, title="Bưởi Diễn", stock=20)

    W.address_a = make_address(W.household_a.user, ward_code=HANOI_WARD)
    W.address_a.household_id = W.household_a.id
    W.order_a = place(buyer, {W.listing_a.id: 1}, addr=saigon_address()).orders[0]
    W.order_b = place(buyer, {W.listing_b.id: 1}, addr=saigon_address()).orders[0]
    db.session.commit()
    return W


def test_households_are_routed_to_their_serving_point(two_points):
    w = two_points
    assert w.household_a.service_point_id == w.point_a.id
    assert w.household_b.service_point_id == w.point_b.id


def _urls(w) -> list[tuple[str, str]]:
    return [
        ("get", f"/orders/{w.order_a.id}"),
        ("post", f"/orders/{w.order_a.id}/status/confirmed"),
        ("post", f"/orders/{w.order_a.id}/status/rejected"),
        ("get", f"/buu-cuc/ho/{w.household_a.id}"),
        ("post", f"/buu-cuc/ho/{w.household_a.id}/phieu.pdf"),
        ("get", f"/buu-cuc/ho/{w.household_a.id}/san-pham/{w.listing_a.id}"),
        ("get", f"/buu-cuc/ho/{w.household_a.id}/san-pham/moi"),
        ("post", f"/households/{w.pending_a.id}/verify"),
        ("get", f"/households/{w.pending_a.id}/review"),
        ("post", f"/dia-chi/{w.address_a.code}/xac-minh"),
    ]


def test_a_clerk_of_another_point_reaches_none_of_this_points_work(client, auth, db, two_points):
    w = two_points
    auth.login(w.clerk_b)
    for method, url in _urls(w):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    db.session.expire_all()
    assert db.session.get(Order, w.order_a.id).status is S.PLACED
    assert w.pending_a.status is HouseholdStatus.PENDING and w.address_a.verified_at is None
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    pending_page = client.get("/households/pending").get_data(as_text=True)
    assert "Hộ chờ Cửa Nam" in pending_page and "Hộ chờ Hoàn Kiếm" not in pending_page


def test_the_clerk_of_the_point_and_an_administrator_do_reach_it(client, auth, db, two_points):
    w = two_points
    auth.login(w.clerk_a)
    assert client.get(f"/orders/{w.order_a.id}").status_code == 200
    assert client.get(f"/buu-cuc/ho/{w.household_a.id}").status_code == 200
    assert client.get(f"/buu-cuc/ho/{w.household_a.id}/san-pham/{w.listing_a.id}").status_code == 200
    assert client.post(f"/orders/{w.order_a.id}/status/confirmed").status_code == 302
    assert client.post(f"/households/{w.pending_a.id}/verify", data={"checked": "1"}).status_code == 302
    assert client.post(f"/dia-chi/{w.address_a.code}/xac-minh").status_code == 302
    pending_page = client.get("/households/pending").get_data(as_text=True)
    assert "Hộ chờ Cửa Nam" not in pending_page
    assert client.get(f"/orders/{w.order_b.id}").status_code == 404  # household B is point B's
    auth.logout()
    auth.login(w.admin)
    assert client.get(f"/orders/{w.order_b.id}").status_code == 200
    assert client.post(f"/households/{w.pending_b.id}/verify", data={"checked": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Order, w.order_a.id).status is S.CONFIRMED
    assert w.pending_a.is_verified and w.pending_b.is_verified and w.address_a.verified_by_id == w.clerk_a.id
    actions = {(e.action, e.actor_id) for e in db.session.scalars(select(AuditEntry))}
    assert actions == {
        ("order.move", w.clerk_a.id),
        ("household.verify", w.clerk_a.id),
        ("address.verify", w.clerk_a.id),
        ("household.verify", w.admin.id),
    }


@pytest.mark.parametrize("who", ["clerk_a", "admin"])
@pytest.mark.parametrize("target", ["handed_over", "in_transit", "out_for_delivery", "delivered", "returned"])
def test_no_status_form_moves_an_order_along_the_parcels_journey(client, auth, db, two_points, who, target):
    w = two_points
    order = w.order_a
    advance(order, S.CONFIRMED, order.household.user)
    advance(order, S.READY_FOR_HANDOVER, order.household.user)
    db.session.commit()
    auth.login(getattr(w, who))
    response = client.post(f"/orders/{order.id}/status/{target}", follow_redirects=True)
    assert response.status_code == 200
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status is S.READY_FOR_HANDOVER and order.payment_status.value == "cod_pending"
    from marketplace.orders.conservation import check

    assert check().ok


def test_the_round_page_names_only_the_points_own_staff(client, auth, db, two_points, buyer):
    w = two_points
    auth.login(w.clerk_b)
    response = client.get("/buu-cuc/round", query_string={"postman": buyer.id})
    assert response.status_code == 404 and buyer.name not in response.get_data(as_text=True)
    response = client.get("/buu-cuc/round", query_string={"postman": w.clerk_a.id})
    assert response.status_code == 404 and w.clerk_a.name not in response.get_data(as_text=True)
    assert client.get("/buu-cuc/round", query_string={"postman": w.clerk_b.id}).status_code == 200


def test_a_sign_in_sheet_only_for_households_without_a_password_of_their_own(client, auth, db, two_points):
    """A household that signed up online chose its password: a clerk cannot print one over it (that would take the
    account over). A household registered at the counter gets its sheet, is told, and the act is audited."""
    from marketplace.timeutil import utcnow

    w = two_points
    w.household_a.user.password_chosen_at = utcnow()  # signed up online with its own password
    db.session.commit()
    auth.login(w.clerk_a)
    page = client.get(f"/buu-cuc/ho/{w.household_a.id}").get_data(as_text=True)
    assert "phieu.pdf" not in page
    response = client.post(f"/buu-cuc/ho/{w.household_a.id}/phieu.pdf")
    assert response.status_code == 302 and response.mimetype != "application/pdf"
    db.session.expire_all()
    assert w.household_a.user.must_change_password is False
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0

    w.household_a.onboarded_by_id = w.clerk_a.id  # registered at the counter: the clerk may print a new sheet
    db.session.commit()
    response = client.post(f"/buu-cuc/ho/{w.household_a.id}/phieu.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    db.session.expire_all()
    assert w.household_a.user.must_change_password is True
    told = db.session.scalars(select(Notification.kind).where(Notification.user_id == w.household_a.user_id)).all()
    assert "sign_in_sheet" in told
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.point_id, entry.household_id) == (
        "household.sign_in_sheet", w.clerk_a.id, w.point_a.id, w.household_a.id
    )


def test_a_household_registered_at_the_counter_is_marked_as_such_and_audited(client, auth, db, two_points):
    w = two_points
    auth.login(w.clerk_a)
    response = client.post(
        "/buu-cuc/ho/moi",
        data={
            "name": "Hộ bà Tư",
            "representative": "Nguyễn Thị Tư",
            "phone": "0913 222 333",
            "ward": str(HANOI_WARD),
            "address_line": "Ngõ 5 Hàng Bạc",
            "lat": "21.0290",
            "lng": "105.8530",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    from marketplace.households.models import Household

    household = db.session.scalar(select(Household).where(Household.name == "Hộ bà Tư"))
    assert household.onboarded_by_id == w.clerk_a.id and household.service_point_id == w.point_a.id
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[:2] == ["household.register", "household.verify"] and "address.verify" in actions


def test_the_audit_log_is_the_administrators_and_filters_by_point_action_and_household(client, auth, db, two_points):
    w = two_points
    auth.login(w.clerk_a)
    client.post(f"/orders/{w.order_a.id}/status/confirmed")
    client.post(f"/households/{w.pending_a.id}/verify", data={"checked": "1"})
    assert client.get("/admin/audit").status_code == 403
    auth.logout()
    auth.login(w.clerk_b)
    client.post(f"/households/{w.pending_b.id}/verify", data={"checked": "1"})
    auth.logout()
    auth.login(w.admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.count("<tr><td>") == 3 and "Thư Hoàn Kiếm" in page and "Thư Cửa Nam" in page
    assert "BC10001" in page and "DH" in page
    page = client.get("/admin/audit", query_string={"point": "BC10002"}).get_data(as_text=True)
    assert page.count("<tr><td>") == 1 and "Hộ chờ Cửa Nam" in page
    page = client.get("/admin/audit", query_string={"action": "order.move"}).get_data(as_text=True)
    assert page.count("<tr><td>") == 1 and w.order_a.number in page
    page = client.get("/admin/audit", query_string={"household": w.pending_a.id}).get_data(as_text=True)
    assert page.count("<tr><td>") == 1
    page = client.get("/admin/audit", query_string={"actor": w.clerk_b.email or "0" + w.clerk_b.phone[3:]})
    assert page.get_data(as_text=True).count("<tr><td>") == 1
    assert client.get("/admin/audit", query_string={"object_id": "9" * 30}).status_code == 200
    assert client.get("/admin/audit", query_string={"before": "abc", "date_from": "x"}).status_code == 200


def test_audit_entries_cannot_be_changed(db, two_points):
    from marketplace.staff import audit

    entry = audit.record(two_points.admin, "household.verify", "household", 1, "x")
    db.session.commit()
    entry.summary = "y"
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()


def test_a_point_loaded_later_takes_over_the_households_of_its_ward(db, make_household, make_point):
    household = make_household(ward_code=HANOI_WARD_2)
    assert household.service_point_id is None  # no point anywhere yet
    elsewhere = make_point(HANOI_WARD)
    db.session.refresh(household)
    assert household.service_point_id == elsewhere.id  # the province's nearest point serves it meanwhile
    own = make_point(HANOI_WARD_2)
    db.session.refresh(household)
    assert household.service_point_id == own.id
