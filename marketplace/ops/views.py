"""GET /healthz: the process answers. GET /readyz: it can serve (database, Redis when configured, search)."""

from __future__ import annotations

import time

from flask import current_app, jsonify
from sqlalchemy import text

from marketplace.extensions import db
from marketplace.ops import bp

#: one Redis client per process and URL (its own connection pool; nothing shared between processes)
_redis_clients: dict[str, object] = {}


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # a probe reports what failed, it does not fail itself
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300],
                "ms": round((time.perf_counter() - started) * 1000, 1)}
    out = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if isinstance(detail, dict):
        out.update(detail)
    return out


def _database() -> None:
    db.session.execute(text("SELECT 1"))
    db.session.rollback()


def _redis() -> None:
    import redis

    url = current_app.config["REDIS_URL"]
    client = _redis_clients.get(url)
    if client is None:
        client = _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    client.ping()


def _search() -> dict:
    from marketplace.search import api

    return {"backend": current_app.config.get("SEARCH_BACKEND", "whoosh"), **api.check()}


@bp.get("/readyz")
def readyz():
    checks = {"database": _timed(_database)}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _timed(_redis)
    checks["search"] = _timed(_search)
    ok = all(c["ok"] for c in checks.values())
    return jsonify(status="ok" if ok else "fail", checks=checks), 200 if ok else 503
