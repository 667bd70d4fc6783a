"""What every page shares: language choice, Vietnamese formats, error pages, uploaded media."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from babel.numbers import format_decimal
from flask import Flask, g, jsonify, redirect, render_template, request, send_from_directory, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from marketplace.accounts.phone import display_phone
from marketplace.text import display_text
from marketplace.timeutil import to_local

UNIT_LABELS = {
    "kg": _l("kg"),
    "bo": _l("bunch"),
    "qua": _l("piece"),
    "hop": _l("box"),
    "chai": _l("bottle"),
    "tui": _l("bag"),
    "hu": _l("jar"),
    "goi": _l("pack"),
}

CERT_LABELS = {"vietgap": _l("VietGAP"), "organic": _l("Organic"), "ocop": _l("OCOP")}

ROLE_LABELS = {"buyer": _l("Buyer"), "household": _l("Farm household"), "clerk": _l("Postal clerk"), "admin": _l("Administrator")}


def select_locale() -> str:
    """Explicit choice (session), then the account's saved choice, then Vietnamese."""
    lang = session.get("lang")
    if lang in ("vi", "en"):
        return lang
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in ("vi", "en"):
        return current_user.locale
    return "vi"


def _page_locale(default: str = "vi") -> str:
    try:
        return str(get_locale() or default)
    except RuntimeError:  # outside a request (jobs, labels): the operator's language
        return default


def _grouped(value: int, locale: str) -> str:
    """Thousands grouped the way the language writes them (plain string formatting: Babel's format_decimal cost 5 %
    of a catalogue page, called once per card)."""
    return f"{value:,}".replace(",", "." if locale == "vi" else ",")


def vnd(amount: int | None, locale: str | None = None) -> str:
    """`1250000` → `1.250.000 ₫` on a Vietnamese page, `1,250,000 ₫` on an English one: every number on a page follows
    the page's language (printed labels pass `locale="vi"`: they read the same whoever prints them)."""
    if amount is None:
        return ""
    return f"{_grouped(int(amount), locale or _page_locale())} ₫"


def number(value: int | float | None) -> str:
    if value is None:
        return ""
    locale = _page_locale()
    if isinstance(value, int) and locale in ("vi", "en"):
        return _grouped(value, locale)
    return format_decimal(value, locale=locale)


def vn_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def vn_datetime(value: datetime | None) -> str:
    return "" if value is None else to_local(value).strftime("%H:%M %d/%m/%Y")


#: (language, unit) → label: translations do not change while the process runs, and a catalogue page asks 24 times
_UNIT_TEXT: dict[tuple[str, str], str] = {}


def unit_label(unit) -> str:
    value = getattr(unit, "value", unit)
    key = (str(get_locale() or "vi"), value)
    text = _UNIT_TEXT.get(key)
    if text is None:
        text = _UNIT_TEXT[key] = str(UNIT_LABELS.get(value, unit))
    return text


def weight(grams: int | None) -> str:
    if grams is None:
        return ""
    if grams >= 1000:
        kg = grams / 1000
        return f"{number(round(kg, 2))} kg"
    return f"{grams} g"


def safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return default


def province_names() -> dict[int, str]:
    """All 34 province names, loaded once per request (one query, whatever the page shows)."""
    _load_provinces()
    return g.province_names


def province_codenames() -> dict[int, str]:
    _load_provinces()
    return g.province_codenames


#: the 34 provinces (code → name, code → codename): reference data loaded by the first migration and never changed
#: by the app, so each process reads it once instead of once per page
_PROVINCES: dict[str, dict[int, str]] = {}


def _load_provinces() -> None:
    if "province_names" not in g:
        if not _PROVINCES:
            from marketplace.geo.services import provinces

            rows = provinces()
            if rows:
                _PROVINCES.update(names={p.code: p.short_name for p in rows},
                                  codenames={p.code: p.codename for p in rows})
        g.province_names = _PROVINCES.get("names", {})
        g.province_codenames = _PROVINCES.get("codenames", {})


