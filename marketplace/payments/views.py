"""The card payment page, the Stripe webhook, and the payment status every pay page polls."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import csrf, db
from marketplace.orders.models import Checkout, PaymentMethod, PaymentStatus
from marketplace.inputs import json_object
from marketplace.payments import bp, methods, services
from marketplace.payments.errors import DECLINE_MESSAGES, InvalidEvent, InvalidSignature, PaymentError
from marketplace.postal.forms import ActionForm
from marketplace.payments.gateway import get_gateway


def own_checkout(checkout_id: int, method: PaymentMethod | None = None) -> Checkout:
    """The signed-in buyer's checkout (paid with `method` when given); 404 for anyone else's."""
    checkout = db.session.get(Checkout, checkout_id)
    if checkout is None or checkout.buyer_id != current_user.id:
        abort(404)
    if (method is not None and checkout.payment_method is not method) or checkout.payment_method is PaymentMethod.COD:
        abort(404)
    return checkout


def _own_card_checkout(checkout_id: int) -> Checkout:
    """The buyer's card checkout; one switched to cash on delivery meanwhile (the back button, a second tap) sends
    the buyer to its confirmation page instead."""
    checkout = db.session.get(Checkout, checkout_id)
    if checkout is not None and checkout.buyer_id == current_user.id and checkout.payment_method is PaymentMethod.COD:
        abort(redirect(url_for("orders.confirmation", checkout_id=checkout_id)))
    return own_checkout(checkout_id, PaymentMethod.CARD)


@bp.get("/checkout/<int:checkout_id>")
@login_required
def pay(checkout_id: int):
    """Create (once) the payment intent and show the card form; the order is paid only when the webhook says so."""
    checkout = _own_card_checkout(checkout_id)
    payment, error, setup_secret = None, None, None
    if checkout.payment_status is PaymentStatus.UNPAID:
        try:
            payment = services.start_card_payment(checkout)
            setup_secret = services.card_setup_secret(checkout)
            db.session.commit()
        except PaymentError as exc:
            db.session.rollback()
            error = str(exc)
    from marketplace.payments.methods.stripe_card import last_attempt_failed

    return render_template(
        "payments/pay.html",
        checkout=checkout,
        payment=payment,
        declined=last_attempt_failed(checkout),
        switch_form=ActionForm(),
        decline_messages={code: str(text) for code, text in DECLINE_MESSAGES.items()},
        setup_secret=setup_secret,
        error=error,
        stripe_js_url=current_app.config["STRIPE_JS_URL"],
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
    )


@bp.post("/checkout/<int:checkout_id>/cod")
@login_required
def switch_to_cod(checkout_id: int):
    """The buyer pays this checkout cash on delivery instead of by card (after a declined card, or by choice)."""
    from marketplace.payments.methods.stripe_card import switch_to_cod as switch

    checkout = _own_card_checkout(checkout_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        switch(current_user, checkout)
    except PaymentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("payments.pay", checkout_id=checkout_id))
    db.session.commit()
    flash(_("Your order is now paid cash on delivery: pay the postman when it arrives."), "success")
    return redirect(url_for("orders.confirmation", checkout_id=checkout_id))


@bp.post("/checkout/<int:checkout_id>/confirm")
@login_required
def confirm(checkout_id: int):
    """JSON: confirm the intent with the payment method Stripe.js made from the card (CSRF token in X-CSRFToken)."""
    checkout = own_checkout(checkout_id, PaymentMethod.CARD)
    method = json_object().get("payment_method")
    if not isinstance(method, str) or not method or len(method) > 255:
        return jsonify(error="payment_method is required"), 400
    try:
        status = services.confirm_card(checkout, method)
    except PaymentError as exc:
        db.session.commit()  # a fresh intent made for this attempt is kept for the next one
        return jsonify(error=str(exc)), 402
    db.session.commit()
    payment = services.card_payment_of(checkout)
    return jsonify(status=status, client_secret=payment.client_secret if status == "requires_action" else None)


@bp.get("/checkout/<int:checkout_id>/status")
@login_required
def status(checkout_id: int):
    """Where the payment stands (the card page polls this after Stripe.js confirmed the card, the transfer and VNPay
    pages until the money is there)."""
    checkout = own_checkout(checkout_id)
    return jsonify(status=methods.get(checkout.payment_method).status(checkout).value)


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Verify the signature, then apply the event once (a replay answers 200 and does nothing)."""
    try:
        event = get_gateway().parse_webhook(request.get_data(), request.headers.get("Stripe-Signature", ""))
    except InvalidSignature:
        return jsonify(error="invalid signature"), 400
    except InvalidEvent:
        return jsonify(error="not a Stripe event"), 400
    except PaymentError:
        return jsonify(error="card payments are not configured"), 400
    try:
        applied = methods.get(PaymentMethod.CARD).notify(event)
        db.session.commit()
    except IntegrityError:  # the same event, delivered twice at once: the other delivery applied it
        db.session.rollback()
        applied = False
    return jsonify(received=True, applied=applied)
