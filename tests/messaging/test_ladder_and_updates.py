"""The clerk's "call these households" list (only his own point's households, the phone to call, confirm or reject on
the household's behalf, recorded and audited), the buyer told at each step by their channel, and the notification
preferences on the account page ("stop", channels off)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from marketplace.messaging.models import Message, MessagePreference, OutboxEntry
from marketplace.orders.models import Order
from marketplace.orders.models import OrderStatus as S
from marketplace.orders.reminders import sweep
from marketplace.staff.models import AuditEntry
from marketplace.timeutil import as_utc


def _kinds(db, user_id: int) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Message.kind).where(Message.user_id == user_id).order_by(Message.id)))


def _escalated_order(db, postal_world, buyer, make_listing, place):
    household = postal_world.household
    household.service_point_id = postal_world.origin.id
    db.session.commit()
    order = place(buyer, {make_listing(household, title="Cam Cao Phong").id: 1}).orders[0]
    done = sweep(as_utc(order.created_at) + timedelta(hours=37))
    assert done.escalated == [order.id]
    return order


def test_the_clerk_of_the_serving_point_calls_and_confirms_on_the_households_behalf(
    app, client, auth, db, postal_world, buyer, make_listing, place, outbox_on
):
    order = _escalated_order(db, postal_world, buyer, make_listing, place)
    auth.login(postal_world.destination_clerk)  # another point: the order is not his
    page = client.get("/buu-cuc/goi-ho").get_data(as_text=True)
    assert order.number not in page
    assert client.post("/buu-cuc/goi-ho", data={"order_id": order.id, "decision": "confirm"}).status_code == 404
    auth.logout()
    auth.login(postal_world.origin_clerk)
    page = client.get("/buu-cuc/goi-ho").get_data(as_text=True)
    phone = "0" + postal_world.household.phone[3:]
    assert order.number in page and "Cam Cao Phong" in page and f"tel:{phone}" in page
    response = client.post("/buu-cuc/goi-ho", data={"order_id": order.id, "decision": "confirm", "note": "Chị Hoa"})
    assert response.status_code == 302
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status is S.CONFIRMED
    event = order.events[-1]
    assert event.actor_id == postal_world.origin_clerk.id and "thay mặt hộ" in event.reason and "Chị Hoa" in event.reason
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.move"))
    assert audit is not None and audit.actor_id == postal_world.origin_clerk.id
    assert f'id="order-{order.id}"' not in client.get("/buu-cuc/goi-ho").get_data(as_text=True)
    # the buyer heard of each rung: reminded, escalated, then confirmed after the call
    assert _kinds(db, buyer.id)[-3:] == ["household_reminded", "escalated", "clerk_confirmed"]
    # and the household gets the link for the next step
    assert "ready_link" in _kinds(db, postal_world.household.user_id)


def test_no_answer_is_noted_and_the_order_is_cancelled_only_after_the_call_window(
    app, client, auth, db, postal_world, buyer, make_listing, place
):
    order = _escalated_order(db, postal_world, buyer, make_listing, place)
    auth.login(postal_world.origin_clerk)
    client.post("/buu-cuc/goi-ho", data={"order_id": order.id, "decision": "no_answer"})
    assert "Không nghe máy" in client.get("/buu-cuc/goi-ho").get_data(as_text=True)
    placed = as_utc(order.created_at)
    assert sweep(placed + timedelta(hours=48)).cancelled == []  # 72 h not reached
    assert sweep(placed + timedelta(hours=73)).cancelled == [order.id]
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.call")) is not None


def test_the_call_list_refuses_bad_input_without_an_error(app, client, auth, db, postal_world, make_user):
    auth.login(postal_world.origin_clerk)
    assert client.post("/buu-cuc/goi-ho", data={"order_id": "x"}).status_code == 404
    assert client.post("/buu-cuc/goi-ho", data={"order_id": 99999999999}).status_code == 404
    auth.logout()
    auth.login(make_user("buyer"))
    assert client.get("/buu-cuc/goi-ho").status_code in (403, 404)


def test_the_buyer_is_told_out_for_delivery_with_the_delivering_points_phone(
    app, db, postal_world, buyer, make_listing, make_clerk, ready_order, outbox_on
):
    from marketplace.postal import desk

    w = postal_world
    w.destination.phone = "+84283822000"
    buyer.phone = "+84912000222"
    db.session.commit()
    order, parcel = ready_order(buyer, make_listing(w.household))
    desk.accept(w.origin_clerk, parcel, parcel.declared_weight_grams)
    desk.receive(w.destination_clerk, parcel)
    desk.out_for_delivery(w.destination_clerk, parcel, make_clerk(w.destination))
    desk.deliver(w.destination_clerk, parcel, parcel.cod_amount)
    db.session.commit()
    kinds = _kinds(db, buyer.id)
    assert {"confirmed", "handed_over", "out_for_delivery", "delivered"} <= set(kinds)
    assert "in_transit" not in kinds  # in-app only
    message = db.session.scalar(select(Message).where(Message.kind == "out_for_delivery"))
    assert json.loads(message.data)["phone"] == "0283 822 000"
    entry = db.session.scalar(select(OutboxEntry).where(OutboxEntry.message_id == message.id))
    assert entry.channel == "zalo" and "0283 822 000" in entry.body


def test_stop_and_channel_choices_on_the_account_page(app, client, auth, db, buyer, make_listing, place, csrf_on,
                                                     outbox_on):
    from marketplace.orders.services import advance

    buyer.phone = "+84912000111"
    db.session.commit()
    auth_page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', auth_page).group(1)
    client.post("/account/login", data={"identifier": buyer.email, "password": "secret-pass-1", "csrf_token": token})
    page = client.get("/account/notifications").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/account/notifications", data={"sms": "y", "email": "y"}).status_code == 400  # no token
    response = client.post("/account/notifications", data={"sms": "y", "email": "y", "csrf_token": token})
    assert response.status_code == 302
    pref = db.session.get(MessagePreference, buyer.id)
    assert (pref.zalo, pref.sms, pref.email, pref.stopped) == (False, True, True, False)
    order = place(buyer, {make_listing().id: 1}).orders[0]
    advance(order, S.CONFIRMED, order.household.user)
    db.session.commit()
    message = db.session.scalar(select(Message).where(Message.user_id == buyer.id, Message.kind == "confirmed"))
    assert message.plan == "sms,email,in_app" and message.channel == "sms"
    client.post("/account/notifications", data={"stopped": "y", "csrf_token": token})
    advance(order, S.READY_FOR_HANDOVER, order.household.user)
    order2 = place(buyer, {make_listing().id: 1}).orders[0]
    advance(order2, S.CONFIRMED, order2.household.user)
    db.session.commit()
    assert _kinds(db, buyer.id).count("confirmed") == 1  # stopped: the second stays in the bell list only
    from marketplace.notifications.models import Notification

    assert db.session.scalar(select(Notification.id).where(Notification.user_id == buyer.id,
                                                           Notification.order_id == order2.id,
                                                           Notification.kind == "confirmed")) is not None
