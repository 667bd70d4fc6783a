"""`@cached_page`: serve a catalogue page from the shared cache, its personal parts filled in per request.

A page is rendered with holes instead of what differs between visitors: the header's navigation (cart count,
sign-in state, menu), the flashed messages, CSRF tokens, and the product page's quantity field (which says how many
are already in this visitor's cart and offers only what is left). The page with its holes is stored under a key made of
the release, the language and the URL, together with the versions its tags had before it was rendered; a visit
reads the page and the current versions in one round trip and, when they match, fills the holes (for a visitor who
is not signed in and has an empty cart the navigation was stored with the page: no template is rendered at all).
Every response gets an ETag over what is sent, and a matching If-None-Match gets a 304.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from functools import wraps

from flask import Flask, current_app, g, make_response, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from marketplace.extensions import cache
from marketplace.web import select_locale

log = logging.getLogger(__name__)

#: what the page holds in place of the personal parts; autoescaping turns any "<" a user typed into "&lt;", so no
#: user content can forge one
NAV, FLASHES, CSRF = "<!--hole:nav-->", "<!--hole:flashes-->", "<!--hole:csrf-->"
#: a listing's quantity field and button: id, stock, minimum order and unit as the page was rendered (the page is
#: rendered again when any of them changes)
QTY = "<!--hole:qty:{id}:{stock}:{min}:{unit}-->"
_QTY = re.compile(r"<!--hole:qty:(\d+):(\d+):(\d+):([a-z_]+)-->")
#: the longest query string cached; longer ones are rendered every time
MAX_QUERY = 300


def _rendering_for_cache() -> bool:
    return g.get("_page_cache_render", False)


def _csrf_token() -> str:
    return Markup(CSRF) if _rendering_for_cache() else generate_csrf()


def _quantity_field(listing_id: int, stock: int, min_qty: int, unit: str) -> str:
    from marketplace.cart.views import current_items

    in_cart = current_items().get(listing_id, (0, 0))[0] if _personal() else 0
    return render_template("cart/_buy_quantity.html", listing_id=listing_id, stock=stock, min_qty=min_qty, unit=unit,
                           in_cart=in_cart, left=max(0, stock - in_cart))


def quantity_field(listing) -> str:
    """The buy box's quantity field and button for this visitor (a hole while the page is rendered for the cache)."""
    unit = getattr(listing.unit, "value", listing.unit)
    if _rendering_for_cache():
        return Markup(QTY.format(id=listing.id, stock=listing.stock, min=listing.min_order_qty, unit=unit))
    return Markup(_quantity_field(listing.id, listing.stock, listing.min_order_qty, unit))


def _nav() -> str:
    return render_template("_personal_nav.html")


def _flashes() -> str:
    if "_flashes" not in session:
        return ""
    return render_template("_flashes.html")


def _personal() -> bool:
    """Whether this visitor's navigation differs from a guest's with an empty cart."""
    return bool(current_user.is_authenticated or session.get("cart"))


def _fill(body: str, guest_nav: str | None) -> str:
    """Every hole but the CSRF tokens (`_respond` fills those last)."""
    if NAV in body:
        body = body.replace(NAV, guest_nav if guest_nav is not None and not _personal() else _nav(), 1)
    if FLASHES in body:
        body = body.replace(FLASHES, _flashes(), 1)
    if "<!--hole:qty:" in body:
        body = _QTY.sub(lambda m: _quantity_field(int(m[1]), int(m[2]), int(m[3]), m[4]), body)
    return body


