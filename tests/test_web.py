"""Shared web behaviour: CSRF, language, Vietnamese formats, error pages, security headers."""

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.web import vn_date, vn_datetime, vnd


def test_money_and_dates_use_vietnamese_formats():
    assert vnd(1_250_000) == "1.250.000 ₫"
    assert vnd(500) == "500 ₫"
    assert vn_date(date(2026, 3, 9)) == "09/03/2026"
    # stored in UTC, shown in Asia/Ho_Chi_Minh (UTC+7): 18:30 UTC is 01:30 the next day
    assert vn_datetime(datetime(2026, 3, 9, 18, 30, tzinfo=UTC)) == "01:30 10/03/2026"


def test_forms_without_csrf_token_are_rejected_and_change_nothing(client, db, csrf_on, make_user):
    response = client.post("/account/signup", data={"name": "X", "phone": "0912345678", "kind": "buyer",
                                                    "password": "mat-khau-123", "confirm": "mat-khau-123"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(User.id))) == 0
    user = make_user()
    response = client.post("/account/login", data={"identifier": "0" + user.phone[3:], "password": "secret-pass-1"})
    assert response.status_code == 400


def test_forms_with_the_csrf_token_work(client, db, csrf_on):
    page = client.get("/account/signup").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/account/signup", data={"csrf_token": token, "name": "X", "phone": "0912345678",
                                                    "kind": "buyer", "password": "mat-khau-123",
                                                    "confirm": "mat-khau-123"})
    assert response.status_code == 302


def test_interface_is_vietnamese_by_default_and_switches_to_english(client, make_user, auth, db):
    assert "Đăng nhập" in client.get("/").get_data(as_text=True)
    client.get("/lang/en")
    assert "Sign in" in client.get("/").get_data(as_text=True)
    client.get("/lang/vi")
    user = make_user()
    auth.login(user)
    client.get("/lang/en")
    db.session.refresh(user)
    assert user.locale is None  # a GET (a shared link) changes this session only
    client.post("/lang/en")  # the header's switch
    db.session.refresh(user)
    assert user.locale == "en"  # remembered on the account for the next device


def test_unknown_pages_get_a_friendly_404_in_html_and_json(client):
    response = client.get("/khong-ton-tai")
    assert response.status_code == 404 and "<html" in response.get_data(as_text=True)
    response = client.get("/geo/provinces/999/wards")
    assert response.status_code == 404 and response.get_json()["error"]


def test_ward_picker_endpoint_lists_wards_of_a_province(client):
    wards = client.get("/geo/provinces/1/wards").get_json()["wards"]
    assert len(wards) == 126 and any(w["name"] == "Phường Hoàn Kiếm" for w in wards)


def test_security_headers_and_cookie_flags(client, app):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_production_config_refuses_to_start_without_secrets(monkeypatch):
    import pytest

    import config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load("production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(RuntimeError, match="REDIS_URL"):  # throttles counted per worker would let guesses through
        config.load("production")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    cfg = config.load("production")
    assert cfg.SESSION_COOKIE_SECURE is True
    assert cfg.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@h/db"
    assert cfg.RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"


def test_production_with_per_process_limits_says_so_loudly(monkeypatch, caplog):
    import config

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with caplog.at_level("ERROR"):
        config.load("production")
    assert "counted per process" in caplog.text


def test_the_schema_has_all_administrative_units(db):
    from marketplace.geo.models import Province, Ward

    assert db.session.scalar(select(func.count(Province.code))) == 34
    assert db.session.scalar(select(func.count(Ward.code))) == 3321


def test_language_switch_returns_to_the_page_the_user_was_on(client):
    response = client.get("/lang/en?next=/tinh", follow_redirects=True)
    assert response.status_code == 200 and response.request.path == "/tinh"
    assert "Specialties of each province" in response.get_data(as_text=True)


def test_wsgi_module_imports_in_a_fresh_interpreter(tmp_path):
    """What gunicorn and `flask run` do first: import wsgi from nothing (an import cycle shows only here, since the
    suite has imported every module before)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, SECRET_KEY="x" * 40, DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}",
               MARKETPLACE_INSTANCE=str(tmp_path), MARKETPLACE_CONFIG="production", REDIS_URL="redis://127.0.0.1:6379/0")
    result = subprocess.run([sys.executable, "-c", "import wsgi; print(wsgi.app.name)"], cwd=root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "marketplace"
