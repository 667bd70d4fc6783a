"""Checkout and the buyer's order pages."""

import re
import uuid
from urllib.parse import urlsplit

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.phone import display_phone, normalize_phone
from marketplace.cart import services as cart_services
from marketplace.cart.views import current_items, repaired_items
from marketplace.extensions import db
from marketplace.inputs import parse_int
from marketplace.geo.services import get_ward, province_choices, ward_choices
from marketplace.orders import bp, labels, services, states
from marketplace.orders import checkout as checkout_service
from marketplace.orders.errors import AlreadyPlaced, EmptyCart, OrderError
from marketplace.orders.forms import CheckoutForm, ReasonForm
from marketplace.orders.models import Checkout, OrderStatus, PaymentMethod, PaymentStatus
from marketplace.orders.states import ActorKind
from marketplace.payments.errors import PaymentError
from marketplace.payments import methods as payment_methods
from marketplace.payments.gateway import card_configured
from marketplace.postal import addresses as postal_addresses
from marketplace.postal.errors import InvalidAddressCode, UnknownAddressCode
from marketplace.postal.tariff import TariffMissing
from marketplace.relief import checkout_views as delivery_terms


def _card_ready() -> bool:
    return card_configured(current_app.config)


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout():
    form = CheckoutForm()
    submission = _submission_key(form)
    placing = request.method == "POST" and not request.form.get("use_code") and not request.form.get("refresh")
    if placing:
        placed = _place(form, submission)
        if placed is not None:
            return placed
    elif request.method == "POST":
        earlier = checkout_service.placed_by_submission(current_user, submission)
        if earlier is not None:  # the same form again (double click, retry): show what the first submit placed
            return _placed(earlier)
    # the page: shown at first, on "calculate" and "use this code", and again when the order was not placed
    items, changes = repaired_items()
    review = cart_services.review(items)
    if not review.rows:
        for change in changes:
            flash(change.sentence, "warning")
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("cart.show"))
    if submission is None:  # the page the buyer submits next carries its own id
        _set(form.submission, uuid.uuid4().hex)
    if request.method == "GET":
        form.recipient.data = current_user.name
        form.phone.data = display_phone(current_user.phone)
        _prefill_address(form)
    digital, code_error = _apply_address_code(form)
    form.province.choices = [("", "—")] + province_choices()
    form.ward.choices = [("", "—")] + ward_choices(form.province.data)
    pickup_id = delivery_terms.pickup_choices(form)
    quotes = _quotes(review, form.province.data, pickup_id is not None)
    _set(form.quoted_total, sum(q.total for q in quotes) if quotes else "")
    if request.form.get("use_code") and not digital:  # "use this code": the form filled in, or why the code is wrong
        form.address_code.errors = [code_error or _("Enter a digital address code.")]
    if placing and form.errors and not form.form_errors:
        form.form_errors.append(_("Your order is not placed yet: check the fields marked below."))
    return render_template(
        "orders/checkout.html",
        form=form,
        review=review,
        quotes=quotes,
        changes=changes,
        card_ready=_card_ready(),
        verdicts=delivery_terms.summary(review, form.ward.data, quotes),
        offered={m.key.value for m in payment_methods.offered()},
    )


