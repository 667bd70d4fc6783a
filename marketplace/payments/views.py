"""The card payment page, the Stripe webhook, and the payment status every pay page polls."""

from flask import abort, current_app, jsonify, render_template, request
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import csrf, db
from marketplace.orders.models import Checkout, PaymentMethod, PaymentStatus
from marketplace.inputs import json_object
from marketplace.payments import bp, methods, services
from marketplace.payments.errors import InvalidEvent, InvalidSignature, PaymentError
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
    return render_template(
        "payments/pay.html",
        checkout=checkout,
        payment=payment,
        setup_secret=setup_secret,
        error=error,
        stripe_js_url=current_app.config["STRIPE_JS_URL"],
        publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"],
    )


@bp.post("/checkout/<int:checkout_id>/confirm")
@login_required
def confirm(checkout_id: int):
    """JSON: confirm the intent with the payment method Stripe.js made from the card (CSRF token in X-CSRFToken)."""
    checkout = _own_card_checkout(checkout_id)
    method = json_object().get("payment_method")
    if not isinstance(method, str) or not method or len(method) > 255:
        return jsonify(error="payment_method is required"), 400
    try:
        status = services.confirm_card(checkout, method)
    except PaymentError as exc:
        return jsonify(error=str(exc)), 402
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
