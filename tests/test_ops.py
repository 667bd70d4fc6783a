"""Operating the site: liveness and readiness probes, request ids in responses and logs, Prometheus metrics."""

import logging

import pytest


def test_healthz_says_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_search_backend(client):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["search"]["ok"]
    assert "redis" not in body["checks"]  # none configured in the tests


def test_readyz_fails_with_503_and_says_what_is_down(client, monkeypatch):
    from marketplace.ops import views

    def broken():
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(views, "_database", broken)
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 503 and body["status"] == "fail"
    assert body["checks"]["database"] == {"ok": False, "error": "ConnectionError: database unreachable",
                                          "ms": body["checks"]["database"]["ms"]}


def test_readyz_checks_redis_when_configured(client, app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        body = client.get("/readyz").get_json()
    finally:
        app.config["REDIS_URL"] = ""
    assert body["status"] == "fail" and body["checks"]["redis"]["ok"] is False


def test_a_sane_request_id_is_kept_and_anything_else_replaced(client, caplog, monkeypatch):
    # the migrations' logging.config.fileConfig disabled the loggers that existed then (the suite builds its schema)
    monkeypatch.setattr(logging.getLogger("marketplace.requests"), "disabled", False)
    caplog.set_level(logging.INFO, logger="marketplace.requests")
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"}).headers["X-Request-ID"] == "lb-7f3a.42"
    replaced = client.get("/healthz", headers={"X-Request-ID": "x" * 65}).headers["X-Request-ID"]
    assert len(replaced) == 32 and replaced != "x" * 65
    assert client.get("/healthz", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"] != "<script>"
    generated = client.get("/tinh").headers["X-Request-ID"]
    assert len(generated) == 32
    lines = [r for r in caplog.records if r.name == "marketplace.requests"]
    assert any(r.request_id == "lb-7f3a.42" and "GET /healthz 200" in r.getMessage() for r in lines)
    assert any(r.request_id == generated and "endpoint=catalog.provinces" in r.getMessage() for r in lines)


def _metric(client, line_start: str) -> float:
    """The value of the sample whose line starts with `line_start` (0 when absent): the registry lives as long as
    the app, so tests compare before and after."""
    for line in client.get("/metrics").get_data(as_text=True).splitlines():
        if line.startswith(line_start + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_latency_by_endpoint_errors_and_checkouts(client, buyer, make_listing, place):
    samples = {
        "ok": 'flask_http_request_duration_seconds_count{endpoint="catalog.product",method="GET",status="200"}',
        "missing": 'flask_http_request_total{method="GET",status="404"}',
        "checkouts": 'marketplace_checkouts_total{payment="cod"}',
        "hits": 'marketplace_page_cache_total{endpoint="catalog.product",result="hit"}',
    }
    before = {k: _metric(client, v) for k, v in samples.items()}
    listing = make_listing(stock=9)
    client.get(f"/p/{listing.id}")
    client.get(f"/p/{listing.id}")
    client.get("/p/999999")
    place(buyer, {listing.id: 1})
    after = {k: _metric(client, v) for k, v in samples.items()}
    assert {k: after[k] - before[k] for k in samples} == {"ok": 2, "missing": 1, "checkouts": 1, "hits": 1}


@pytest.mark.parametrize("header, status", [({}, 403), ({"Authorization": "Bearer wrong"}, 403),
                                            ({"Authorization": "Bearer s3cret"}, 200)])
def test_metrics_need_the_token_when_one_is_set(client, app, header, status):
    app.config["METRICS_TOKEN"] = "s3cret"
    try:
        assert client.get("/metrics", headers=header).status_code == status
    finally:
        app.config["METRICS_TOKEN"] = ""
