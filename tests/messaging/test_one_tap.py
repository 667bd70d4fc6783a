"""One-tap links: the household's new-order message carries a signed, single-use, expiring link that shows the order
and confirms or rejects it without a password; the confirmation brings a second link for "ready for hand-over";
each use is on the order's timeline; two taps at once act once."""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta

from sqlalchemy import select, update

from marketplace.messaging.models import Message, OneTapLink
from marketplace.orders.models import Order
from marketplace.orders.models import OrderStatus as S


def _link(db, order_id: int, kind: str) -> str:
    db.session.expire_all()
    message = db.session.scalar(select(Message).where(Message.order_id == order_id, Message.kind == kind)
                                .order_by(Message.id.desc()))
    return json.loads(message.data)["link"]


def _path(link: str) -> str:
    return "/o/" + link.rsplit("/o/", 1)[1]


def test_the_household_confirms_from_the_message_without_signing_in_then_marks_it_ready(
    app, client, db, buyer, make_listing, place, csrf_on, outbox_on
):
    order = place(buyer, {make_listing(title="Bưởi Diễn").id: 2}).orders[0]
    db.session.commit()
    link = _link(db, order.id, "new_order")
    assert re.fullmatch(r"https://chonongsan\.test/o/[\w-]{16}\.[\w-]{22}", link)  # short enough for one SMS
    page = client.get(_path(link))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Bưởi Diễn" in text and 'value="confirm"' in text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', text)
    done = client.post(_path(link), data={"action": "confirm", "csrf_token": token.group(1)})
    assert done.status_code == 200
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status is S.CONFIRMED
    event = order.events[-1]
    assert event.actor_id == order.household.user_id and "liên kết một chạm" in event.reason
    again = client.get(_path(link))
    assert again.status_code == 410  # used once
    ready = _link(db, order.id, "ready_link")
    text = client.get(_path(ready)).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text).group(1)
    assert client.post(_path(ready), data={"action": "confirm", "csrf_token": token}).status_code == 400
    assert client.post(_path(ready), data={"action": "ready", "csrf_token": token}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Order, order.id).status is S.READY_FOR_HANDOVER


def test_a_post_without_the_form_token_is_refused(app, client, db, buyer, make_listing, place, csrf_on):
    order = place(buyer, {make_listing().id: 1}).orders[0]
    db.session.commit()
    assert client.post(_path(_link(db, order.id, "new_order")), data={"action": "confirm"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Order, order.id).status is S.PLACED


def test_rejecting_carries_the_reason_to_the_timeline(app, client, db, buyer, make_listing, place):
    order = place(buyer, {make_listing().id: 1}).orders[0]
    db.session.commit()
    response = client.post(_path(_link(db, order.id, "new_order")),
                           data={"action": "reject", "reason": "out_of_stock", "note": "Mưa to hỏng hết"})
    assert response.status_code == 200
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status is S.REJECTED and "Hết hàng" in order.events[-1].reason
    assert "Mưa to" in order.events[-1].reason


def test_forged_expired_and_unknown_links_are_refused_without_an_error(app, client, db, buyer, make_listing, place):
    order = place(buyer, {make_listing().id: 1}).orders[0]
    db.session.commit()
    path = _path(_link(db, order.id, "new_order"))
    jti, sig = path.removeprefix("/o/").split(".")
    assert client.get(f"/o/{jti}.{'A' * len(sig)}").status_code == 404
    assert client.get("/o/nothing").status_code == 404
    assert client.get("/o/" + "x" * 500).status_code == 404
    assert client.post(f"/o/{jti}.{'A' * len(sig)}", data={"action": "confirm"}).status_code == 404
    db.session.execute(update(OneTapLink).values(expires_at=order.created_at - timedelta(hours=1)))
    db.session.commit()
    assert client.get(path).status_code == 410
    assert client.post(path, data={"action": "confirm"}).status_code == 410
    db.session.expire_all()
    assert db.session.get(Order, order.id).status is S.PLACED


def test_an_order_the_buyer_cancelled_meanwhile_is_not_confirmed_and_the_link_is_not_spent(
    app, client, db, buyer, make_listing, place
):
    from marketplace.orders.services import advance

    order = place(buyer, {make_listing().id: 1}).orders[0]
    db.session.commit()
    path = _path(_link(db, order.id, "new_order"))
    advance(order, S.CANCELLED, buyer)
    db.session.commit()
    assert client.post(path, data={"action": "confirm"}).status_code == 409
    db.session.expire_all()
    assert db.session.scalar(select(OneTapLink.used_at).where(OneTapLink.purpose == "confirm")) is None


def test_two_taps_at_once_confirm_the_order_once(app, db, buyer, make_listing, place):
    from marketplace.messaging import onetap
    from marketplace.messaging.errors import BadLink
    from marketplace.orders.errors import OrderError

    order = place(buyer, {make_listing().id: 1}).orders[0]
    db.session.commit()
    token = _path(_link(db, order.id, "new_order")).removeprefix("/o/")
    results, barrier = [], threading.Barrier(4)

    def tap(action):
        with app.app_context():
            barrier.wait()
            try:
                onetap.act(token, action)
                db.session.commit()
                results.append("done")
            except (BadLink, OrderError) as exc:
                db.session.rollback()
                results.append(type(exc).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tap, args=(a,)) for a in ("confirm", "confirm", "reject", "confirm")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("done") == 1, results
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status in (S.CONFIRMED, S.REJECTED)
    assert len([e for e in order.events if e.from_status is S.PLACED]) == 1
