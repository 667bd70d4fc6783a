import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from marketplace.postal import desk
from marketplace.postal.models import ParcelStatus, TrackingEvent
from marketplace.postal.parcels import surcharge_for
from tests.fixtures.factories import SAIGON_WARD
from tests.postal_barcode import decode_pdf_barcode


@pytest.mark.parametrize(
    "declared, weighed, expected",
    [
        (1000, 900, 0),
        (1000, 1000, 0),
        (1000, 1001, 5_000),
        (1000, 1500, 5_000),
        (1000, 1501, 10_000),
    ],
)
def test_surcharge_is_charged_per_started_500_g_above_the_declared_weight(app, declared, weighed, expected):
    assert surcharge_for(declared, weighed) == expected
    assert surcharge_for(declared, weighed, rate_per_step=7_000) == expected // 5_000 * 7_000


def _events(db, parcel):
    return [
        (e.code, e.actor_id, e.point_id)
        for e in db.session.scalars(
            select(TrackingEvent).where(TrackingEvent.parcel_id == parcel.id).order_by(TrackingEvent.id)
        )
    ]


def test_the_whole_counter_flow_through_the_desk(client, auth, db, postal_world, make_parcel, make_address):
    w = postal_world
    parcel = make_parcel(w.household, address=make_address(), declared=1000, cod=250_000, perishable=True)
    # origin clerk: scan, weigh (heavier than declared), print the label
    auth.login(w.origin_clerk)
    assert client.get("/buu-cuc").status_code == 200
    scan = client.post("/buu-cuc/scan", data={"tracking": parcel.tracking_number.lower()})
    assert scan.status_code == 302 and scan.location.endswith(f"/buu-cuc/parcels/{parcel.id}")
    page = client.get(f"/buu-cuc/parcels/{parcel.id}").get_data(as_text=True)
    assert "Trần Thị Bưởi" in page
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/accept", data={"weighed_grams": "1600"}).status_code == 302
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.ACCEPTED and parcel.weighed_weight_grams == 1600
    assert parcel.surcharge == 10_000
    assert "1,6 kg" in parcel.surcharge_reason and w.origin.code in parcel.surcharge_reason
    label = client.get(f"/buu-cuc/parcels/{parcel.id}/label.pdf")
    assert label.status_code == 200 and label.mimetype == "application/pdf"
    assert decode_pdf_barcode(PdfReader(io.BytesIO(label.data))) == parcel.tracking_number
    auth.logout()
    # destination clerk: receive, send out, a failed attempt, then delivery with the cash
    auth.login(w.destination_clerk)
    assert client.get(f"/buu-cuc/parcels/{parcel.id}/label.pdf").status_code == 404
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/receive").status_code == 302
    postman = w.destination_clerk
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/out", data={"postman": postman.id}).status_code == 302
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/fail", data={"reason": "unreachable"}).status_code == 302
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.DELIVERY_FAILED and parcel.failed_attempts == 1
    client.post(f"/buu-cuc/parcels/{parcel.id}/out", data={"postman": postman.id})
    wrong = client.post(f"/buu-cuc/parcels/{parcel.id}/deliver", data={"cod_collected": "200.000"})
    assert wrong.status_code == 302
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.OUT_FOR_DELIVERY
    client.post(f"/buu-cuc/parcels/{parcel.id}/deliver", data={"cod_collected": "250.000 ₫"})
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.DELIVERED and parcel.cod_collected == 250_000
    o, d = w.origin_clerk.id, w.destination_clerk.id
    assert _events(db, parcel) == [
        ("EMA", o, w.origin.id),
        ("EMG", d, w.destination.id),
        ("EDG", d, w.destination.id),
        ("EMH", d, w.destination.id),
        ("EDG", d, w.destination.id),
        ("EMI", d, w.destination.id),
    ]
    public = client.get(f"/tra-cuu/{parcel.tracking_number}").get_data(as_text=True)
    assert public.count("<li>") >= 6


def test_a_clerk_of_another_point_gets_404_and_nothing_changes(
    client, auth, db, postal_world, make_parcel, make_point, make_clerk
):
    parcel = make_parcel(postal_world.household)
    stranger = make_clerk(make_point(SAIGON_WARD, code="BC79999"))
    auth.login(stranger)
    for method, url, data in [
        ("get", f"/buu-cuc/parcels/{parcel.id}", None),
        ("get", f"/buu-cuc/parcels/{parcel.id}/label.pdf", None),
        ("post", f"/buu-cuc/parcels/{parcel.id}/accept", {"weighed_grams": "900"}),
        ("post", f"/buu-cuc/parcels/{parcel.id}/receive", {}),
        ("post", f"/buu-cuc/parcels/{parcel.id}/fail", {"reason": "refused"}),
        ("post", f"/buu-cuc/parcels/{parcel.id}/deliver", {"cod_collected": "0"}),
    ]:
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 404, url
    scan = client.post("/buu-cuc/scan", data={"tracking": parcel.tracking_number})
    assert scan.status_code == 302 and scan.location.endswith("/buu-cuc")
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.CREATED and parcel.weighed_weight_grams is None
    assert db.session.scalar(select(func.count()).select_from(TrackingEvent)) == 0


