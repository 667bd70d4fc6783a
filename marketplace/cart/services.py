"""Cart operations on a plain `{listing_id: (quantity, price_seen)}` mapping, and its storage for signed-in buyers.

Guests keep the mapping in the signed session cookie (ids, quantities and the price seen: no other data);
signed-in buyers keep it in `carts`/`cart_lines`. Both go through the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from marketplace.accounts.models import User
from marketplace.cart.errors import (
    AllInCart,
    BadQuantity,
    BelowMinimum,
    Capped,
    CartFull,
    ListingUnavailable,
    NotEnoughStock,
    PriceChanged,
    RaisedToMinimum,
    Removed,
    RemovedPaused,
    RemovedSoldOut,
)
from marketplace.cart.models import Cart, CartLine
from marketplace.catalog.models import Listing, ListingStatus
from marketplace.extensions import db
from marketplace.households.models import Household, HouseholdStatus

#: listing id → (quantity, unit price seen when added)
Items = dict[int, tuple[int, int]]

MAX_LINES = 50


def _sellable(listing: Listing | None) -> bool:
    return (
        listing is not None
        and listing.status is ListingStatus.ACTIVE
        and listing.household.status is HouseholdStatus.VERIFIED
    )


def check_quantity(listing: Listing | None, quantity: int) -> None:
    """Raise a CartError unless `quantity` of `listing` can be bought now."""
    if quantity is None or quantity < 1:
        raise BadQuantity()
    if not _sellable(listing):
        raise ListingUnavailable(title=listing.title if listing else "?")
    if quantity < listing.min_order_qty:
        raise BelowMinimum(title=listing.title, n=listing.min_order_qty)
    if quantity > listing.stock:
        raise NotEnoughStock(title=listing.title, n=listing.stock)


def _amount(listing: Listing, n: int) -> str:
    from marketplace.web import number, unit_label

    return f"{number(n)} {unit_label(listing.unit)}"


def _count(listing: Listing) -> str:
    from marketplace.web import number

    return number(listing.stock)


def _capped(listing: Listing, wanted: int, have: int) -> tuple[int, str | None]:
    """`wanted` units of `listing`, or what is left when fewer are (with the sentence that says so).

    Raises ListingUnavailable (not on sale, or sold out) or AllInCart (every unit left is in the cart already).
    """
    if not _sellable(listing) or listing.stock < max(listing.min_order_qty, 1):
        raise ListingUnavailable(title=listing.title if listing else "?")
    if wanted <= listing.stock:
        return wanted, None
    if have >= listing.stock:
        raise AllInCart(title=listing.title, left=_amount(listing, listing.stock))
    return listing.stock, str(Capped(title=listing.title, left=_amount(listing, listing.stock), n=_count(listing)))


def add(items: Items, listing_id: int, quantity: int) -> tuple[Items, str | None]:
    """Add units of a listing on top of what is already there; when fewer are left, what is left (and the sentence
    that says so). Raises CartError (bad quantity, not on sale, sold out, all left already in the cart, below the
    minimum order, cart full)."""
    if quantity is None or quantity < 1:
        raise BadQuantity()
    listing = db.session.get(Listing, listing_id)
    current = items.get(listing_id, (0, 0))[0]
    total, note = _capped(listing, current + quantity, current)
    if total < listing.min_order_qty:
        raise BelowMinimum(title=listing.title, n=listing.min_order_qty)
    out = dict(items)
    price_seen = items[listing_id][1] if listing_id in items else listing.price
    out[listing_id] = (total, price_seen)
    if len(out) > MAX_LINES:
        raise CartFull()
    return out, note


def set_quantity(items: Items, listing_id: int, quantity: int) -> tuple[Items, str | None]:
    """Change a line's quantity (0 removes it); above the stock, what is left, with the sentence that says so.
    Raises CartError."""
    out = dict(items)
    if not quantity:
        out.pop(listing_id, None)
        return out, None
    listing = db.session.get(Listing, listing_id)
    total, note = _capped(listing, quantity, 0)
    if total < listing.min_order_qty:
        raise BelowMinimum(title=listing.title, n=listing.min_order_qty)
    out[listing_id] = (total, items.get(listing_id, (0, listing.price))[1])
    return out, note


@dataclass(frozen=True)
class Change:
    """Something the cart did by itself because the shop changed: one plain sentence for the buyer."""

    listing_id: int
    kind: str  # removed_gone, removed_paused, removed_sold_out, reduced, raised_to_minimum, price
    sentence: str


def repair(items: Items) -> tuple[Items, list[Change]]:
    """The cart made buyable again, and what was changed: lines whose listing is gone, paused or sold out are
    removed, lines above the stock are reduced to what is left, lines below a new minimum order are raised to it
    (when the stock allows), and new prices are taken with a sentence each. The caller saves the result and shows
    the sentences; checkout then goes on with what the buyer sees."""
    if not items:
        return items, []
    from marketplace.web import vnd

    listings = _listings(items)
    out: Items = {}
    changes: list[Change] = []
    for listing_id, (qty, price_seen) in items.items():
        listing = listings.get(listing_id)
        if listing is None or listing.status is ListingStatus.DELETED:
            title = listing.title if listing else "?"
            changes.append(Change(listing_id, "removed_gone", str(Removed(title=title))))
            continue
        if not _sellable(listing):
            changes.append(Change(listing_id, "removed_paused", str(RemovedPaused(title=listing.title))))
            continue
        if listing.stock < max(listing.min_order_qty, 1):
            changes.append(Change(listing_id, "removed_sold_out", str(RemovedSoldOut(title=listing.title))))
            continue
        if qty > listing.stock:
            qty = listing.stock
            changes.append(Change(listing_id, "reduced", str(Capped(title=listing.title,
                                                                  left=_amount(listing, qty), n=_count(listing)))))
        elif qty < listing.min_order_qty:
            qty = listing.min_order_qty
            changes.append(Change(listing_id, "raised_to_minimum",
                                  str(RaisedToMinimum(title=listing.title, n=_amount(listing, qty)))))
        if listing.price != price_seen and price_seen:
            changes.append(Change(listing_id, "price", str(PriceChanged(title=listing.title, old=vnd(price_seen),
                                                                        new=vnd(listing.price)))))
        out[listing_id] = (qty, listing.price)
    return out, changes


def _listings(items: Items) -> dict[int, Listing]:
    """The listings of the cart's lines with their households and categories, in one query."""
    query = (
        select(Listing)
        .where(Listing.id.in_(list(items)))
        .options(joinedload(Listing.household).joinedload(Household.user), joinedload(Listing.category))
    )
    return {lst.id: lst for lst in db.session.scalars(query)}


