"""Property-based fuzzing of every route the app declares: path parts, query strings, form bodies, JSON bodies and
files drawn from hostile values, as an anonymous visitor and as each role. Not one answer may be a server error.

Runs in `make test` against the suite's database (SQLite, or PostgreSQL with TEST_DATABASE_URL) and prints how many
requests it made. FUZZ_EXAMPLES sets the examples per route and method (default 12), after a sweep that puts each
of F.SWEEP's values in every argument and field at once: together about a minute or two per database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import time
import traceback
from collections import Counter
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from werkzeug.routing import IntegerConverter, PathConverter

from marketplace.accounts.models import User
from marketplace.accounts.sessions import SEEN
from marketplace.postal.models import Parcel
from tests import fuzz_inputs as F

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
ROLES = (None, "buyer", "household", "clerk", "admin")
WEBHOOK_SECRET = "whsec_fuzz"
#: JSON endpoints and the fields their objects have
JSON_ROUTES = {
    "payments.confirm": ["payment_method"],
    "payments.stripe_webhook": ["id", "type", "data", "object"],
    "postal.api_event": ["event_id", "tracking_number", "code", "occurred_at", "point_code", "reason"],
}
#: form fields not declared in a Form class (read straight from request.form)
RAW_FORM_KEYS = ["action", "remove_photo", "next", "category_id", "batch_id", "use_code", "refresh", "fee",
                 "extra_per_500g", "day", "q", "listing_id", "quantity", "reason"]


def _form_field_names() -> list[str]:
    from wtforms.fields.core import UnboundField

    from marketplace.forms import Form

    names, todo = set(RAW_FORM_KEYS), list(Form.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        names.update(name for name in dir(cls) if isinstance(getattr(cls, name, None), UnboundField))
    return sorted(names)


@pytest.fixture
def world(app, db, buyer, postal_world, make_listing, place, deliver, make_address, make_user, api_token,
          make_category):
    """One of everything a route can point at, and a signed-in client per role."""
    w = postal_world
    listing = make_listing(w.household, title="Chè Tân Cương")
    delivered = deliver(place(buyer, {listing.id: 1}).orders[0])
    open_order = place(buyer, {listing.id: 1}).orders[0]
    card = place(buyer, {listing.id: 1}, method="card")
    from marketplace.reviews.services import write_review

    review = write_review(buyer, delivered.lines[0].id, 4, "Ngon")
    admin = make_user("admin", email="quan-tri@buudien.vn")
    address = make_address()
    db.session.commit()
    users = {"buyer": buyer, "household": w.household.user, "clerk": w.origin_clerk, "admin": admin}
    ids = sorted({listing.id, delivered.id, open_order.id, card.id, review.id, w.household.id,
                  delivered.lines[0].id, 1, 2})
    parcel = db.session.scalar(select(Parcel).where(Parcel.order_id == delivered.id))
    known = {
        "slug": [listing.category.slug], "codename": ["ha_noi", "ho_chi_minh"], "code": [address.code, "en", "vi"],
        "tracking_number": [parcel.tracking_number if parcel else "EE123456785VN"],
        "status": ["confirmed", "rejected", "cancelled", "ready_for_handover", "delivered"],
        "action": ["hide", "show"], "table": ["provinces", "wards", "deliveries", "summary"],
        "name": [listing.photos[0].thumb], "filename": ["css/app.css", "js/app.js"],
    }
    id_of = {"listing_id": listing.id, "order_id": open_order.id, "line_id": delivered.lines[0].id,
             "checkout_id": card.id, "review_id": review.id, "household_id": w.household.id, "user_id": buyer.id,
             "parcel_id": parcel.id if parcel else 1, "code": 1, "rate_id": 1, "cert_id": 1}
    return {"users": {k: u.id for k, u in users.items()}, "ids": ids, "known": known, "token": api_token,
            "id_of": id_of}


def _routes(app) -> list[tuple]:
    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((rule, method))
    return sorted(out, key=lambda rm: (rm[0].rule, rm[1]))


def _path(rule, world, draw=None) -> str:
    """The rule's URL with each part filled: drawn by Hypothesis (mostly rows that exist, so that the request gets past
    the look-up), or, without `draw`, the row that part names in the world."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            named = world["id_of"].get(name, 1)
            if draw is None:
                value = named
            else:
                known_id = st.sampled_from([named, *world["ids"]])
                value = draw(st.one_of(known_id, known_id, known_id, st.integers(-5, 2**70)))
            values[name] = str(value)
        else:
            choices = world["known"].get(name) or ["x"]
            if draw is None:
                raw = choices[0]
            else:
                known = st.sampled_from(choices)
                raw = draw(st.one_of(known, known, known, F.text.filter(lambda s: s != "")))
            values[name] = quote(raw, safe="/" if isinstance(converter, PathConverter) else "")
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values[m.group(1)], rule.rule)


