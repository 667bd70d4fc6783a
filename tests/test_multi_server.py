"""Several app servers, one truth: two gunicorn servers (separate processes, different ports) and a background worker
on one PostgreSQL and one Redis behave as one site — sessions, sign-in throttles, the page cache, search (PostgreSQL
backend, updated by the worker), uploaded photos (one shared upload folder) and jobs.

Runs in the PostgreSQL pass of CI (it skips on SQLite: several servers share a database server, not a file)."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("MULTI_SERVER_REDIS_URL", "redis://127.0.0.1:6379/12")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _browser():
    """A session for plain HTTP to the servers (production cookies are Secure: they come back here as a TLS proxy
    would send them)."""
    import requests

    class Browser(requests.Session):
        def request(self, *args, **kwargs):
            kwargs.setdefault("timeout", 30)
            response = super().request(*args, **kwargs)
            for cookie in self.cookies:
                cookie.secure = False
            return response

    return Browser()


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture
def site(app, db, tmp_path):
    """Two servers and a worker sharing the test's PostgreSQL database, Redis and an upload folder."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several app servers share a PostgreSQL server")
    from redis import Redis

    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except Exception:  # noqa: BLE001 - any connection failure
        if os.environ.get("REQUIRE_REDIS"):
            pytest.fail(f"REQUIRE_REDIS is set but Redis at {REDIS_URL} does not answer")
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis.flushdb()
    uploads = tmp_path / "shared-uploads"
    uploads.mkdir()
    env = {
        **os.environ,
        "MARKETPLACE_CONFIG": "production",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "multi-server-test-secret",
        "REDIS_URL": REDIS_URL,
        "UPLOAD_DIR": str(uploads),
        "SEARCH_BACKEND": "postgres",
        "SEARCH_SYNC": "queue",  # the worker indexes: several servers, one indexer
        "FORCE_HTTPS": "0",  # plain HTTP on localhost, as behind the TLS proxy
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "PYTHONWARNINGS": "ignore",
    }
    (tmp_path / "metrics").mkdir()
    procs, urls = [], []
    for _ in range(2):
        port = _free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
             "wsgi:app"], cwd=ROOT, env=env, start_new_session=True))
        urls.append(f"http://127.0.0.1:{port}")
    flask = str(Path(sys.executable).with_name("flask"))
    procs.append(subprocess.Popen([flask, "jobs", "worker"], cwd=ROOT, env={**env, "FLASK_APP": "wsgi"},
                                  start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    import requests

    for url in urls:
        for _ in range(150):
            try:
                if requests.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            pytest.fail(f"{url} did not start")

    class Site:
        a, b = urls
        upload_dir = uploads

    yield Site
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=20)
    redis.flushdb()


def _sign_in(browser, url: str, identifier: str, password: str = "secret-pass-1"):
    page = browser.get(url + "/account/login").text
    return browser.post(url + "/account/login", data={"csrf_token": _token(page), "identifier": identifier,
                                                      "password": password}, allow_redirects=False)


def _until(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    return check()


def test_two_servers_and_a_worker_behave_as_one_site(site, db, make_user, make_listing, make_household, buyer):
    from tests.fixtures.factories import photo_bytes

    seller = make_household(make_user("household", phone="+84911222333"))
    listing = make_listing(seller, title="Vải thiều Thanh Hà", price=60_000, stock=20)
    make_user("household", phone="+84911222444")
    db.session.commit()

    # a session made on A works on B, and signing out on A ends it on B
    household = _browser()
    assert _sign_in(household, site.a, "0911222333").status_code == 302
    assert household.get(site.b + "/my/orders", allow_redirects=False).status_code == 200
    stolen = _browser()
    stolen.cookies.update(household.cookies)
    assert stolen.get(site.b + "/my/listings", allow_redirects=False).status_code == 200

    # the page cache is shared and follows a change made through the other server
    anonymous = _browser()
    first = anonymous.get(f"{site.b}/p/{listing.id}").text
    assert "60.000 ₫" in first
    edit = household.get(f"{site.a}/my/listings/{listing.id}/edit").text
    fields = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', edit))
    form = {
        "csrf_token": fields["csrf_token"], "title": "Vải thiều Thanh Hà loại 1", "category": str(listing.category_id),
        "unit": listing.unit.value, "price": "65.000", "stock": fields["stock_loaded"], "weight_grams": "1000",
        "min_order_qty": "1", "availability": "in_stock", "version": fields["version"],
        "stock_loaded": fields["stock_loaded"], "description": "",
    }
    response = household.post(f"{site.a}/my/listings/{listing.id}/edit", data=form, allow_redirects=False)
    assert response.status_code == 302, response.text[:2000]
    assert "65.000 ₫" in anonymous.get(f"{site.b}/p/{listing.id}").text  # B's very next response

    # search (PostgreSQL backend) is updated by the worker from a job: found through either server
    found = _until(lambda: "Thanh Hà loại 1" in anonymous.get(site.b + "/search", params={"q": "thanh ha loai 1"}).text)
    assert found, "the worker did not index the new title"

    # a photo uploaded through A is served by B (one shared upload folder)
    new = household.get(f"{site.a}/my/listings/new").text
    created = household.post(f"{site.a}/my/listings/new", data={
        "csrf_token": _token(new), "title": "Nhãn lồng Hưng Yên", "category": str(listing.category_id), "unit": "kg",
        "price": "45.000", "stock": "10", "weight_grams": "1000", "min_order_qty": "1", "availability": "in_stock",
    }, files={"photos": ("nhan.jpg", io.BytesIO(photo_bytes()), "image/jpeg")}, allow_redirects=False)
    assert created.status_code == 302, created.text[:2000]
    photo = next(site.upload_dir.glob("listings/*-t.webp"))
    assert anonymous.get(f"{site.b}/media/listings/{photo.name}").status_code == 200

    # sign-in throttles are counted across both servers (Redis): 5 wrong tries on each lock the account on both
    other = f"wrong-{uuid.uuid4().hex[:6]}"
    for url in (site.a, site.b) * 5:
        _sign_in(_browser(), url, "0911222444", other)
    assert _sign_in(_browser(), site.a, "0911222444").status_code == 429
    assert _sign_in(_browser(), site.b, "0911222444").status_code == 429

    # signing out on A ends the session everywhere, the copied cookie included
    page = household.get(site.a + "/my/orders").text
    household.post(site.a + "/account/logout", data={"csrf_token": _token(page)})
    assert stolen.get(site.b + "/my/listings", allow_redirects=False).status_code == 302
