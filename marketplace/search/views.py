"""GET /search (the results page) and GET /search/suggest (autocomplete JSON)."""

from __future__ import annotations

import re

from flask import current_app, jsonify, render_template, request, url_for

from marketplace.inputs import MAX_DB_INT
from marketplace.pagecache.pages import cached_page
from marketplace.search import api, bp

#: query arguments of the results page (any other makes a request uncached)
ARGS = ("q", "category", "province", "cert", "min_price", "max_price", "availability", "sort", "page")


def _int(name: str, limit: int = 10**12) -> int | None:
    """Digits of a query argument (`1.250.000đ` → 1250000); None when there are none or too many."""
    digits = re.sub(r"[^0-9]", "", request.args.get(name, ""))[:13]
    if not digits:
        return None
    return min(int(digits), limit)


def parse_query() -> api.SearchQuery:
    """A SearchQuery from the URL; unknown or malformed values are dropped, never an error."""
    cert = request.args.get("cert") or None
    availability = request.args.get("availability") or None
    sort = request.args.get("sort") or "relevance"
    return api.SearchQuery(
        text=request.args.get("q", "")[:200].strip(),
        category_id=_int("category", MAX_DB_INT),
        province_code=_int("province", MAX_DB_INT),
        cert=cert if cert in api.CERTS else None,
        min_price=_int("min_price"),
        max_price=_int("max_price"),
        availability=availability if availability in api.AVAILABILITIES else None,
        sort=sort if sort in api.SORTS else "relevance",
        page=max(1, _int("page", api.MAX_PAGE) or 1),
        per_page=current_app.config.get("PAGE_SIZE", 24),
    )


def url_with(**changes) -> str:
    """The current search URL with some arguments changed (None removes one); the page goes back to 1."""
    args = {k: v for k, v in request.args.items() if v}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for("search.results", **args)


@bp.get("/search")
@cached_page(lambda: ["lists", "search"], ARGS)
def results():
    from marketplace.catalog.queries import categories

    q = parse_query()
    found = api.query(q)
    cats = {c.id: c for c in categories()}
    return render_template("search/results.html", q=q, found=found, categories=cats, url_with=url_with)


@bp.get("/search/suggest")
def suggest():
    prefix = request.args.get("q", "")[:100]
    return jsonify({"query": prefix, "suggestions": api.suggest(prefix)})
