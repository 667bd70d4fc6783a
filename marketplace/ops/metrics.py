"""Metrics in Prometheus format at /metrics (prometheus-flask-exporter over prometheus_client).

- `flask_http_request_duration_seconds{method, endpoint, status}`: request latency by endpoint (histogram);
  `flask_http_request_total{method, status}` and `flask_http_request_exceptions_total`: traffic and errors;
- `marketplace_checkouts_total{payment}`: checkouts committed; `marketplace_page_cache_total{endpoint, result}`:
  the page cache's hits and misses.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py does): every worker writes its figures there and
/metrics adds them up, whichever worker answers. METRICS_TOKEN, when set, must come as a bearer token.
"""

from __future__ import annotations

import hmac
import os
from functools import wraps

from flask import Flask, abort, current_app, g, has_app_context, request
from flask_sqlalchemy.session import Session as AppSession
from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import event
from sqlalchemy.orm import object_session

_PENDING = "metrics_checkouts"


def _protected(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = current_app.config.get("METRICS_TOKEN")
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token and not hmac.compare_digest(given.encode(), token.encode()):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def init_app(app: Flask) -> None:
    if not app.config.get("METRICS", True):
        return
    options = dict(group_by="endpoint", excluded_paths=["^/static/", "^/media/", "^/healthz$", "^/readyz$"],
                   metrics_decorator=_protected)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        exporter = GunicornInternalPrometheusMetrics(app, **options)
    else:
        from prometheus_flask_exporter import PrometheusMetrics

        exporter = PrometheusMetrics(app, registry=CollectorRegistry(auto_describe=True), **options)
    checkouts = Counter("marketplace_checkouts_total", "Checkouts committed", ["payment"], registry=exporter.registry)
    page_cache = Counter("marketplace_page_cache_total", "Cached pages served (hit) or rendered (miss, bypass)",
                         ["endpoint", "result"], registry=exporter.registry)
    app.extensions["metrics"] = {"exporter": exporter, "checkouts": checkouts, "page_cache": page_cache}

    @app.after_request
    def _count_page_cache(response):
        result = g.get("page_cache")
        if result:
            page_cache.labels(request.endpoint or "-", result).inc()
        return response

    _listen_for_checkouts()


def _listen_for_checkouts() -> None:
    if getattr(_listen_for_checkouts, "_done", False):
        return
    _listen_for_checkouts._done = True
    from marketplace.orders.models import Checkout

    @event.listens_for(Checkout, "after_insert")
    def _inserted(_mapper, _connection, target):
        session = object_session(target)
        if session is None:
            return
        method = getattr(target.payment_method, "value", target.payment_method)
        session.info.setdefault(_PENDING, []).append(str(method or "-"))

    @event.listens_for(AppSession, "after_commit")
    def _committed(session):
        methods = session.info.pop(_PENDING, None)
        if methods and has_app_context():
            counter = current_app.extensions.get("metrics", {}).get("checkouts")
            for method in methods if counter is not None else ():
                counter.labels(method).inc()

    @event.listens_for(AppSession, "after_soft_rollback")
    def _rolled_back(session, previous_transaction):
        if not previous_transaction.nested:
            session.info.pop(_PENDING, None)