def _respond(body: str, status: int = 200, headers=None):
    """The page with its CSRF tokens filled in last. The ETag is taken over the page before that, with the session's
    own secret: a token is signed with the time, so the page would otherwise never match from one second to the next,
    while the token the visitor already holds stays valid for the session (WTF_CSRF_TIME_LIMIT)."""
    etag = None
    if CSRF in body:
        token = generate_csrf()
        if status == 200:
            secret = str(session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), ""))
            etag = hashlib.blake2b((body + secret).encode(), digest_size=16).hexdigest()
        body = body.replace(CSRF, token)
    response = make_response(body, status, headers or {})
    response.headers["Cache-Control"] = "private, no-cache"
    if status == 200:
        response.set_etag(etag or hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
        response.make_conditional(request)
    return response


def _key(allowed: frozenset[str]) -> str | None:
    """The page's cache key, or None when the request is not one to cache (unknown or overlong arguments)."""
    query = request.query_string
    if len(query) > MAX_QUERY or any(name not in allowed for name in request.args):
        return None
    args = "&".join(f"{k}={v}" for k, v in sorted(request.args.items(multi=True)))
    release = current_app.extensions["page_cache_release"]
    return f"page:{release}:{select_locale()}:{request.path}?{args}"


def _versions(keys: list[str]) -> list:
    """The tags' current versions; a tag without one (new, or evicted) gets one, so that a page is never stored
    under "no version" (which a later eviction could make look current again)."""
    values = cache.get_many(*keys)
    missing = {k: secrets.token_hex(6) for k, v in zip(keys, values) if v is None}
    if missing:
        for k, token in missing.items():
            cache.add(k, token, timeout=0)
        values = cache.get_many(*keys)
    return values


def cached_page(tags: Callable[..., Iterable[str]], args: Iterable[str] = ()) -> Callable:
    """Cache a GET view's page in the shared cache. `tags(**view_args)` names what the page shows (see
    invalidation.py); `args` are the query arguments it reads (a request with any other is not cached)."""
    allowed = frozenset(args)

    def decorate(view):
        @wraps(view)
        def wrapper(**view_args):
            key = _key(allowed) if current_app.config.get("PAGE_CACHE", True) else None
            if key is None:
                g.page_cache = "bypass"
                return _render(view, view_args, None, None)
            tag_keys = [f"tag:{t}" for t in ("site", *tags(**view_args))]
            try:
                entry, *versions = cache.get_many(key, *tag_keys)
                if entry is not None and entry[0] == versions and None not in versions:
                    g.page_cache = "hit"
                    return _respond(_fill(entry[1], entry[2]))
                versions = _versions(tag_keys)
            except Exception:  # the cache is down: render as if there were none
                log.exception("page cache unavailable")
                g.page_cache = "error"
                return _render(view, view_args, None, None)
            g.page_cache = "miss"
            return _render(view, view_args, key, versions)

        wrapper._cached_page = True
        return wrapper

    return decorate


def _render(view, view_args: dict, key: str | None, versions: list | None):
    g._page_cache_render = True
    try:
        response = make_response(view(**view_args))
    finally:
        g._page_cache_render = False
    if response.mimetype != "text/html" or response.direct_passthrough:
        return response
    body = response.get_data(as_text=True)
    if response.status_code != 200:  # not stored, but its holes are filled all the same
        body = _fill(body, None)
        response.set_data(body.replace(CSRF, generate_csrf()) if CSRF in body else body)
        return response
    guest_nav = None
    if key is not None and versions is not None and None not in versions:
        guest_nav = _guest_nav()
        try:
            cache.set(key, (versions, body, guest_nav), timeout=current_app.config.get("PAGE_CACHE_SECONDS", 600))
        except Exception:
            log.exception("page cache: could not store %s", key)
    return _respond(_fill(body, guest_nav), 200, {k: v for k, v in response.headers if k.lower() != "content-length"})


def _guest_nav() -> str:
    """The navigation a guest with an empty cart sees on this page."""
    from flask_login import AnonymousUserMixin

    saved = g.get("_login_user")
    g._login_user = AnonymousUserMixin()
    try:
        return render_template("_personal_nav.html", cart_count=lambda: 0)
    finally:
        if saved is None:
            g.pop("_login_user", None)
        else:
            g._login_user = saved


def _nothing_to_limit() -> bool:
    """Flask-Limiter request filter: a GET of a cached page with no limit of its own, while no default or
    application-wide limit is configured, skips the limiter's per-request bookkeeping (0.1–0.2 ms, as much as the
    rest of a cache hit). Any limit configured for these pages later applies as usual."""
    from marketplace.extensions import limiter

    view = current_app.view_functions.get(request.endpoint or "")
    if request.method != "GET" or not getattr(view, "_cached_page", False):
        return False
    manager = limiter.limit_manager
    blueprint_limits = getattr(manager, "_blueprint_limits", None)
    return not (manager.default_limits or manager.application_limits or manager.has_hints(request.endpoint)
                or blueprint_limits is None or blueprint_limits.get(request.blueprint))


def init_app(app: Flask) -> None:
    from marketplace.extensions import limiter

    if not getattr(init_app, "_filtered", False):  # the limiter is one object for every app
        init_app._filtered = True
        limiter.request_filter(_nothing_to_limit)

    @app.context_processor
    def _page_cache_context():
        return {"page_cache_mode": _rendering_for_cache(), "csrf_token": _csrf_token, "quantity_field": quantity_field}