def home_for(user) -> str:
    """Where a person's day starts after sign-in: their own work (households their orders, clerks the desk of their
    point, administrators the operator dashboard); buyers the market."""
    role = getattr(getattr(user, "role", None), "value", None)
    if role == "household":
        return url_for("orders.incoming")
    if role == "clerk":
        return url_for("postal.desk_home")
    if role == "admin":
        return url_for("dashboards.operator")
    return url_for("catalog.home")


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json" and not request.accept_mimetypes.accept_html
    )


def too_many_requests(exc: RateLimitExceeded):
    """The throttles' refusal, in the reader's language: what was refused and when to try again (also Retry-After)."""
    from marketplace.extensions import limiter

    limit = getattr(exc, "limit", None)
    reason = limit.error_message() if limit is not None and callable(limit.error_message) else None
    current = limiter.current_limit
    reset_at = current.reset_at if current is not None else int(time.time()) + 60
    minutes = max(1, round((reset_at - time.time()) / 60))
    when = to_local(datetime.fromtimestamp(reset_at, UTC)).strftime("%H:%M")
    message = " ".join([
        reason or _("Too many attempts."),
        ngettext("Try again in %(num)d minute, at %(time)s.", "Try again in %(num)d minutes, at %(time)s.", minutes,
                 time=when),
    ])
    if wants_json():
        return jsonify(error=message, retry_after=max(0, reset_at - int(time.time()))), 429
    return render_template("errors/error.html", code=429, message=message), 429


def _displayed(value):
    """Every value a template prints, without control characters or bidi overrides (whatever path the text took into
    the database: forms, imports, the demo data). Markup stays markup."""
    if isinstance(value, Markup):
        return Markup(display_text(str(value)))
    return display_text(value) if isinstance(value, str) else value


def init_app(app: Flask) -> None:
    app.jinja_env.finalize = _displayed
    app.jinja_env.filters.update(
        vnd=vnd, number=number, vn_date=vn_date, vn_datetime=vn_datetime, unit_label=unit_label, weight=weight,
        phone=display_phone,
    )
    app.jinja_env.globals.update(
        province_names=province_names, province_codenames=province_codenames, CERT_LABELS=CERT_LABELS, ROLE_LABELS=ROLE_LABELS, UNIT_LABELS=UNIT_LABELS
    )

    @app.context_processor
    def _shared():
        return {"locale": str(get_locale() or "vi")}

    @app.route("/lang/<code>", methods=["GET", "POST"])
    def set_language(code: str):
        """The interface language for this session. Signed in, the header's switch is a POST form that also saves it
        on the account; a GET (the anonymous header's link, a shared link) changes only this session."""
        if code in app.config["LANGUAGES"]:
            session["lang"] = code
            if request.method == "POST" and current_user.is_authenticated:
                from marketplace.accounts.services import set_locale
                from marketplace.extensions import db

                set_locale(current_user, code)
                db.session.commit()
        return redirect(safe_next(url_for("catalog.home")))

    @app.get("/media/<path:name>")
    def media(name: str):
        return send_from_directory(app.config["UPLOAD_DIR"], name, max_age=30 * 24 * 3600)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        message = _("Your form expired or was sent from elsewhere. Please reload the page and try again.")
        if wants_json():
            return jsonify(error=message), 400
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded):
        return too_many_requests(exc)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        messages = {
            400: _("The request could not be understood."),
            403: _("You are not allowed to do that."),
            404: _("We could not find that page."),
            405: _("That action is not allowed here."),
            413: _("The upload is too large."),
        }
        message = messages.get(exc.code, exc.description or _("Something went wrong."))
        if wants_json():
            return jsonify(error=str(message)), exc.code
        return render_template("errors/error.html", code=exc.code, message=message), exc.code

    @app.errorhandler(500)
    def _server_error(exc):
        from marketplace.extensions import db

        db.session.rollback()
        message = _("Something went wrong on our side. Please try again in a moment.")
        if wants_json():
            return jsonify(error=message), 500
        return render_template("errors/error.html", code=500, message=message), 500