def _place(form: CheckoutForm, submission: str | None):
    """"Place order": the orders placed at the total the page showed, and the response that leads on; None when the
    page must be shown again (the form's errors, a cart or a total that changed, stock another buyer took), with the
    reasons on `form`. The work a checkout peak repeats is kept to what placing needs: the page's lists (provinces,
    wards, pickup points) are read only when the page is shown again."""
    digital, code_error = _apply_address_code(form)
    pickup_id = delivery_terms.pickup_choices(form) if form.pickup_point.data else None
    if not form.validate_on_submit():
        return None
    if code_error:
        form.address_code.errors = [*form.address_code.errors, code_error]
    phone = normalize_phone(form.phone.data)
    ward = get_ward(form.ward.data)
    if phone is None:
        form.phone.errors = [*form.phone.errors, _("Enter a Vietnamese mobile number, for example 0912 345 678.")]
    if ward is None or ward.province_code != form.province.data:
        form.ward.errors = [*form.ward.errors, _("Choose the ward or commune in this province.")]
    method, method_error = _chosen_method(form.payment_method.data)
    if method_error:
        form.payment_method.errors = [*form.payment_method.errors, method_error]
    if form.phone.errors or form.ward.errors or form.payment_method.errors or code_error:
        return None
    address = checkout_service.DeliveryAddress(
        recipient=form.recipient.data,
        phone=phone,
        ward_code=ward.code,
        address_line=form.address_line.data,
        note=form.note.data or "",
        digital_address_id=digital.id if digital else None,
        pickup_point_id=pickup_id,
    )
    # never a blind submit: an order is placed at the total the page showed, shipping included (-1: none shown)
    shown_total = parse_int(request.form.get("quoted_total", ""))
    try:
        placed = checkout_service.place_checkout(current_user, current_items(), address, method, submission,
                                                 expected_total=-1 if shown_total is None else shown_total)
    except AlreadyPlaced as exc:
        db.session.rollback()
        return _placed(db.session.get(Checkout, exc.checkout_id))
    except IntegrityError:  # PostgreSQL: a submit of the same form committed while this one ran
        db.session.rollback()
        earlier = checkout_service.placed_by_submission(current_user, submission)
        if earlier is None:
            raise
        return _placed(earlier)
    except EmptyCart:
        db.session.rollback()
        return None  # the page says so
    except OrderError as exc:  # a total, a cart or the stock changed; delivery refused: nothing was taken
        db.session.rollback()
        form.form_errors.append(str(exc))
        return None
    # read before the commit, which expires the rows: the redirect needs no query after it
    response = _placed(placed) if placed.payment_status is not PaymentStatus.UNPAID else None
    cart_services.clear(current_user)
    db.session.commit()
    return response or _placed(placed)


@bp.get("/checkout/quote")
@login_required
def checkout_quote():
    """The order summary for a province, as the page shows it (the page swaps it in while the buyer types)."""
    province = request.args.get("province", type=int)
    ward = request.args.get("ward", type=int)
    review = cart_services.review(current_items())
    pickup = bool(request.args.get("pickup", "").isdigit())
    quotes = _quotes(review, province, pickup) if province and 0 < province < 1000 else None
    verdicts = delivery_terms.summary(review, ward if ward and 0 < ward < 10**6 else None, quotes)
    html = render_template("orders/_summary.html", review=review, quotes=quotes, verdicts=verdicts)
    return jsonify(html=html, total=sum(q.total for q in quotes) if quotes else None)


def _quotes(review, province_code: int | None, pickup: bool = False):
    """Shipping per household parcel for the province, or None when it cannot be priced (none chosen, no tariff)."""
    if not province_code:
        return None
    try:
        return checkout_service.shipping_for(review, province_code, pickup)
    except (TariffMissing, ValueError):
        return None


def _set(field, value) -> None:
    """Show `value` in a field of a posted form (what was posted is shown otherwise)."""
    field.data = value
    field.raw_data = [str(value)]


def _prefill_address(form: CheckoutForm) -> None:
    """The buyer's own digital address fills the address, so the total with shipping shows at once."""
    mine = postal_addresses.addresses_of(current_user)
    if mine:
        latest = mine[-1]
        form.address_code.data = latest.code
        form.province.data = latest.province_code
        form.ward.data = latest.ward_code
        form.address_line.data = latest.address_line


def _chosen_method(value: str | None) -> tuple[PaymentMethod, str | None]:
    """The payment method picked at checkout, and why it cannot be used (not offered right now)."""
    try:
        method = PaymentMethod(value or "cod")
    except ValueError:
        return PaymentMethod.COD, _("Choose a payment method.")
    if not payment_methods.get(method).available():
        return method, _("Card payment is not available.") if method is PaymentMethod.CARD else _(
            "This payment method is not available right now.")
    return method, None


