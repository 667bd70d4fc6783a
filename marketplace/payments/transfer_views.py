"""The VietQR transfer page (QR, the same details as text, a printable version) and the bank-statement webhook."""

from flask import Response, abort, current_app, jsonify, render_template, request
from flask_login import login_required
from sqlalchemy.exc import IntegrityError

from marketplace.extensions import csrf, db
from marketplace.orders.models import PaymentMethod, PaymentStatus
from marketplace.payments import bp, methods, statements, transfers
from marketplace.payments.errors import InvalidSignature, PaymentError
from marketplace.payments.methods import vietqr
from marketplace.payments.views import own_checkout


def _instructions(checkout_id: int):
    checkout = own_checkout(checkout_id, PaymentMethod.VIETQR)
    payment = vietqr.payment_of(checkout)
    if payment is None and checkout.payment_status is PaymentStatus.UNPAID:
        try:
            payment = methods.get(PaymentMethod.VIETQR).create(checkout)
            db.session.commit()
        except PaymentError:
            db.session.rollback()
            payment = None
    return checkout, (vietqr.instructions(payment) if payment is not None else None)


@bp.get("/transfer/<int:checkout_id>")
@login_required
def transfer_page(checkout_id: int):
    """The QR for the exact amount, the details to type, the time left; a small script polls the status."""
    checkout, info = _instructions(checkout_id)
    return render_template("payments/transfer.html", checkout=checkout, info=info,
                           received=transfers.received_for(checkout.id))


@bp.get("/transfer/<int:checkout_id>/print")
@login_required
def transfer_print(checkout_id: int):
    checkout, info = _instructions(checkout_id)
    if info is None:
        abort(404)
    return render_template("payments/transfer_print.html", checkout=checkout, info=info)


@bp.get("/transfer/<int:checkout_id>/qr.png")
@login_required
def transfer_qr(checkout_id: int):
    """The VietQR as a PNG (buyers also save it and open it from their banking app's "scan from image")."""
    checkout, info = _instructions(checkout_id)
    if info is None or checkout.payment_status is not PaymentStatus.UNPAID:
        abort(404)
    response = Response(vietqr.qr_png(info.payload), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Content-Disposition"] = f'inline; filename="vietqr-{info.code}.png"'
    return response


@bp.post("/statements/sepay")
@csrf.exempt
def statement_webhook():
    """The bank-statement service tells us of a transaction. Authentication first (401), then the body (400); a line
    seen before answers success and changes nothing, so the service stops retrying."""
    body = request.get_data()
    try:
        statements.verify(current_app.config, body, request.headers)
    except InvalidSignature:
        return jsonify(success=False, error="unauthorized"), 401
    except PaymentError:
        return jsonify(success=False, error="not configured"), 404
    try:
        line = statements.parse_webhook(body)
    except statements.MalformedStatement as exc:
        return jsonify(success=False, error=str(exc)), 400
    try:
        new = methods.get(PaymentMethod.VIETQR).notify(line)
        db.session.commit()
    except IntegrityError:  # the same line, delivered twice at once: the other delivery recorded it
        db.session.rollback()
        new = False
    return jsonify(success=True, recorded=new)
