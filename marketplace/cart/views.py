"""Cart pages: add from the product page, change quantities, remove; merge the guest cart at sign-in."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.cart import bp, services
from marketplace.cart.errors import CartError
from marketplace.cart.forms import AddToCartForm, QuantityForm
from marketplace.extensions import db
from marketplace.inputs import parse_int
from marketplace.signals import user_signed_in

SESSION_KEY = "cart"


def current_items() -> services.Items:
    """The visitor's cart: stored for signed-in buyers, in the session for guests."""
    if current_user.is_authenticated:
        return services.load(current_user)
    return services.from_session(session.get(SESSION_KEY))


def save_items(items: services.Items) -> None:
    if current_user.is_authenticated:
        services.store(current_user, items)
    else:
        session[SESSION_KEY] = services.to_session(items)


def cart_count() -> int:
    """Units in the cart, for the header link."""
    return sum(q for q, _p in current_items().values())


@user_signed_in.connect
def _merge_guest_cart(user, **_extra) -> None:
    guest = services.from_session(session.pop(SESSION_KEY, None))
    if guest:
        services.merge(user, guest)


def repaired_items() -> tuple[services.Items, list[services.Change]]:
    """The visitor's cart made buyable again (saved when something changed) and the sentences saying what changed."""
    items, changes = services.repair(current_items())
    if changes:
        save_items(items)
        db.session.commit()
    return items, changes


@bp.get("/")
def show():
    items, changes = repaired_items()
    return render_template("cart/cart.html", review=services.review(items), changes=changes, qty_form=QuantityForm())


@bp.post("/add")
def add():
    form = AddToCartForm()
    listing_id = parse_int(form.listing_id.data or request.form.get("listing_id") or "")
    if listing_id is None:
        abort(400)
    back = url_for("catalog.product", listing_id=listing_id) if listing_id else url_for("cart.show")
    if not form.validate_on_submit():
        flash(_("Enter a quantity of at least 1."), "error")
        return redirect(back)
    try:
        items, note = services.add(current_items(), listing_id, form.quantity.data)
    except CartError as exc:
        flash(str(exc), "error")
        return redirect(back)
    save_items(items)
    db.session.commit()
    flash(note or _("Added to your cart."), "warning" if note else "success")
    return redirect(request.form.get("next") == "cart" and url_for("cart.show") or back)


@bp.post("/<int:listing_id>")
def update(listing_id: int):
    form = QuantityForm()
    if not form.validate_on_submit():
        flash(_("Enter a quantity of at least 1."), "error")
        return redirect(url_for("cart.show"))
    try:
        items, note = services.set_quantity(current_items(), listing_id, form.quantity.data)
    except CartError as exc:
        flash(str(exc), "error")
        return redirect(url_for("cart.show"))
    save_items(items)
    db.session.commit()
    if note:
        flash(note, "warning")
    return redirect(url_for("cart.show"))


@bp.post("/<int:listing_id>/remove")
def remove(listing_id: int):
    items = current_items()
    items.pop(listing_id, None)
    save_items(items)
    db.session.commit()
    flash(_("Removed from your cart."), "info")
    return redirect(url_for("cart.show"))


@bp.post("/accept-changes")
def accept_changes():
    """The buyer has seen the new prices: remember them so that checkout can go on."""
    save_items(services.reprice(current_items()))
    db.session.commit()
    return redirect(request.form.get("next") == "checkout" and url_for("orders.checkout") or url_for("cart.show"))


@bp.app_context_processor
def _cart_link():
    return {"cart_count": cart_count}
