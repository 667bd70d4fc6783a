"""Security headers (Flask-Talisman) and no caching of pages that show personal data.

The app serves its own scripts and styles: the Content-Security-Policy allows nothing inline and no other origin,
except on the card payment page, which also allows Stripe.js (the origin of STRIPE_JS_URL) to run, to frame its card
field and 3-D Secure pages and to call Stripe's API. Pages are never framed. HSTS and the redirect to HTTPS apply in
production (FORCE_HTTPS); cookies are Secure there.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, request, session
from flask_login import current_user
from flask_talisman import Talisman

#: Stripe's own hosts used by Stripe.js (its documentation's CSP list)
STRIPE_SCRIPT = ("https://js.stripe.com", "https://*.js.stripe.com")
STRIPE_FRAMES = ("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com")
STRIPE_CONNECT = ("https://api.stripe.com",)
#: views whose page needs Stripe.js
CARD_PAGES = ("payments.pay",)
#: endpoints whose responses are public whatever the session holds
PUBLIC_FILES = ("static", "media", "catalog.product_card", "catalog.storefront_card")


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def content_security_policy(app: Flask) -> dict[str, str]:
    """Every page: own scripts, styles, fonts and requests only; images also from data: URLs and the map tiles."""
    images = ["'self'", "data:"]
    tiles = _origin(app.config.get("MAP_TILE_URL", ""))
    if tiles:
        images.append(tiles)
    return {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": " ".join(images),
        "font-src": "'self'",
        "connect-src": "'self'",
        "frame-src": "'none'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


def card_page_policy(app: Flask) -> dict[str, str]:
    """The card payment page: the base policy plus Stripe.js from STRIPE_JS_URL's origin (localstripe's stand-in in
    tests), its frames and its API."""
    policy = dict(content_security_policy(app))
    stripe_js = _origin(app.config.get("STRIPE_JS_URL", ""))
    extra = [stripe_js] if stripe_js else []
    api = _origin(app.config.get("STRIPE_API_BASE", ""))
    policy["script-src"] = " ".join(["'self'", *extra, *STRIPE_SCRIPT])
    policy["frame-src"] = " ".join([*extra, *STRIPE_FRAMES])
    policy["connect-src"] = " ".join(["'self'", *extra, *([api] if api else []), *STRIPE_CONNECT])
    policy["img-src"] += " https://*.stripe.com"
    return policy


def _personal() -> bool:
    """Whether the page may show something of this visitor: signed in, or a session holding a cart or a message."""
    if request.endpoint in PUBLIC_FILES:
        return False
    return bool(session) or current_user.is_authenticated  # a signed-in visitor's session is never empty


class _Talisman(Talisman):
    """Talisman with the policy of each request read from the app's configuration as it is then (Stripe.js's origin,
    the map tiles' origin), and the card page's policy for the card page."""

    def _get_local_options(self):
        options = dict(super()._get_local_options())
        if request.endpoint in CARD_PAGES:
            options["content_security_policy"] = card_page_policy(current_app)
        else:
            options["content_security_policy"] = content_security_policy(current_app)
        return options


def init_app(app: Flask) -> None:
    talisman = _Talisman()
    talisman.init_app(
        app,
        force_https=bool(app.config.get("FORCE_HTTPS", False)),
        strict_transport_security=True,  # sent on HTTPS requests only
        strict_transport_security_max_age=365 * 24 * 3600,
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE", False)),
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        content_security_policy=content_security_policy(app),
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy={"geolocation": "(self)", "camera": "()", "microphone": "()", "interest-cohort": "()"},
    )
    app.extensions["talisman"] = talisman

    @app.after_request
    def _no_store_personal_pages(response):
        if _personal():
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