def test_the_origin_clerk_cannot_do_the_delivery_steps(client, auth, db, postal_world, make_parcel):
    parcel = make_parcel(postal_world.household)
    auth.login(postal_world.origin_clerk)
    client.post(f"/buu-cuc/parcels/{parcel.id}/accept", data={"weighed_grams": "900"})
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/receive").status_code == 404
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.ACCEPTED and parcel.surcharge == 0


@pytest.mark.parametrize("role", ["buyer", "household"])
def test_the_desk_is_for_clerks_only(client, auth, make_user, role):
    auth.login(make_user(role))
    assert client.get("/buu-cuc").status_code == 403


def test_a_clerk_without_a_point_is_told_so(client, auth, make_user):
    auth.login(make_user("clerk"))
    assert client.get("/buu-cuc").status_code == 403


def test_accepting_twice_is_refused_with_a_message(client, auth, db, postal_world, make_parcel):
    parcel = make_parcel(postal_world.household)
    auth.login(postal_world.origin_clerk)
    client.post(f"/buu-cuc/parcels/{parcel.id}/accept", data={"weighed_grams": "900"})
    client.post(f"/buu-cuc/parcels/{parcel.id}/accept", data={"weighed_grams": "5000"})
    db.session.refresh(parcel)
    assert parcel.weighed_weight_grams == 900
    assert db.session.scalar(select(func.count()).select_from(TrackingEvent)) == 1


def test_delivery_round_is_in_nearest_neighbour_order_from_the_point(
    db, postal_world, make_parcel, make_address, make_clerk, client, auth
):
    w = postal_world
    point = w.destination  # at 10.7769, 106.7009
    far = make_parcel(w.household, address=make_address(lat=10.7769 + 0.03, lng=106.7009))
    near = make_parcel(w.household, address=make_address(lat=10.7769 + 0.001, lng=106.7009))
    middle = make_parcel(w.household, address=make_address(lat=10.7769 + 0.01, lng=106.7009))
    no_address = make_parcel(w.household)
    for p in (far, near, middle, no_address):
        desk.accept(w.origin_clerk, p, 900)
        desk.receive(w.destination_clerk, p)
    db.session.commit()
    postman = make_clerk(point)
    route = desk.build_round(w.destination_clerk, postman)
    db.session.commit()
    assert [p.id for p in route] == [near.id, middle.id, far.id, no_address.id]
    assert all(p.postman_id == postman.id for p in route)
    auth.login(w.destination_clerk)
    page = client.get("/buu-cuc/round", query_string={"postman": postman.id}).get_data(as_text=True)
    assert page.index(near.tracking_number[:2] + " " + near.tracking_number[2:5]) > 0
    assert client.post("/buu-cuc/round", data={"postman": postman.id}).status_code == 302


def test_a_postman_of_another_point_cannot_take_a_round(db, postal_world, make_clerk):
    from marketplace.postal.errors import NotAllowed

    with pytest.raises(NotAllowed):
        desk.build_round(postal_world.destination_clerk, postal_world.origin_clerk)


def test_a_refusal_at_the_door_sends_the_parcel_back_and_the_origin_hands_it_back(
    client, auth, db, postal_world, make_parcel
):
    w = postal_world
    parcel = make_parcel(w.household)
    desk.accept(w.origin_clerk, parcel, 900)
    desk.receive(w.destination_clerk, parcel)
    desk.out_for_delivery(w.destination_clerk, parcel)
    desk.fail_attempt(w.destination_clerk, parcel, "refused")
    db.session.commit()
    assert parcel.status is ParcelStatus.RETURNING and parcel.failed_attempts == 1
    auth.login(w.destination_clerk)
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/hand-back").status_code == 404
    auth.logout()
    auth.login(w.origin_clerk)
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/hand-back").status_code == 302
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.RETURNED


def test_the_days_label_sheet_has_every_parcel_waiting_at_the_origin(client, auth, db, postal_world, make_parcel):
    parcels = [make_parcel(postal_world.household) for _ in range(5)]
    auth.login(postal_world.origin_clerk)
    response = client.get("/buu-cuc/labels.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    from tests.postal_barcode import decode_pdf_barcodes

    reader = PdfReader(io.BytesIO(response.data))
    decoded = [code for i in range(len(reader.pages)) for code in decode_pdf_barcodes(reader, i)]
    assert decoded == [p.tracking_number for p in parcels]
    auth.logout()
    auth.login(postal_world.destination_clerk)
    assert client.get("/buu-cuc/labels.pdf").status_code == 302
