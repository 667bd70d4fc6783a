"""The postal network's tracking API is strict: future times are refused, events out of order wait for their turn
and never move a parcel backwards, timestamps leave with their offset, and a cash-on-delivery parcel delivered
only through the API reaches the day close, the ledger and the household's earnings."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from marketplace.orders import ledger
from marketplace.orders.models import OrderStatus as S
from marketplace.postal import reconciliation
from marketplace.postal.models import ParcelStatus, TrackingEvent
from marketplace.timeutil import VN_TZ, utcnow


def _post(client, token, **body):
    return client.post("/api/tracking/events", json=body, headers={"Authorization": f"Bearer {token}"})


def _event(parcel, world, event_id, code, when, **extra):
    point = world.origin if code == "EMA" else world.destination
    return dict(event_id=event_id, tracking_number=parcel.tracking_number, code=code, occurred_at=when.isoformat(),
                point_code=point.code, **extra)


def test_an_event_in_the_future_is_refused_and_does_not_freeze_the_parcel(client, db, postal_world, make_parcel,
                                                                          api_token):
    parcel = make_parcel(postal_world.household)
    far = datetime(2099, 1, 1, 8, tzinfo=VN_TZ)
    response = _post(client, api_token, **_event(parcel, postal_world, "f1", "EMA", far))
    assert response.status_code == 422 and "tương lai" in response.get_json()["error"]
    soon = utcnow() + timedelta(minutes=10)
    assert _post(client, api_token, **_event(parcel, postal_world, "f2", "EMA", soon)).status_code == 422
    within_skew = utcnow() + timedelta(minutes=2)  # a scanner clock a little fast is fine
    assert _post(client, api_token, **_event(parcel, postal_world, "f3", "EMA", within_skew)).status_code == 201
    assert _post(client, api_token, **_event(parcel, postal_world, "f4", "EDD", utcnow() + timedelta(minutes=3)))\
        .status_code == 201
    db.session.expire_all()
    assert parcel.status is ParcelStatus.IN_TRANSIT


def test_events_that_arrive_early_wait_for_the_step_before_them(client, db, postal_world, make_parcel, api_token):
    parcel = make_parcel(postal_world.household, cod=0)
    t0 = utcnow() - timedelta(hours=10)
    assert _post(client, api_token, **_event(parcel, postal_world, "a", "EMA", t0)).status_code == 201
    # the delivery arrives before the arrival at the delivery office and the round: it waits
    early = _post(client, api_token, **_event(parcel, postal_world, "d", "EMI", t0 + timedelta(hours=8)))
    assert early.status_code == 202 and early.get_json()["applied"] is False
    db.session.expire_all()
    assert parcel.status is ParcelStatus.ACCEPTED
    assert client.get(f"/tra-cuu/{parcel.tracking_number}").get_data(as_text=True).count("Đã giao") == 0
    assert _post(client, api_token, **_event(parcel, postal_world, "b", "EMG", t0 + timedelta(hours=5))).status_code \
        == 201
    db.session.expire_all()
    assert parcel.status is ParcelStatus.DELIVERED  # EMG applied, then the waiting EMI
    assert [(e.code, e.applied) for e in db.session.scalars(
        select(TrackingEvent).where(TrackingEvent.parcel_id == parcel.id).order_by(TrackingEvent.occurred_at)
    )] == [("EMA", True), ("EMG", True), ("EMI", True)]


def test_an_old_event_never_moves_a_parcel_back_and_is_not_shown_to_the_public(client, db, postal_world, make_parcel,
                                                                               api_token):
    parcel = make_parcel(postal_world.household)
    t0 = utcnow() - timedelta(hours=10)
    _post(client, api_token, **_event(parcel, postal_world, "a", "EMA", t0))
    _post(client, api_token, **_event(parcel, postal_world, "b", "EMG", t0 + timedelta(hours=5)))
    _post(client, api_token, **_event(parcel, postal_world, "c", "EDG", t0 + timedelta(hours=6)))
    late = _post(client, api_token, **_event(parcel, postal_world, "x", "EMI", t0 + timedelta(hours=1)))
    assert late.status_code == 202  # older than the parcel's status: history, never applied
    db.session.expire_all()
    assert parcel.status is ParcelStatus.OUT_FOR_DELIVERY
    public = client.get(f"/tra-cuu/{parcel.tracking_number}").get_data(as_text=True)
    assert "Đã giao" not in public
    _post(client, api_token, **_event(parcel, postal_world, "y", "EMG", t0 + timedelta(hours=7)))
    db.session.expire_all()
    assert parcel.status is ParcelStatus.OUT_FOR_DELIVERY  # EMG cannot follow a round: it waits, nothing moves back


def test_timestamps_leave_the_api_with_their_offset(client, db, postal_world, make_parcel, api_token):
    parcel = make_parcel(postal_world.household)
    body = _event(parcel, postal_world, "t1", "EMA", utcnow() - timedelta(minutes=5))
    for response in (_post(client, api_token, **body), _post(client, api_token, **body)):
        data = response.get_json()
        for key in ("occurred_at", "recorded_at"):
            assert datetime.fromisoformat(data[key]).utcoffset() is not None, data[key]


def test_cash_delivered_only_through_the_api_reaches_the_day_close_and_the_household(
    client, auth, db, postal_world, buyer, make_listing, ready_order, api_token, runner
):
    w = postal_world
    order, parcel = ready_order(buyer, make_listing(w.household, price=120_000))
    now = utcnow()
    steps = [("EMA", now - timedelta(hours=6)), ("EDD", now - timedelta(hours=5)), ("EMG", now - timedelta(hours=3)),
             ("EDG", now - timedelta(hours=2))]
    for i, (code, when) in enumerate(steps):
        assert _post(client, api_token, **_event(parcel, w, f"n{i}", code, when)).status_code == 201
    wrong = _post(client, api_token, **_event(parcel, w, "n-bad", "EMI", now - timedelta(hours=1), cod_collected=1))
    assert wrong.status_code == 422  # the courier must collect exactly what the buyer owes
    delivered = _post(client, api_token, **_event(parcel, w, "n9", "EMI", now - timedelta(hours=1),
                                                  cod_collected=order.total))
    assert delivered.status_code == 201
    db.session.expire_all()
    assert order.status is S.DELIVERED and parcel.cod_collected == order.total
    assert ledger.earnings(w.household).pending == order.household_net  # cash with the courier until the day closes

    day = (now - timedelta(hours=1)).astimezone(VN_TZ).date()
    carriers = reconciliation.expected_by_postman(w.destination, day)
    assert len(carriers) == 1 and carriers[0].postman is None and carriers[0].expected == order.total
    auth.login(w.destination_clerk)
    page = client.get("/buu-cuc/doi-soat", query_string={"day": day.isoformat()}).get_data(as_text=True)
    assert carriers[0].name in page and f'name="reported-{carriers[0].key}"' in page
    response = client.post("/buu-cuc/doi-soat", data={"day": day.isoformat(),
                                                      f"reported-{carriers[0].key}": f"{order.total:,}".replace(",", ".")})
    assert response.status_code == 302
    db.session.expire_all()
    summary = ledger.earnings(w.household)
    assert summary.earned == order.household_net and summary.pending == 0
    page = client.get("/buu-cuc/doi-soat", query_string={"day": day.isoformat()}).get_data(as_text=True)
    assert 'name="reported-' not in page  # closed: the page does not offer to close it again
    result = runner.invoke(args=["ledger", "check"])
    assert result.exit_code == 0 and "0 mismatch" in result.output, result.output
