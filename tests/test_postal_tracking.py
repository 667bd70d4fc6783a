from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.postal import tracking
from marketplace.postal.errors import IllegalTransition, InvalidParcel
from marketplace.postal.models import ParcelStatus, TrackingEvent
from marketplace.signals import parcel_event_recorded

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _walk(parcel, world, *codes, start=T0):
    for i, code in enumerate(codes):
        point = world.origin if code == "EMA" else world.destination
        reason = "recipient_absent" if code == "EMH" else None
        tracking.record_event(parcel, code, None, point, occurred_at=start + timedelta(hours=i), reason=reason)


def test_the_happy_path_moves_through_every_status(db, postal_world, make_parcel):
    parcel = make_parcel(postal_world.household)
    seen = []
    for i, code in enumerate(["EMA", "EDD", "EDE", "EMG", "EDG", "EMI"]):
        tracking.record_event(parcel, code, None, postal_world.destination, occurred_at=T0 + timedelta(hours=i))
        seen.append(parcel.status)
    assert seen == [
        ParcelStatus.ACCEPTED,
        ParcelStatus.IN_TRANSIT,
        ParcelStatus.IN_TRANSIT,
        ParcelStatus.AT_DELIVERY_POINT,
        ParcelStatus.OUT_FOR_DELIVERY,
        ParcelStatus.DELIVERED,
    ]


def test_an_event_a_clerk_records_that_cannot_follow_is_refused(db, postal_world, make_parcel):
    parcel = make_parcel(postal_world.household)
    clerk = postal_world.destination_clerk
    with pytest.raises(IllegalTransition):
        tracking.record_event(parcel, "EMI", clerk, postal_world.destination)
    assert parcel.status is ParcelStatus.CREATED
    _walk(parcel, postal_world, "EMA", "EMG", "EDG", "EMI")
    with pytest.raises(IllegalTransition):
        tracking.record_event(parcel, "EDG", clerk, postal_world.destination, occurred_at=T0 + timedelta(days=1))


def test_a_late_older_event_is_stored_but_does_not_move_the_status_back(db, postal_world, make_parcel):
    parcel = make_parcel(postal_world.household)
    tracking.record_event(parcel, "EMA", None, postal_world.origin, occurred_at=T0)
    tracking.record_event(parcel, "EMG", None, postal_world.destination, occurred_at=T0 + timedelta(hours=5))
    tracking.record_event(parcel, "EDD", None, None, occurred_at=T0 + timedelta(hours=2))  # sorting centre syncs late
    db.session.commit()
    assert parcel.status is ParcelStatus.AT_DELIVERY_POINT
    assert [e.code for e in tracking.timeline(parcel)] == ["EMA", "EDD", "EMG"]


def test_failed_attempts_need_a_reason_and_the_last_one_sends_the_parcel_back(db, app, postal_world, make_parcel):
    parcel = make_parcel(postal_world.household)
    _walk(parcel, postal_world, "EMA", "EMG", "EDG")
    with pytest.raises(InvalidParcel):
        tracking.record_event(parcel, "EMH", None, postal_world.destination, occurred_at=T0 + timedelta(hours=5))
    assert app.config["POSTAL_MAX_ATTEMPTS"] == 3
    _walk(parcel, postal_world, "EMH", "EDG", "EMH", "EDG", start=T0 + timedelta(days=1))
    assert parcel.status is ParcelStatus.OUT_FOR_DELIVERY and parcel.failed_attempts == 2
    _walk(parcel, postal_world, "EMH", start=T0 + timedelta(days=2))
    assert parcel.failed_attempts == 3 and parcel.status is ParcelStatus.RETURNING
    assert tracking.last_applied(parcel).code == "RTS"
    _walk(parcel, postal_world, "RTD", start=T0 + timedelta(days=3))
    assert parcel.status is ParcelStatus.RETURNED


def test_the_signal_carries_the_parcel_and_the_event(db, postal_world, make_parcel):
    parcel = make_parcel(postal_world.household)
    received = []

    def listener(sender, event, applied):
        received.append((sender, event.code, applied))

    with parcel_event_recorded.connected_to(listener):
        tracking.record_event(parcel, "EMA", None, postal_world.origin, occurred_at=T0 + timedelta(hours=1))
        tracking.record_event(parcel, "EDD", None, None, occurred_at=T0)
    assert received == [(parcel, "EMA", True), (parcel, "EDD", False)]


def test_every_code_and_reason_has_a_description():
    assert set(tracking.DESCRIPTIONS) == set(tracking.LEADS_TO)
    assert set(tracking.STATUS_LABELS) == set(ParcelStatus)
    assert set(tracking.ALLOWED) == set(ParcelStatus)
    assert len(tracking.REASONS) == 6


# --- public page ------------------------------------------------------------------------------------------------


def test_public_tracking_shows_events_and_ward_but_no_personal_data(client, postal_world, make_parcel, db):
    parcel = make_parcel(postal_world.household)
    _walk(parcel, postal_world, "EMA", "EMG", "EDG", "EMH")
    db.session.commit()
    for url in (f"/tra-cuu/{parcel.tracking_number}", f"/tra-cuu/{parcel.tracking_number.lower()}"):
        html = client.get(url).get_data(as_text=True)
        assert "Phường Sài Gòn" in html
        assert "Trần Thị Bưởi" not in html and "987" not in html and "Lê Lợi" not in html
        assert postal_world.household.name not in html
    assert client.get("/tra-cuu", query_string={"tracking": parcel.tracking_number}).status_code == 302
    assert client.get("/tra-cuu/EE123456785VN").status_code == 404
    assert client.get("/tra-cuu", query_string={"tracking": "nonsense"}).status_code == 404
    assert client.get("/tra-cuu").status_code == 200


