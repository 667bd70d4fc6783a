"""Slow work leaves the request: jobs are queued only when their transaction commits, run inline without Redis, and
with Redis a real worker process (`flask jobs worker`) runs them; failures after the last retry are listed for an
administrator, who retries them; a keyed job is queued once."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from marketplace.jobs import queue as jobs
from marketplace.notifications.models import Notification
from marketplace.orders.models import Order

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("JOBS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
RAN: list[tuple] = []


@jobs.task("tests.record")
def _record(*args):
    RAN.append(args)


def test_a_job_runs_after_its_commit_and_not_after_a_rollback(app, db):
    RAN.clear()
    jobs.enqueue("tests.record", 1)
    assert RAN == []  # nothing before the commit
    db.session.commit()
    assert RAN == [(1,)]  # no REDIS_URL: inline, right after the commit
    jobs.enqueue("tests.record", 2)
    db.session.rollback()
    db.session.commit()
    assert RAN == [(1,)]
    with pytest.raises(KeyError):
        jobs.enqueue("no.such.task")


def _redis(app):
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
    return connection


@pytest.fixture
def with_redis(app):
    connection = _redis(app)
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = REDIS_URL
    app.extensions.pop("jobs_redis", None)
    yield connection
    connection.flushdb()
    app.config["REDIS_URL"] = saved
    app.extensions.pop("jobs_redis", None)


def _worker(app, **env):
    """Run `flask jobs worker --burst` in its own process against the test database and Redis."""
    environ = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "MARKETPLACE_CONFIG": "testing",
        "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "TEST_REDIS_URL": REDIS_URL,
        **env,
    }
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run([str(flask), "jobs", "worker", "--burst"], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=120)


def test_a_real_worker_runs_the_queued_sweep_in_its_own_process(app, db, with_redis, buyer, make_listing, place):
    from rq import Queue

    order = place(buyer, {make_listing().id: 1}).orders[0]
    db.session.execute(update(Order).where(Order.id == order.id).values(created_at=order.created_at - timedelta(hours=30)))
    db.session.commit()
    jobs.enqueue("orders.remind_unconfirmed", key="sweep-test")
    jobs.enqueue("orders.remind_unconfirmed", key="sweep-test")  # the same key: queued once
    db.session.commit()
    sweeps = [j for j in Queue("default", connection=with_redis).jobs if j.description == "orders.remind_unconfirmed"]
    assert len(sweeps) == 1  # (beside the household's new-order message, queued when the order was placed)
    before = set(db.session.scalars(select(Notification.kind).where(Notification.user_id == order.household.user_id)))
    assert "confirm_reminder" not in before  # nothing ran in the web process
    result = _worker(app)
    assert result.returncode == 0, result.stderr[-2000:]
    db.session.expire_all()
    kinds = set(db.session.scalars(select(Notification.kind).where(Notification.user_id == order.household.user_id)))
    assert "confirm_reminder" in kinds


def test_a_job_that_fails_every_try_is_listed_for_the_administrator_who_retries_it(
    app, client, auth, db, with_redis, make_user
):
    from rq import Queue

    app.config["MAIL_SERVER"] = "127.0.0.1:9"  # nothing listens there: the SMTP send fails
    try:
        jobs.enqueue("notifications.send_mail", "lan@example.vn", "Đơn DH000001", "Đã giao", retries=0)
        db.session.commit()
    finally:
        app.config["MAIL_SERVER"] = ""
    result = _worker(app, MAIL_SERVER="127.0.0.1:9")
    assert result.returncode == 0, result.stderr[-2000:]
    q = Queue("default", connection=with_redis)
    assert q.failed_job_registry.count == 1
    auth.login(make_user("admin"))
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "notifications.send_mail" in page and "lan@example.vn" in page and "Connection" in page
    job_id = q.failed_job_registry.get_job_ids()[0]
    assert client.post("/admin/jobs", data={"job_id": job_id, "action": "retry"}).status_code == 302
    assert q.failed_job_registry.count == 0 and q.count == 1
    assert client.post("/admin/jobs", data={"job_id": "nope", "action": "retry"}).status_code == 404


def test_the_jobs_page_says_when_jobs_run_inline(client, auth, db, make_user):
    auth.login(make_user("admin"))
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "REDIS_URL" in page
    auth.logout()
    auth.login(make_user("clerk"))
    assert client.get("/admin/jobs").status_code == 403
