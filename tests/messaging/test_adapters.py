"""Each channel's adapter against its provider's stand-in, through the configuration production uses: request shapes,
authentication, error codes, fallback Zalo → SMS, token refresh persisted, and a message sent once however its job
is retried."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update

from marketplace.messaging import send_to_phone
from marketplace.messaging.errors import TryLater
from marketplace.messaging.models import Message, MessageState, ProviderToken
from marketplace.messaging.services import deliver
from tests.messaging.conftest import ESMS_BRAND, ESMS_KEY, ESMS_SECRET, ZALO_SECRET, ZALO_TEMPLATES


def _message(db) -> Message:
    db.session.expire_all()
    return db.session.scalar(select(Message).order_by(Message.id.desc()))


def test_an_otp_goes_by_zalo_authentication_template_with_a_refreshed_token_kept_in_the_database(app, db, zalo, esms):
    send_to_phone("0912 345 678", "otp", {"code": "482913"}, key="otp:zalo")
    db.session.commit()
    assert len(zalo.refreshes) == 1  # no access token yet: the refresh token was spent for one
    refresh = zalo.refreshes[0]
    assert refresh["secret_key"] == ZALO_SECRET and refresh["grant_type"] == "refresh_token"
    [request] = zalo.received
    body = request["body"]
    assert body["phone"] == "84912345678" and body["template_id"] == ZALO_TEMPLATES["otp"]
    assert body["template_data"] == {"otp": "482913"} and body["tracking_id"].startswith("cns")
    token = db.session.get(ProviderToken, "zalo")
    assert request["access_token"] == token.access_token and token.refresh_token in zalo.refresh_tokens
    stored_refresh = token.refresh_token
    message = _message(db)
    assert (message.state, message.channel, message.provider_id) == (MessageState.SENT, "zalo", "zns00000001")
    assert esms.sent == []
    # the next message reuses the stored token; when Zalo calls it invalid (-124) it is refreshed once, with the
    # refresh token stored last time (rotated), and the send repeated
    zalo.expire()
    send_to_phone("0912345678", "otp", {"code": "111222"}, key="otp:zalo:2")
    db.session.commit()
    assert len(zalo.refreshes) == 2 and zalo.refreshes[1]["refresh_token"] == stored_refresh
    db.session.expire_all()
    assert db.session.get(ProviderToken, "zalo").refresh_token != stored_refresh  # the rotated one is kept
    assert [r["body"]["template_data"]["otp"] for r in zalo.received] == ["482913", "111222", "111222"]
    assert _message(db).state is MessageState.SENT


def test_a_phone_without_zalo_gets_the_code_by_sms_brandname_customer_care_without_diacritics(app, db, zalo, esms):
    zalo.no_zalo.add("84987654321")
    send_to_phone("0987654321", "otp", {"code": "907755"}, key="otp:sms")
    db.session.commit()
    assert zalo.received[-1]["body"]["phone"] == "84987654321"  # Zalo was asked first, and answered -118
    [request] = esms.received
    assert request["ApiKey"] == ESMS_KEY and request["SecretKey"] == ESMS_SECRET and request["Brandname"] == ESMS_BRAND
    assert request["SmsType"] == "2" and request["IsUnicode"] == "0" and request["Phone"] == "0987654321"
    assert request["Content"].isascii() and "907755" in request["Content"] and len(request["Content"]) <= 160
    assert esms.sent[0]["segments"] == 1
    message = _message(db)
    assert message.channel == "sms" and message.provider_id == esms.sent[0]["sms_id"]
    assert "-118" in message.error


def test_zalo_quota_out_falls_back_to_sms(app, db, zalo, esms):
    zalo.quota = 0
    send_to_phone("0912345678", "otp", {"code": "123123"}, key="otp:quota")
    db.session.commit()
    assert _message(db).channel == "sms" and "-144" in _message(db).error


def test_a_provider_that_fails_for_now_keeps_the_message_queued_at_its_channel_and_a_retry_sends_it_once(
    app, db, esms
):
    esms.fail_next = 1
    send_to_phone("0912345678", "otp", {"code": "555000"}, key="otp:retry")
    db.session.commit()  # inline: the job ran once and failed (logged), as the first try of a worker would
    message = _message(db)
    assert message.state is MessageState.QUEUED and message.step == 1 and "HTTP 503" in message.error
    assert deliver(message.id) == "sent"
    assert deliver(message.id) == "sent"  # a duplicate job finds it sent: nothing goes out again
    assert len(esms.sent) == 1
    ids = {r["RequestId"] for r in esms.received if r}
    assert len(ids) == 1  # the retry carried the same RequestId


def test_a_send_interrupted_after_the_provider_accepted_it_is_not_sent_twice(app, db, esms):
    """The worker died after eSMS accepted the text and before it recorded it: the claim expires, the message is
    claimed again and sent with the same RequestId, which eSMS refuses as a duplicate: one SMS reached the phone."""
    send_to_phone("0912345678", "otp", {"code": "777000"}, key="otp:crash")
    db.session.commit()
    message = _message(db)
    assert message.state is MessageState.SENT and len(esms.sent) == 1
    db.session.execute(update(Message).where(Message.id == message.id).values(
        state=MessageState.SENDING, provider_id=None, claimed_at=message.created_at.replace(year=2020)))
    db.session.commit()
    assert deliver(message.id) == "sent"
    assert len(esms.sent) == 1
    assert len(esms.received) == 2 and esms.received[0]["RequestId"] == esms.received[1]["RequestId"]
    assert _message(db).provider_id == esms.sent[0]["sms_id"]


def test_a_message_held_by_a_live_sender_is_not_claimed_by_a_second_run(app, db, esms):
    send_to_phone("0912345678", "otp", {"code": "246810"}, key="otp:race")
    app.config["ESMS_URL"], saved = "http://127.0.0.1:9/", app.config["ESMS_URL"]  # the first inline run fails
    db.session.commit()
    app.config["ESMS_URL"] = saved
    message_id = _message(db).id
    esms.hang_next = 1.0
    results = []

    def run():
        with app.app_context():
            results.append(deliver(message_id))
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(esms.sent) == 1 and len(esms.received) == 1
    assert sorted(results).count("sent") >= 1 and "sending" in results


def test_a_template_zalo_has_not_approved_is_refused_and_sms_carries_it(app, db, zalo, esms, messaging_config):
    messaging_config["ZALO_TEMPLATES"] = {}
    send_to_phone("0912345678", "otp", {"code": "135790"}, key="otp:notemplate")
    db.session.commit()
    assert zalo.received == [] and _message(db).channel == "sms"


def test_wrong_credentials_are_not_retried_forever(app, db, esms, messaging_config):
    messaging_config["ESMS_SECRET_KEY"] = "wrong"
    send_to_phone("0912345678", "otp", {"code": "000111"}, key="otp:creds")
    db.session.commit()
    message = _message(db)
    assert message.state is MessageState.FAILED and "esms 101" in message.error


def test_try_later_is_raised_to_the_job_so_the_queue_retries(app, db, esms):
    esms.fail_next = 5
    send_to_phone("0912345678", "otp", {"code": "999000"}, key="otp:raise")
    db.session.commit()
    with pytest.raises(TryLater):
        deliver(_message(db).id)