def reprice(items: Items) -> Items:
    """Accept today's prices: the buyer has seen the changes (and drop lines that no longer exist)."""
    listings = {lst.id: lst for lst in db.session.scalars(select(Listing).where(Listing.id.in_(items)))}
    return {lid: (qty, listings[lid].price) for lid, (qty, _p) in items.items() if lid in listings}


@dataclass
class Row:
    listing: Listing
    quantity: int
    price_seen: int
    #: None, or why this line cannot be bought as it is: price_changed, unavailable, sold_out, short_stock, below_min
    problem: str | None = None

    @property
    def line_total(self) -> int:
        return self.listing.price * self.quantity

    @property
    def weight_grams(self) -> int:
        return self.listing.weight_grams * self.quantity


@dataclass
class Group:
    household: Household
    rows: list[Row] = field(default_factory=list)

    @property
    def goods_total(self) -> int:
        return sum(r.line_total for r in self.rows)

    @property
    def weight_grams(self) -> int:
        return sum(r.weight_grams for r in self.rows)

    @property
    def perishable(self) -> bool:
        return any(r.listing.is_perishable for r in self.rows)


@dataclass
class Review:
    groups: list[Group]

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def problems(self) -> list[Row]:
        return [r for r in self.rows if r.problem]

    @property
    def goods_total(self) -> int:
        return sum(g.goods_total for g in self.groups)

    @property
    def count(self) -> int:
        return sum(r.quantity for r in self.rows)