# --- the network's endpoint --------------------------------------------------------------------------------------


def _post(client, token, **body):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/tracking/events", json=body, headers=headers)


def test_network_event_is_stored_once_however_often_it_is_posted(client, db, postal_world, make_parcel, api_token):
    parcel = make_parcel(postal_world.household)
    body = dict(
        event_id="net-1",
        tracking_number=parcel.tracking_number,
        code="EMA",
        occurred_at="2026-11-20T08:00:00+07:00",
        point_code=postal_world.origin.code,
    )
    first = _post(client, api_token, **body)
    assert first.status_code == 201, first.get_json()
    again = _post(client, api_token, **body)
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    assert {k: v for k, v in first.get_json().items() if k != "duplicate"} == {
        k: v for k, v in again.get_json().items() if k != "duplicate"
    }
    assert db.session.scalar(select(func.count()).select_from(TrackingEvent)) == 1
    event = db.session.scalar(select(TrackingEvent))
    assert event.occurred_at.replace(tzinfo=UTC) == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.ACCEPTED


def test_network_events_out_of_order_settle_on_the_latest(client, db, postal_world, make_parcel, api_token):
    parcel = make_parcel(postal_world.household)
    common = dict(tracking_number=parcel.tracking_number, point_code=postal_world.destination.code)
    assert (
        _post(client, api_token, event_id="a", code="EMA", occurred_at="2026-11-20T01:00:00Z", **common).status_code
        == 201
    )
    assert (
        _post(client, api_token, event_id="c", code="EMG", occurred_at="2026-11-20T09:00:00Z", **common).status_code
        == 201
    )
    late = _post(client, api_token, event_id="b", code="EDD", occurred_at="2026-11-20T04:00:00Z", **common)
    assert late.status_code == 202 and late.get_json()["applied"] is False  # stored as history
    db.session.refresh(parcel)
    assert parcel.status is ParcelStatus.AT_DELIVERY_POINT


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_network_endpoint_refuses_unknown_tokens(client, db, token):
    response = _post(client, token, event_id="x")
    assert response.status_code == 401 and "error" in response.get_json()


def test_network_endpoint_errors(client, db, postal_world, make_parcel, api_token):
    parcel = make_parcel(postal_world.household)
    ok = dict(
        event_id="e1",
        tracking_number=parcel.tracking_number,
        code="EMA",
        occurred_at="2026-11-20T08:00:00+07:00",
        point_code=postal_world.origin.code,
    )
    assert (
        client.post("/api/tracking/events", data="nope", headers={"Authorization": f"Bearer {api_token}"}).status_code
        == 400
    )
    assert _post(client, api_token, **(ok | {"code": None})).status_code == 400
    assert _post(client, api_token, **(ok | {"occurred_at": "yesterday"})).status_code == 400
    assert _post(client, api_token, **(ok | {"occurred_at": "2026-11-20T08:00:00"})).status_code == 400
    assert _post(client, api_token, **(ok | {"tracking_number": "EE123456785VN"})).status_code == 404
    assert _post(client, api_token, **(ok | {"point_code": "BC0"})).status_code == 404
    assert _post(client, api_token, **(ok | {"code": "XYZ"})).status_code == 422
    assert _post(client, api_token, **(ok | {"occurred_at": "2099-01-01T08:00:00+07:00"})).status_code == 422
    assert _post(client, api_token, **(ok | {"cod_collected": "nhiều"})).status_code == 400
    assert _post(client, api_token, **(ok | {"cod_collected": -1})).status_code == 400
    assert _post(client, api_token, **(ok | {"reason": ["refused"]})).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(TrackingEvent)) == 0


def test_network_endpoint_is_exempt_from_csrf_but_forms_are_not(
    client, db, postal_world, make_parcel, api_token, csrf_on
):
    parcel = make_parcel(postal_world.household)
    response = _post(
        client,
        api_token,
        event_id="e1",
        tracking_number=parcel.tracking_number,
        code="EMA",
        occurred_at="2026-11-20T08:00:00+07:00",
        point_code=postal_world.origin.code,
    )
    assert response.status_code == 201
    assert client.post("/buu-cuc/scan", data={"tracking": parcel.tracking_number}).status_code == 400


def test_create_token_prints_it_once_and_stores_only_its_hash(runner, db):
    import hashlib

    from marketplace.postal.models import ApiToken

    result = runner.invoke(args=["postal", "create-token", "vnpost-hub"])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("pt_")
    row = db.session.scalar(select(ApiToken).where(ApiToken.name == "vnpost-hub"))
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in row.token_hash
    assert tracking.authenticate(token).id == row.id
    assert runner.invoke(args=["postal", "create-token", "vnpost-hub"]).exit_code != 0


def test_the_same_event_posted_concurrently_is_stored_once(app, client, db, postal_world, make_parcel, api_token):
    import threading

    parcel = make_parcel(postal_world.household)
    db.session.commit()
    body = dict(
        event_id="dup-1",
        tracking_number=parcel.tracking_number,
        code="EMA",
        occurred_at="2026-11-20T08:00:00+07:00",
        point_code=postal_world.origin.code,
    )
    statuses, errors = [], []

    def post():
        try:
            with app.app_context():
                statuses.append(_post(app.test_client(), api_token, **body).status_code)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(statuses) == [200] * 5 + [201]
    assert db.session.scalar(select(func.count()).select_from(TrackingEvent)) == 1
