"""Public catalogue pages: home, category, product, household storefront, provinces."""

import re

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale

from marketplace.catalog import bp, queries, share
from marketplace.catalog.queries import SORTS, ListingFilters
from marketplace.geo.services import province_by_codename
from marketplace.inputs import MAX_DB_BIGINT, MAX_DB_INT, query_int
from marketplace.households.models import CertificationKind
from marketplace.pagecache.pages import cached_page

#: query arguments of the list pages (any other makes a request uncached)
LIST_ARGS = ("province", "cert", "min_price", "max_price", "in_stock", "sort", "page", "after", "before")


def _int_arg(name: str, maximum: int = MAX_DB_INT) -> int | None:
    """A whole number from the query string (`1.250.000` too); None when absent, malformed or out of range."""
    return query_int(name, maximum, grouped=True)


def _filters(**fixed) -> ListingFilters:
    cert = request.args.get("cert")
    sort = request.args.get("sort", "newest")
    values = dict(
        province_code=_int_arg("province"),
        certification=CertificationKind(cert) if cert in {c.value for c in CertificationKind} else None,
        min_price=_int_arg("min_price", MAX_DB_BIGINT),
        max_price=_int_arg("max_price", MAX_DB_BIGINT),
        in_stock_only=request.args.get("in_stock") == "1",
        sort=sort if sort in SORTS else "newest",
    )
    values.update(fixed)
    return ListingFilters(**values)


def _page() -> int:
    page = _int_arg("page") or 1
    return max(1, min(page, 1_000_000))


def _browse(filters: ListingFilters) -> queries.keyset.Page:
    """A page of the list: by number for the first pages, by the `after` / `before` cursors deeper down."""
    return queries.browse(
        filters, _page(), current_app.config["PAGE_SIZE"], after=request.args.get("after"),
        before=request.args.get("before"),
    )


@bp.get("/")
@cached_page(lambda: ["lists"])
def home():
    return render_template(
        "catalog/home.html",
        categories=queries.categories(),
        newest=queries.newest(12),
        province_counts=queries.province_counts(),
    )


@bp.get("/c/<slug>")
@cached_page(lambda slug: [f"category:{slug}"], LIST_ARGS)
def category(slug: str):
    cat = queries.category_by_slug(slug)
    if cat is None:
        abort(404)
    filters = _filters(category_id=cat.id)
    page = _browse(filters)
    return render_template(
        "catalog/category.html", category=cat, page=page, filters=filters, categories=queries.categories(),
        locale=str(get_locale()),
    )


@bp.get("/p/<int:listing_id>")
@cached_page(lambda listing_id: [f"listing:{listing_id}"])
def product(listing_id: int):
    listing = queries.listing_for_page(listing_id)
    if listing is None:
        abort(404)
    card = share.listing_card_text(listing)
    return render_template(
        "catalog/product.html", listing=listing, more=queries.more_from_household(listing),
        card_url=url_for("catalog.product_card", listing_id=listing.id, version=share.card_version(card),
                         _external=True),
    )


#: a card version as card_version writes it
_VERSION = re.compile(r"^[0-9a-f]{16}$")


def _card_response(kind: str, object_id: int, text: share.CardText, version: str, endpoint: str, **ids):
    """The card's JPEG, cacheable for a year (its URL changes with what it shows); an older version's URL redirects
    to the current one."""
    current = share.card_version(text)
    if version != current:
        response = redirect(url_for(endpoint, version=current, **ids))
        response.headers["Cache-Control"] = "public, max-age=300"
        return response
    response = make_response(share.card_bytes(kind, object_id, text))
    response.mimetype = "image/jpeg"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.set_etag(current)
    return response.make_conditional(request)


@bp.get("/p/<int:listing_id>/card/<version>.jpg")
def product_card(listing_id: int, version: str):
    """The share card of a visible listing (404 for a deleted, paused or hidden one)."""
    if not _VERSION.match(version):
        abort(404)
    listing = queries.listing_for_page(listing_id)
    if listing is None:
        abort(404)
    return _card_response("listing", listing.id, share.listing_card_text(listing), version, "catalog.product_card",
                          listing_id=listing.id)


@bp.get("/h/<int:household_id>/card/<version>.jpg")
def storefront_card(household_id: int, version: str):
    """The share card of a verified household's storefront."""
    if not _VERSION.match(version):
        abort(404)
    household = queries.household_for_storefront(household_id)
    if household is None:
        abort(404)
    return _card_response("household", household.id, share.household_card_text(household), version,
                          "catalog.storefront_card", household_id=household.id)


@bp.get("/h/<int:household_id>")
@cached_page(lambda household_id: [f"household:{household_id}"], ("page", "after", "before"))
def storefront(household_id: int):
    household = queries.household_for_storefront(household_id)
    if household is None:
        abort(404)
    page = _browse(ListingFilters(household_id=household.id))
    card = share.household_card_text(household)
    return render_template(
        "catalog/storefront.html", household=household, page=page, card=card,
        card_url=url_for("catalog.storefront_card", household_id=household.id, version=share.card_version(card),
                         _external=True),
    )


@bp.get("/tinh")
@cached_page(lambda: ["lists"])
def provinces():
    counts = queries.province_counts()
    return render_template(
        "catalog/provinces.html",
        provinces=queries.all_provinces(),
        counts=counts,
        examples=queries.specialties_by_province(3, codes=counts),
    )


@bp.get("/tinh/<codename>")
@cached_page(lambda codename: [f"province:{codename}"], LIST_ARGS)
def province(codename: str):
    prov = province_by_codename(codename)
    if prov is None:
        abort(404)
    filters = _filters(province_code=prov.code)
    page = _browse(filters)
    return render_template("catalog/province.html", province=prov, page=page, filters=filters)
