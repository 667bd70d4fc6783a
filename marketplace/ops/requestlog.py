"""A request id on every request (the caller's X-Request-ID when it is sane, else a new one), sent back in the
response and written in every log line of the request; one access line per request with its time, its SQL
statements and their time, and the page cache's answer. With SERVER_TIMING on (benchmarks), the SQL figures are
also sent in a Server-Timing header."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger("marketplace.requests")
#: what a caller's request id may look like (a proxy's UUID, a trace id); anything else is replaced
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (`-` outside a request), for the formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def _before_cursor(conn, cursor, statement, parameters, context, executemany):
    if has_request_context():
        context._started = time.perf_counter()


def _after_cursor(conn, cursor, statement, parameters, context, executemany):
    started = getattr(context, "_started", None)
    if started is not None and has_request_context():
        g.sql_count = g.get("sql_count", 0) + 1
        g.sql_seconds = g.get("sql_seconds", 0.0) + time.perf_counter() - started


def _handler() -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    handler.addFilter(RequestIdFilter())
    return handler


def init_app(app: Flask) -> None:
    if not getattr(init_app, "_listening", False):
        init_app._listening = True
        event.listen(Engine, "before_cursor_execute", _before_cursor)
        event.listen(Engine, "after_cursor_execute", _after_cursor)
    package = logging.getLogger("marketplace")
    if not app.testing and not package.handlers:
        package.addHandler(_handler())
        package.setLevel(logging.INFO)

    @app.before_request
    def _start():
        g.request_started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex

    @app.after_request
    def _finish(response):
        rid = g.get("request_id")
        if rid is None:
            return response
        response.headers["X-Request-ID"] = rid
        ms = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        sql_n, sql_ms = g.get("sql_count", 0), g.get("sql_seconds", 0.0) * 1000
        if app.config.get("SERVER_TIMING"):
            response.headers["Server-Timing"] = f'app;dur={ms:.2f}, sql;dur={sql_ms:.2f};desc="{sql_n}"'
        if app.config.get("REQUEST_LOG", True) and not request.path.startswith("/static/"):
            log.info("%s %s %s %.1fms sql=%d/%.1fms cache=%s endpoint=%s", request.method,
                     request.full_path.rstrip("?"), response.status_code, ms, sql_n, sql_ms, g.get("page_cache", "-"),
                     request.endpoint, extra={"request_id": rid})
        return response
