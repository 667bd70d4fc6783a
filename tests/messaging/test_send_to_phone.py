"""The public door the sign-in code uses: `send_to_phone(phone, "otp", {"code": …}, key=…)` queues a message that is
sent after the commit, once per key, by Zalo's authentication template then SMS."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from marketplace.messaging import send_to_phone
from marketplace.messaging.models import Message, MessageState, OutboxEntry


def test_an_otp_goes_to_the_outbox_as_zalo_after_the_commit_and_once_per_key(app, db, outbox_on):
    send_to_phone("0912 345 678", "otp", {"code": "123456"}, key="otp:1")
    assert db.session.scalar(select(func.count()).select_from(OutboxEntry)) == 0  # nothing before the commit
    db.session.commit()
    send_to_phone("+84912345678", "otp", {"code": "123456"}, key="otp:1")  # the same key: nothing new
    db.session.commit()
    message = db.session.scalar(select(Message))
    assert message.state is MessageState.SENT and message.channel == "zalo" and message.phone == "+84912345678"
    assert json.loads(message.data) == {"code": ""}  # sent: the code is not kept in the database
    entries = list(db.session.scalars(select(OutboxEntry)))
    assert len(entries) == 1 and entries[0].recipient == "84912345678" and "123456" in entries[0].body


def test_a_rolled_back_request_sends_nothing(app, db, outbox_on):
    send_to_phone("0912345678", "otp", {"code": "654321"}, key="otp:2")
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Message)) == 0


def test_bad_numbers_and_kinds_are_refused(app, db):
    with pytest.raises(ValueError):
        send_to_phone("12345", "otp", {"code": "1"}, key="otp:3")
    with pytest.raises(ValueError):
        send_to_phone("0912345678", "no-such-kind", {}, key="otp:4")


def test_without_any_provider_or_outbox_the_message_fails_visibly(app, db):
    send_to_phone("0912345678", "otp", {"code": "111111"}, key="otp:5")
    db.session.commit()
    message = db.session.scalar(select(Message))
    assert message.state is MessageState.FAILED and "not configured" in message.error
