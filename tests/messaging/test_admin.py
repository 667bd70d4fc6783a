"""The administrator's messages page: the development outbox, every message with its state, and "send again" for a
message given up after its tries; other roles do not reach it."""

from __future__ import annotations

import re

from sqlalchemy import select

from marketplace.messaging import send_to_phone
from marketplace.messaging.models import Message, MessageState
from marketplace.messaging.services import deliver


def test_the_outbox_shows_what_would_have_been_sent_and_a_given_up_message_is_sent_again(
    app, client, auth, db, make_user, esms, messaging_config, outbox_on
):
    messaging_config["MESSAGE_MAX_ATTEMPTS"] = 2
    send_to_phone("0912345678", "otp", {"code": "868686"}, key="otp:outbox")
    db.session.commit()
    messaging_config["MESSAGING_OUTBOX"] = False  # the next one goes by SMS, whose provider fails for now
    esms.fail_next = 10
    send_to_phone("0912345679", "otp", {"code": "424242"}, key="otp:given-up")
    db.session.commit()  # first try of each (inline); the second fails for now
    failing = db.session.scalar(select(Message).where(Message.key == "otp:given-up"))
    assert deliver(failing.id) == "failed"  # second try: given up
    auth.login(make_user("buyer"))
    assert client.get("/admin/messages").status_code in (403, 404)
    auth.logout()
    auth.login(make_user("admin", email="admin-msg@example.vn"))
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "84912345678" in page and "868686" in page  # Zalo not configured: the outbox has it as Zalo
    assert "failed" in page and "esms: HTTP 503" in page
    assert client.post("/admin/messages", data={"message_id": "x"}).status_code == 404
    esms.fail_next = 0
    response = client.post("/admin/messages", data={"message_id": failing.id})
    assert response.status_code == 302
    db.session.expire_all()
    message = db.session.get(Message, failing.id)
    assert message.state is MessageState.SENT and message.channel == "sms"
    assert re.search(r"424242", esms.sent[-1]["content"])
