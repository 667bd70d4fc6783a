"""A forgotten password is reset with a one-time code sent by e-mail: stored hashed, short-lived, a few tries, used
once; the answers are the same whether or not the account exists."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from marketplace.accounts.models import PasswordResetCode
from marketplace.extensions import limiter
from marketplace.messaging.models import Message, OutboxEntry


class Sent:
    """The reset codes e-mailed so far, as (address, code, minutes), read as the person would: from the e-mail's
    text in the development outbox (the message rows keep no code once sent)."""

    def __init__(self, db):
        self.db = db

    def _rows(self) -> list[tuple[str, str, int]]:
        rows = self.db.session.execute(
            select(Message.data, OutboxEntry.recipient, OutboxEntry.body, OutboxEntry.channel)
            .join(OutboxEntry, OutboxEntry.message_id == Message.id)
            .where(Message.kind == "reset_code").order_by(Message.id)
        ).all()
        out = []
        for data, recipient, body, channel in rows:
            assert channel == "email" and json.loads(data)["code"] == ""
            out.append((recipient, re.search(r"\b(\d{6})\b", body)[1],
                        int(re.search(r"(\d+) (?:minutes|phút)", body)[1])))
        return out

    def __iter__(self):
        return iter(self._rows())

    def __getitem__(self, i):
        return self._rows()[i]

    def __len__(self):
        return len(self._rows())


@pytest.fixture
def outbox(app, db):
    """E-mails go to the development outbox (jobs run inline in tests)."""
    app.config["MESSAGING_OUTBOX"] = True
    yield Sent(db)
    app.config["MESSAGING_OUTBOX"] = False


def _ask(client, identifier):
    return client.post("/account/reset", data={"identifier": identifier}, follow_redirects=True)


def _use(client, identifier, code, password="new-pass-123"):
    return client.post("/account/reset/code", data={"identifier": identifier, "code": code, "new": password,
                                                    "confirm": password})


def _page_text(response) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"|value="[^"]*"', "", response.get_data(as_text=True))


def test_a_code_by_email_sets_a_new_password_once_and_ends_every_session(client, app, db, make_user, outbox):
    user = make_user("buyer", email="lan@example.vn")
    other = app.test_client()
    other.post("/account/login", data={"identifier": "lan@example.vn", "password": "secret-pass-1"})
    assert other.get("/orders").status_code == 200
    _ask(client, "Lan@Example.vn")
    [(address, code, minutes)] = outbox
    assert address == "lan@example.vn" and re.fullmatch(r"\d{6}", code) and minutes == 15
    stored = db.session.scalar(select(PasswordResetCode))
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    response = _use(client, "lan@example.vn", code)
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/login")
    assert other.get("/orders").status_code == 302  # signed out everywhere
    assert client.post("/account/login", data={"identifier": "lan@example.vn", "password": "new-pass-123"}
                       ).status_code == 302
    client.post("/account/logout")
    assert _use(client, "lan@example.vn", code, "third-pass-123").status_code == 200  # used once
    db.session.refresh(user)
    assert user.must_change_password is False


def test_asking_says_the_same_for_unknown_accounts_accounts_without_email_and_disabled_ones(client, make_user,
                                                                                        outbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "MESSAGING_OUTBOX", True)
    make_user("buyer", email="lan@example.vn")
    make_user("household", phone="+84911000010")
    make_user("buyer", email="tat@example.vn", active=False)
    pages = {who: _page_text(_ask(client, who)) for who in
             ("lan@example.vn", "nobody@example.vn", "tat@example.vn")}
    assert len(set(pages.values())) == 1
    assert [address for address, _code, _m in outbox] == ["lan@example.vn"]
    # a mobile number gets its code by Zalo or SMS whether or not an account has it (tests/test_otp.py): the same
    # answer for a household's number and an unknown one
    phones = {_page_text(_ask(client, who)).replace(shown, "N") for who, shown in
              (("0911000010", "0911 000 010"), ("0911999999", "0911 999 999"))}
    assert len(phones) == 1


def test_a_wrong_code_says_the_same_as_no_account(client, make_user, outbox):
    make_user("buyer", email="lan@example.vn")
    _ask(client, "lan@example.vn")
    wrong = _use(client, "lan@example.vn", "000000" if outbox[0][1] != "000000" else "111111")
    unknown = _use(client, "nobody@example.vn", "123456")
    assert wrong.status_code == unknown.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in wrong.get_data(as_text=True)
    assert _page_text(wrong).replace("lan@example.vn", "") == _page_text(unknown).replace("nobody@example.vn", "")


def test_five_wrong_tries_end_the_code(client, make_user, outbox):
    make_user("buyer", email="lan@example.vn")
    _ask(client, "lan@example.vn")
    code = outbox[0][1]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert _use(client, "lan@example.vn", wrong).status_code == 200
    assert _use(client, "lan@example.vn", code).status_code == 200  # the right code, too late


def test_an_expired_code_and_an_earlier_code_do_not_work(client, db, make_user, outbox):
    make_user("buyer", email="lan@example.vn")
    _ask(client, "lan@example.vn")
    _ask(client, "lan@example.vn")
    first, second = outbox[0][1], outbox[1][1]
    if first != second:
        assert _use(client, "lan@example.vn", first).status_code == 200  # replaced by the second
    from marketplace.timeutil import utcnow

    db.session.execute(update(PasswordResetCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert _use(client, "lan@example.vn", second).status_code == 200


def test_asking_for_codes_is_throttled_per_account(client, make_user, outbox):
    make_user("buyer", email="lan@example.vn")
    limiter.enabled = True
    limiter.reset()
    try:
        codes = [client.post("/account/reset", data={"identifier": "lan@example.vn"}).status_code for _ in range(4)]
    finally:
        limiter.reset()
        limiter.enabled = False
    assert codes == [302, 302, 302, 429] and len(outbox) == 3


def test_the_sign_in_page_links_to_the_reset(client):
    page = client.get("/account/login").get_data(as_text=True)
    assert "/account/reset" in page and "Quên mật khẩu?" in page
