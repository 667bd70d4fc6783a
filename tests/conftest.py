"""Test set-up: one app and one schema per session (built by the migrations), a clean database per test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import contextvars
import os
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import inspect, text

pytest_plugins = [
    "tests.fixtures.factories",
    "tests.fixtures.orders",
    "tests.fixtures.stripe",
    "tests.fixtures.postal",
    "tests.fixtures.people",
    "tests.fixtures.search",
    "tests.fixtures.postal_orders",
    "tests.fixtures.rails",
]

KEEP_TABLES = {"provinces", "wards", "alembic_version", "tariff_rates"}  # seed data from the migrations


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, like in production (nothing leaks through `g` or the session).

    The test's own session commits before the request (so the request sees the test's data and no lock is held)
    and after it (so the test re-reads what the request changed).
    """

    def open(self, *args, **kwargs):
        from flask import has_app_context

        from marketplace.extensions import db

        if not has_app_context():  # a redirect followed inside the request's own context
            return super().open(*args, **kwargs)
        db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.commit()
        return response


@pytest.fixture(scope="session")
def _app_and_schema(tmp_path_factory):
    from flask_migrate import upgrade

    from marketplace import create_app

    base = tmp_path_factory.mktemp("marketplace")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{base / 'test.db'}"
    os.environ["TEST_DATABASE_URL"] = url
    app = create_app("testing")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        UPLOAD_DIR=str(base / "uploads"),
        SEARCH_INDEX_DIR=str(base / "search-index"),
    )
    app.test_client_class = IsolatedClient
    from marketplace.extensions import limiter

    limiter.enabled = False  # tests share one address; the rate-limit test switches it on
    with app.app_context():
        from marketplace.extensions import db

        if os.environ.get("REQUIRE_POSTGRES") and db.engine.dialect.name != "postgresql":
            pytest.exit(f"REQUIRE_POSTGRES is set but the suite runs on {db.engine.dialect.name}", returncode=3)
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.session.remove()
    yield app


@pytest.fixture
def app(_app_and_schema):
    """The app with an app context pushed for the test body; the database is emptied after each test."""
    from marketplace.extensions import db

    app = _app_and_schema
    from marketplace.extensions import limiter

    limiter.enabled = False  # another app built by a test (create_app) switches it back on; each test starts clean
    ctx = app.app_context()
    ctx.push()
    try:
        yield app
    finally:
        db.session.rollback()
        db.session.remove()
        _empty_tables(db)
        from marketplace.extensions import cache

        cache.clear()  # ids start again at 1 in the next test: no page of this one may be served there
        app.config["PAGE_CACHE"] = True
        ctx.pop()


def _empty_tables(db) -> None:
    names = [t.name for t in db.metadata.sorted_tables if t.name not in KEEP_TABLES]
    existing = set(inspect(db.engine).get_table_names())
    names = [n for n in names if n in existing]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for name in reversed(names):
                conn.execute(text(f'DELETE FROM "{name}"'))
            conn.execute(text("PRAGMA foreign_keys=ON"))


@pytest.fixture
def db(app):
    from marketplace.extensions import db

    return db


@pytest.fixture
def uncached(app):
    """Pages rendered on every request (the page cache off): for tests that count a page's queries."""
    app.config["PAGE_CACHE"] = False


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user, password: str = "secret-pass-1"):
        """Sign in through the real form, by phone or e-mail."""
        identifier = user.email or ("0" + user.phone[3:])
        response = self._client.post("/account/login", data={"identifier": identifier, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self._client.post("/account/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(os.environ.get("TEST_ARTIFACTS", tempfile.gettempdir())) / "marketplace-test-artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path
