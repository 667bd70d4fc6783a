"""With Redis, messages leave the request: the web process only queues them, a real worker (`flask jobs worker`)
sends them through the provider; a worker killed while sending leaves the message claimed, and after the claim
expires the sweep queues it again and a new worker completes it: the phone got one SMS. REQUIRE_REDIS=1 makes a
missing Redis a failure instead of a skip (CI)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.jobs import queue as jobs
from marketplace.messaging import send_to_phone
from marketplace.messaging.models import Message, MessageState

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("MESSAGING_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def with_redis(app):
    from redis import Redis
    from redis.exceptions import ConnectionError

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except ConnectionError:
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"REQUIRE_REDIS is set but Redis at {REDIS_URL} does not answer")
        pytest.skip(f"no Redis at {REDIS_URL}")
    connection.flushdb()
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = REDIS_URL
    app.extensions.pop("jobs_redis", None)
    yield connection
    connection.flushdb()
    app.config["REDIS_URL"] = saved
    app.extensions.pop("jobs_redis", None)


def _env(app, **extra) -> dict:
    config = app.config
    return {**os.environ, "FLASK_APP": "wsgi", "MARKETPLACE_CONFIG": "testing",
            "TEST_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"], "TEST_REDIS_URL": REDIS_URL,
            "ESMS_API_KEY": config["ESMS_API_KEY"], "ESMS_SECRET_KEY": config["ESMS_SECRET_KEY"],
            "ESMS_BRANDNAME": config["ESMS_BRANDNAME"], "ESMS_URL": config["ESMS_URL"], **extra}


def _worker(app, **extra):
    flask = Path(sys.executable).with_name("flask")
    return subprocess.Popen([str(flask), "jobs", "worker", "--burst"], cwd=ROOT, env=_env(app, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (RQ's work horse of a worker)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _state(db) -> Message:
    db.session.expire_all()
    return db.session.scalar(select(Message))


def test_the_worker_sends_what_the_request_queued(app, db, with_redis, esms):
    send_to_phone("0912345678", "otp", {"code": "314159"}, key="otp:worker")
    db.session.commit()
    assert _state(db).state is MessageState.QUEUED and esms.received == []  # nothing sent by the web process
    worker = _worker(app)
    _out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err[-2000:]
    message = _state(db)
    assert message.state is MessageState.SENT and message.channel == "sms" and len(esms.sent) == 1


def test_a_worker_killed_mid_send_leaves_the_message_to_be_completed_once(app, db, with_redis, esms):
    send_to_phone("0912345678", "otp", {"code": "271828"}, key="otp:killed")
    db.session.commit()
    esms.hang_after_next = 30  # eSMS accepts the text, then the worker dies before hearing back
    worker = _worker(app)
    deadline = time.monotonic() + 60
    while not esms.sent and time.monotonic() < deadline:
        time.sleep(0.05)
    assert esms.sent, "the worker never reached eSMS"
    for pid in [*_children(worker.pid), worker.pid]:  # the work horse (RQ puts it in a group of its own), the worker
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=10)
    message = _state(db)
    assert message.state is MessageState.SENDING  # claimed by the dead worker
    # once the claim has expired, the periodic sweep queues it again and a new worker completes it
    app.config["MESSAGE_CLAIM_SECONDS"], saved = 0, app.config["MESSAGE_CLAIM_SECONDS"]
    try:
        jobs.enqueue("messaging.requeue_stuck")
        db.session.commit()
    finally:
        app.config["MESSAGE_CLAIM_SECONDS"] = saved
    worker = _worker(app, MESSAGE_CLAIM_SECONDS="0")
    _out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err[-2000:]
    message = _state(db)
    assert message.state is MessageState.SENT and message.attempts == 2, (message.error, err[-3000:])
    assert len(esms.sent) == 1  # the second try carried the same RequestId: eSMS did not send it again
    assert [r["RequestId"] for r in esms.received][0] == [r["RequestId"] for r in esms.received][1]
