"""Sign-in resists guessing without locking out a post-office counter: the same answer and the same work for known
and unknown accounts, failed attempts counted per account and per address (shared through Redis by every worker), a
refusal page in Vietnamese that says when to try again."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from marketplace.extensions import limiter

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def throttles_on():
    limiter.enabled = True
    limiter.reset()
    yield
    limiter.reset()
    limiter.enabled = False


def _sign_in(client, identifier, password="wrong-password", **headers):
    return client.post("/account/login", data={"identifier": identifier, "password": password}, headers=headers)


def test_ten_wrong_passwords_lock_that_account_but_not_the_counter(client, make_user, throttles_on):
    first = make_user("household", phone="+84911000001")
    make_user("household", phone="+84911000002")
    codes = [_sign_in(client, "0911000001").status_code for _ in range(10)]
    assert codes == [200] * 10
    locked = _sign_in(client, "0911 000 001", password="secret-pass-1")  # the right password, typed another way
    assert locked.status_code == 429
    page = locked.get_data(as_text=True)
    assert "khóa" in page and re.search(r"Thử lại sau 1[45] phút, lúc \d\d:\d\d", page), page[-1500:]
    assert 840 <= int(locked.headers["Retry-After"]) <= 900
    # the clerk at the same counter helps the next household
    assert _sign_in(client, "0911000002", password="secret-pass-1").status_code == 302
    assert first.id  # the locked account itself is untouched


def test_successful_sign_ins_do_not_count(client, make_user, throttles_on):
    user = make_user("buyer", phone="+84911000003")
    for _ in range(15):
        assert _sign_in(client, "0911000003", password="secret-pass-1").status_code == 302
        client.post("/account/logout")
    db_user_failures = [_sign_in(client, "0911000003").status_code for _ in range(3)]
    assert db_user_failures == [200, 200, 200] and user.id


def test_many_failures_from_one_address_are_slowed_down(client, make_user, throttles_on, app):
    app.config["SIGN_IN_ADDRESS_LIMIT"] = "12 per 5 minutes"
    try:
        codes = [_sign_in(client, f"09110001{i:02d}").status_code for i in range(13)]
        refusal = _sign_in(client, "0911000999").get_data(as_text=True)
    finally:
        app.config["SIGN_IN_ADDRESS_LIMIT"] = "30 per 5 minutes;100 per hour"
    assert codes[:12] == [200] * 12 and codes[12] == 429
    assert "kết nối này" in refusal


def test_the_refusal_speaks_english_when_chosen_and_json_to_json_clients(client, make_user, throttles_on):
    make_user("buyer", phone="+84911000004")
    client.get("/lang/en")
    for _ in range(10):
        _sign_in(client, "0911000004")
    page = _sign_in(client, "0911000004").get_data(as_text=True)
    assert "locked for a while" in page and re.search(r"Try again in 1[45] minutes, at \d\d:\d\d", page)
    response = _sign_in(client, "0911000004", Accept="application/json")
    assert response.status_code == 429 and response.get_json()["retry_after"] > 0


def test_a_wrong_password_and_an_unknown_account_cost_the_same_time(client, make_user, app):
    """With the production Argon2 parameters: the answer's timing does not tell which numbers have an account."""
    make_user("buyer", phone="+84911000005")
    app.config["PASSWORD_HASH_FAST"] = False
    try:
        from marketplace.accounts.models import User
        from marketplace.accounts.passwords import hash_password
        from marketplace.extensions import db

        user = db.session.scalar(db.select(User).where(User.phone == "+84911000005"))
        user.password_hash = hash_password("secret-pass-1")  # a production-cost hash
        db.session.commit()

        def timed(identifier):
            start = time.perf_counter()
            assert _sign_in(client, identifier).status_code == 200
            return time.perf_counter() - start

        timed("0911000005"), timed("0911999999")  # warm up
        known = statistics.median(timed("0911000005") for _ in range(7))
        unknown = statistics.median(timed("0911999999") for _ in range(7))
    finally:
        app.config["PASSWORD_HASH_FAST"] = True
    print(f"\nsign-in, median of 7: known account {known * 1000:.0f} ms, unknown account {unknown * 1000:.0f} ms")
    assert 0.7 < known / unknown < 1.4


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _start_worker(env) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "signin_worker.py")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    line = proc.stdout.readline()
    if not line.startswith("ready "):
        proc.kill()
        raise AssertionError(f"worker did not start: {line} {proc.stderr.read()[-2000:]}")
    return proc, f"http://127.0.0.1:{line.split()[1]}"


def _post(url: str, identifier: str, password: str) -> int:
    data = urllib.parse.urlencode({"identifier": identifier, "password": password}).encode()
    request = urllib.request.Request(url + "/account/login", data=data, method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_two_worker_processes_share_the_counts_through_redis(db, make_user):
    """Five wrong passwords at each of two app processes lock the account at both: the counts live in Redis."""
    if not _redis_reachable():
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"REQUIRE_REDIS is set but Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    make_user("household", phone="+84911000006")
    make_user("household", phone="+84911000007")
    db.session.commit()
    env = {**os.environ, "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
           "PYTHONPATH": str(ROOT)}
    workers = [_start_worker(env) for _ in range(2)]
    try:
        (_a, first), (_b, second) = workers
        for _ in range(5):
            assert _post(first, "0911000006", "wrong-password") == 200
            assert _post(second, "0911000006", "wrong-password") == 200
        assert _post(first, "0911000006", "secret-pass-1") == 429
        assert _post(second, "0911000006", "secret-pass-1") == 429
        assert _post(second, "0911000007", "secret-pass-1") == 302  # the next household, same counter
    finally:
        for proc, _url in workers:
            proc.terminate()
            proc.wait(timeout=10)
