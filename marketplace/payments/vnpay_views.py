"""VNPay: the page that sends the buyer to VNPay, the return page (shows, never decides) and the IPN (decides)."""

from flask import current_app, jsonify, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import select

from marketplace.extensions import csrf, db
from marketplace.orders.models import Checkout, PaymentMethod, PaymentStatus
from marketplace.payments import bp, methods, vnpay_api
from marketplace.payments.errors import PaymentError
from marketplace.payments.methods import vnpay
from marketplace.payments.models import VnpayPayment
from marketplace.payments.views import own_checkout

#: HTTP status per RspCode: VNPay reads the JSON; requests that are not VNPay's (bad signature, garbage, an
#: amount or order that does not match ours) also get a 4xx, and a repeat of a confirmed IPN a 200
_HTTP = {"00": 200, "02": 200, "01": 404, "04": 400, "97": 403, "99": 400}


@bp.get("/vnpay/<int:checkout_id>")
@login_required
def vnpay_page(checkout_id: int):
    """The amount and a link to VNPay's payment page, signed for this checkout (its VNPay reference is created once,
    like the card page's intent). A plain link rather than a form posting to us and redirecting: a
    Content-Security-Policy's form-action would stop a form's redirect to another site."""
    checkout = own_checkout(checkout_id, PaymentMethod.VNPAY)
    url, error = None, None
    if checkout.payment_status is PaymentStatus.UNPAID:
        try:
            url = vnpay.redirect_url(checkout, request.remote_addr or "", str(get_locale() or "vi"))
            db.session.commit()
        except PaymentError as exc:
            db.session.rollback()
            error = str(exc)
    return render_template("payments/vnpay.html", checkout=checkout, vnpay_url=url, error=error)


@bp.get("/vnpay/return")
@login_required
def vnpay_return():
    """Where VNPay sends the buyer back. The signed parameters say what VNPay showed the buyer; the checkout turns
    paid only by the IPN, so the page shows what the database says and polls until the IPN has come."""
    params = request.args.to_dict()
    try:
        result = vnpay_api.verify(current_app.config.get("VNPAY_HASH_SECRET", ""), params)
    except PaymentError:
        result = None
    payment = None
    if result is not None:
        payment = db.session.scalar(select(VnpayPayment).where(VnpayPayment.txn_ref == result.txn_ref))
    checkout = db.session.get(Checkout, payment.checkout_id) if payment else None
    if checkout is not None and checkout.buyer_id != current_user.id:
        checkout = None
    return render_template("payments/vnpay_return.html", result=result, checkout=checkout)


@bp.get("/vnpay/ipn")
@csrf.exempt
def vnpay_ipn():
    """VNPay's instant payment notification (a signed GET); answered with its RspCode JSON."""
    try:
        answer = methods.get(PaymentMethod.VNPAY).notify(request.args.to_dict())
        db.session.commit()
    except PaymentError:  # a late payment whose refund VNPay refused: nothing is kept, VNPay retries
        db.session.rollback()
        answer = vnpay.IpnAnswer("99", "Unknown error")
    return jsonify(answer.json()), _HTTP.get(answer.code, 400)