def _submission_key(form: CheckoutForm) -> str | None:
    """The checkout form's own id (hidden field), when it is one this app made."""
    value = (form.submission.data or "").strip()
    return value if re.fullmatch(r"[0-9a-f]{32}", value) else None


def _placed(placed: Checkout):
    """Where a placed checkout leads: its method's pay page while it awaits payment, else the confirmation."""
    if placed.payment_status is PaymentStatus.UNPAID:
        url = _pay_url(placed)
        if url:
            return redirect(url)
    return redirect(url_for("orders.confirmation", checkout_id=placed.id))


def _apply_address_code(form: CheckoutForm):
    """A typed digital-address code fills the province, ward and address line (the line only when the buyer pressed
    "use this code" or left it empty). Returns (address or None, error message or None)."""
    code = (form.address_code.data or "").strip() if request.method == "POST" else ""
    if not code:
        return None, None
    try:
        digital = postal_addresses.resolve(code)
    except (InvalidAddressCode, UnknownAddressCode) as exc:
        return None, str(exc)
    form.address_code.data = digital.code
    form.province.data = digital.province_code
    form.ward.data = digital.ward_code
    if request.form.get("use_code") or not (form.address_line.data or "").strip():
        form.address_line.data = digital.address_line
    return digital, None


@bp.get("/checkout/<int:checkout_id>/done")
@login_required
def confirmation(checkout_id: int):
    placed = db.session.get(Checkout, checkout_id)
    if placed is None or placed.buyer_id != current_user.id:
        abort(404)
    return render_template("orders/confirmation.html", checkout=placed)


@bp.get("/orders")
@login_required
def my_orders():
    return render_template("orders/my_orders.html", orders=services.buyer_orders(current_user))


@bp.get("/orders/<int:order_id>")
@login_required
def detail(order_id: int):
    order = services.get_for(order_id, current_user)
    if order is None:
        abort(404)
    kind = services.actor_kind(order, current_user)
    from marketplace.postal import shipping, tracking

    parcel = shipping.parcel_of(order)
    return render_template(
        "orders/detail.html",
        parcel=parcel,
        parcel_events=tracking.timeline(parcel, applied_only=True) if parcel else [],
        T=tracking,
        order=order,
        moves=states.next_for(order.status, kind),
        kind=kind,
        labels=states.LABELS,
        reason_form=ReasonForm(),
        pay_url=_pay_url(order.checkout) if order.payment_status is PaymentStatus.UNPAID else None,
    )


def _pay_url(placed: Checkout) -> str | None:
    return payment_methods.get(placed.payment_method).pay_url(placed)


@bp.post("/orders/<int:order_id>/status/<status>")
@login_required
def change_status(order_id: int, status: str):
    """One-tap moves: confirm, reject, ready for hand-over, cancel (and the postal moves for staff)."""
    order = services.get_for(order_id, current_user)
    if order is None:
        abort(404)
    try:
        target = OrderStatus(status)
    except ValueError:
        abort(404)
    form = ReasonForm()
    try:
        services.advance(order, target, current_user, form.reason.data or "")
    except (OrderError, PaymentError) as exc:  # PaymentError: the gateway refused a refund
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Order %(number)s: %(status)s", number=order.number, status=states.LABELS[target]), "success")
    back = request.form.get("next", "")
    if back.startswith("/") and not back.startswith("//") and "\\" not in back and not urlsplit(back).netloc:
        return redirect(back)
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.app_context_processor
def _order_helpers():
    return {
        "ORDER_LABELS": states.LABELS,
        "ORDER_LABELS_BY_VALUE": {k.value: v for k, v in states.LABELS.items()},
        "PAYMENT_LABELS": labels.PAYMENT_LABELS,
        "MOVE_LABELS": labels.MOVE_LABELS,
        "MOVE_HINTS": labels.MOVE_HINTS,
        "REASON_LABELS": labels.REASON_LABELS,
        "LEDGER_LABELS": labels.LEDGER_LABELS,
        "ActorKind": ActorKind,
    }


from marketplace.orders import manage  # noqa: E402,F401