def review(items: Items) -> Review:
    """The cart as it stands now, grouped by household, with each line's problem flagged."""
    if not items:
        return Review([])
    listings = _listings(items)
    groups: dict[int, Group] = {}
    for listing_id, (qty, price_seen) in items.items():
        listing = listings.get(listing_id)
        if listing is None:
            continue
        row = Row(listing, qty, price_seen, _problem(listing, qty, price_seen))
        groups.setdefault(listing.household_id, Group(listing.household)).rows.append(row)
    return Review(list(groups.values()))


def _problem(listing: Listing, qty: int, price_seen: int) -> str | None:
    if not _sellable(listing):
        return "unavailable"
    if listing.stock < listing.min_order_qty or listing.stock == 0:
        return "sold_out"
    if qty > listing.stock:
        return "short_stock"
    if qty < listing.min_order_qty:
        return "below_min"
    if listing.price != price_seen:
        return "price_changed"
    return None


# -- storage for signed-in buyers ------------------------------------------------------------------------------


def load(user: User) -> Items:
    """The buyer's stored cart (one query)."""
    rows = db.session.execute(
        select(CartLine.listing_id, CartLine.quantity, CartLine.price_seen)
        .join(Cart, Cart.id == CartLine.cart_id)
        .where(Cart.user_id == user.id)
        .order_by(CartLine.id)
    )
    return {listing_id: (quantity, price_seen) for listing_id, quantity, price_seen in rows}


def clear(user: User) -> None:
    """Empty the buyer's stored cart in one statement (a placed checkout)."""
    db.session.execute(
        delete(CartLine)
        .where(CartLine.cart_id.in_(select(Cart.id).where(Cart.user_id == user.id).scalar_subquery()))
        .execution_options(synchronize_session=False)
    )


def store(user: User, items: Items) -> None:
    """Replace the buyer's stored cart with `items` (flushes)."""
    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    if cart is None:
        cart = Cart(user_id=user.id)
        db.session.add(cart)
    existing = {line.listing_id: line for line in cart.lines}
    for listing_id, line in existing.items():
        if listing_id not in items:
            cart.lines.remove(line)
    for listing_id, (qty, price_seen) in items.items():
        line = existing.get(listing_id)
        if line is None:
            cart.lines.append(CartLine(listing_id=listing_id, quantity=qty, price_seen=price_seen))
        else:
            line.quantity, line.price_seen = qty, price_seen
    db.session.flush()


def merge(user: User, guest: Items) -> Items:
    """Fold a guest cart into the buyer's stored cart at sign-in; quantities add up, capped at the stock."""
    items = load(user)
    if not guest:
        return items
    listings = {lst.id: lst for lst in db.session.scalars(select(Listing).where(Listing.id.in_(list(guest))))}
    for listing_id, (qty, price_seen) in guest.items():
        listing = listings.get(listing_id)
        if listing is None:
            continue
        have_qty, have_price = items.get(listing_id, (0, price_seen))
        total = have_qty + qty
        if listing.stock > 0:
            total = min(total, max(listing.stock, listing.min_order_qty))
        items[listing_id] = (total, have_price)
    store(user, items)
    return items


def from_session(raw) -> Items:
    """Parse the session's `cart` value, ignoring anything malformed."""
    out: Items = {}
    if not isinstance(raw, dict):
        return out
    for key, value in list(raw.items())[:MAX_LINES]:
        try:
            qty, price = (int(value[0]), int(value[1])) if isinstance(value, list | tuple) else (int(value), 0)
            if qty > 0:
                out[int(key)] = (qty, price)
        except (TypeError, ValueError, IndexError):
            continue
    return out


def to_session(items: Items) -> dict[str, list[int]]:
    return {str(k): [q, p] for k, (q, p) in items.items()}