def _signed(body: bytes, offset: int) -> str:
    timestamp = int(time.time()) + offset
    signature = hmac.new(WEBHOOK_SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def test_no_route_answers_any_input_with_a_server_error(app, db, world, capsys):
    app.config.update(STRIPE_SECRET_KEY="sk_test_fuzz", STRIPE_PUBLISHABLE_KEY="pk_test_fuzz",
                      STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE="http://127.0.0.1:9")
    clients = {role: app.test_client() for role in ROLES}
    form_keys = _form_field_names()
    stats: Counter = Counter()
    failures: list[str] = []
    started = time.monotonic()

    def refresh_session(role):
        if role is None:
            return
        user_id = world["users"][role]
        db.session.execute(update(User).where(User.id.in_(world["users"].values()))
                           .values(must_change_password=False, active=True))
        token = db.session.scalar(select(User.session_token).where(User.id == user_id))
        db.session.commit()
        with clients[role].session_transaction() as session:
            session.clear()
            session.update({"_user_id": f"{user_id}:{token}", "_fresh": True, SEEN: int(time.time())})

    def send(role, method, path, query, headers, **kwargs):
        refresh_session(role)
        stats["requests"] += 1
        try:
            status = clients[role].open(path, method=method, query_string=query, headers=headers,
                                        **kwargs).status_code
        except Exception:  # noqa: BLE001 - TESTING propagates the view's exception: that is a 500
            db.session.rollback()
            status = 500
            failures.append(f"{method} {path} {query!r:.300} as {role}:\n{traceback.format_exc(limit=-6)}")
        stats[f"{status // 100}xx"] += 1
        if status >= 500:
            failures.append(f"{method} {path} {query!r:.300} as {role} -> {status}")

    def json_request(rule, body: bytes, offset: int, bearer: bool, accept: str) -> tuple[dict, dict]:
        headers = {"Accept": accept}
        if rule.endpoint == "payments.stripe_webhook":
            headers["Stripe-Signature"] = _signed(body, offset)
        if rule.endpoint == "postal.api_event" and bearer:
            headers["Authorization"] = f"Bearer {world['token']}"
        return headers, {"data": body, "content_type": "application/json"}

    def fuzz(rule, method):
        """Hypothesis: any mix of hostile path parts, query arguments, form fields, files and JSON bodies."""

        @settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                  suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def one_request(data):
            draw = data.draw
            role = draw(st.sampled_from(ROLES))
            path = _path(rule, world, draw)
            query = draw(F.some_of(F.QUERY_KEYS))
            query.update(draw(st.dictionaries(F.text, F.text, max_size=2)))
            headers, kwargs = {}, {}
            if rule.endpoint in JSON_ROUTES and method == "POST":
                bodies = F.json_bodies(JSON_ROUTES[rule.endpoint])
                if rule.endpoint == "postal.api_event":  # also events about a real parcel at a real point
                    bodies = bodies | F.tracking_events(world["known"]["tracking_number"], ["BC10000", "BC70000"])
                headers, kwargs = json_request(rule, draw(bodies),
                                               draw(st.sampled_from([0, -200, 400, -400])), draw(st.booleans()),
                                               draw(st.sampled_from(["application/json", "text/html"])))
            elif method == "POST":
                form = draw(F.some_of(form_keys))
                upload = draw(F.uploads())
                if upload is not None:
                    form[draw(st.sampled_from(["photos", "photo"]))] = upload
                    kwargs["content_type"] = "multipart/form-data"
                kwargs["data"] = form
            send(role, method, path, query, headers, **kwargs)

        one_request()

    def sweep(rule, method):
        """Each troublemaker in every query argument and form field at once, on rows that exist, role by role."""
        for i, value in enumerate(F.SWEEP):
            role = ROLES[i % len(ROLES)]
            path = _path(rule, world)
            query = dict.fromkeys(F.QUERY_KEYS, value)
            headers, kwargs = {}, {}
            if rule.endpoint in JSON_ROUTES and method == "POST":
                body = json.dumps(dict.fromkeys(JSON_ROUTES[rule.endpoint], value)).encode()
                headers, kwargs = json_request(rule, body, 0, True, "application/json")
            elif method == "POST":
                kwargs["data"] = dict.fromkeys(form_keys, value)
            send(role, method, path, query, headers, **kwargs)

    try:
        for rule, method in _routes(app):
            sweep(rule, method)
            fuzz(rule, method)
    finally:
        app.config.update(STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="", STRIPE_WEBHOOK_SECRET="", STRIPE_API_BASE="")
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(f"\nfuzz ({db.engine.dialect.name}): {stats['requests']} requests over {len(_routes(app))} routes "
              f"and methods in {seconds:.0f} s; 2xx {stats['2xx']}, 3xx {stats['3xx']}, 4xx {stats['4xx']}, "
              f"5xx {stats['5xx']}")
    assert stats["5xx"] == 0, "\n\n".join(failures[:10])
