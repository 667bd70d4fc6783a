"""Chợ Nông Sản Bưu Điện — the Postal Farm Market."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

import config as config_module
from marketplace.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

#: feature packages, each exposing `bp`; registered in this order
FEATURES = ("ops", "geo", "accounts", "households", "catalog", "postal", "cart", "orders", "payments", "notifications",
            "reviews", "dashboards", "search", "staff", "jobs", "relief", "messaging")


def create_app(config: str | object | None = None) -> Flask:
    """Build the application. `config` is a config name, a config object, or None for MARKETPLACE_CONFIG."""
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
        instance_path=str(config_module.INSTANCE_DIR),
    )
    cfg = config if config is not None and not isinstance(config, str) else config_module.load(config)
    app.config.from_object(cfg)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES",
        ";".join(str(p) for p in sorted((ROOT / "marketplace").glob("**/translations"))),
    )

    from marketplace import inputs, web

    inputs.init_app(app)  # before any route: the bounded <int:> converter, the cleaning request class
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    web.init_app(app)

    _import_models()
    import importlib

    for name in FEATURES:
        module = importlib.import_module(f"marketplace.{name}")
        app.register_blueprint(module.bp)

    from marketplace import cli, headers, pagecache
    from marketplace.jobs import queue as jobs

    headers.init_app(app)
    pagecache.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    _import_tasks()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)
    return app


def _import_tasks() -> None:
    """Register every feature's background tasks (the worker runs them by name)."""
    from marketplace.catalog import photo_drafts as _c  # noqa: F401
    from marketplace.notifications import tasks as _n  # noqa: F401
    from marketplace.orders import tasks as _o  # noqa: F401
    from marketplace.payments import tasks as _p  # noqa: F401
    from marketplace.search import tasks as _s  # noqa: F401
    from marketplace.relief import tasks as _r  # noqa: F401
    from marketplace.postal import pickup as _pk  # noqa: F401
    from marketplace.messaging import tasks as _m  # noqa: F401


def _import_models() -> None:
    """Import every feature's models so that SQLAlchemy and Alembic see all tables."""
    from marketplace.accounts import models as _a  # noqa: F401
    from marketplace.catalog import models as _c  # noqa: F401
    from marketplace.geo import models as _g  # noqa: F401
    from marketplace.households import models as _h  # noqa: F401
    from marketplace.postal import models as _p  # noqa: F401
    from marketplace.cart import models as _ct  # noqa: F401
    from marketplace.orders import models as _o  # noqa: F401
    from marketplace.payments import models as _pay  # noqa: F401
    from marketplace.notifications import models as _n  # noqa: F401
    from marketplace.reviews import models as _r  # noqa: F401
    from marketplace.dashboards import models as _d  # noqa: F401
    from marketplace.search import models as _s  # noqa: F401
    from marketplace.staff import models as _st  # noqa: F401
    from marketplace.messaging import models as _msg  # noqa: F401


def _tune_sqlite(app: Flask) -> None:
    """WAL, a busy timeout and foreign keys for every SQLite connection (several requests write at once)."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            if engine.url.database not in (None, "", ":memory:"):
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
