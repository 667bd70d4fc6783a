"""The card payment gateway. This is the only module that imports `stripe`; it hands back plain dataclasses.

Stripe does not onboard businesses based in Vietnam directly, so everything else talks to `PaymentGateway`,
which a domestic card/QR gateway can implement later.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Protocol

import stripe
from flask import current_app

from marketplace.payments.errors import (
    CardNotConfigured,
    InvalidEvent,
    InvalidSignature,
    PaymentError,
    ProviderUnreachable,
    decline_message,
)


@dataclass(frozen=True)
class Intent:
    id: str
    client_secret: str
    #: provider status: requires_payment_method, requires_confirmation, processing, succeeded, canceled, …
    status: str
    #: đồng
    amount: int
    currency: str
    #: the code of the last declined attempt (`card_declined`, `insufficient_funds`, …), if any
    last_error: str | None = None


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: str
    amount: int


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    intent_id: str | None
    intent_status: str | None


class PaymentGateway(Protocol):
    name: str

    def create_intent(self, amount: int, idempotency_key: str, metadata: dict[str, str]) -> Intent: ...

    def retrieve_intent(self, intent_id: str) -> Intent: ...

    def create_card_setup(self, idempotency_key: str) -> str: ...

    def confirm_intent(self, intent_id: str, payment_method_id: str, idempotency_key: str) -> Intent: ...

    def cancel_intent(self, intent_id: str) -> Intent: ...

    def refund(self, intent_id: str, amount: int, idempotency_key: str) -> RefundResult: ...

    def parse_webhook(self, payload: bytes, signature: str) -> WebhookEvent: ...


STRIPE_API = "https://api.stripe.com"
#: (connect, read) seconds for every call to the card provider
PROVIDER_TIMEOUT = (3.05, 10)
#: seconds a signed webhook may be older or newer than our clock (Stripe's own default is 300, for the past only)
WEBHOOK_TOLERANCE = 300


class StripeGateway:
    """Stripe PaymentIntents in VND (a zero-decimal currency: amounts are đồng, never × 100)."""

    name = "stripe"
    currency = "vnd"

    def __init__(self, secret_key: str, webhook_secret: str = "", api_base: str = "") -> None:
        if not secret_key:
            raise CardNotConfigured()
        self._key = secret_key
        self._webhook_secret = webhook_secret
        # the library's base URL is global: point it at STRIPE_API_BASE (tests: localstripe) or back at Stripe
        stripe.api_base = api_base.rstrip("/") if api_base else STRIPE_API
        stripe.max_network_retries = 0
        # a bounded wait on every call (the library's default is 80 s): a buyer or a job never hangs on the provider
        stripe.default_http_client = stripe.RequestsClient(timeout=PROVIDER_TIMEOUT)

    @staticmethod
    def _intent(obj) -> Intent:
        error = getattr(obj, "last_payment_error", None)
        error = error.to_dict() if hasattr(error, "to_dict") else error
        code = (error.get("decline_code") or error.get("code") or "card_declined") if error else None
        return Intent(obj.id, getattr(obj, "client_secret", None) or "", obj.status, int(obj.amount), obj.currency, code)

    def create_intent(self, amount: int, idempotency_key: str, metadata: dict[str, str]) -> Intent:
        """Create a PaymentIntent for the page to confirm with Stripe.js. Raises PaymentError."""
        try:
            obj = stripe.PaymentIntent.create(
                api_key=self._key,
                amount=int(amount),
                currency=self.currency,
                metadata=metadata,
                payment_method_types=["card"],
                idempotency_key=idempotency_key,
            )
        except stripe.StripeError as exc:
            raise PaymentError() from exc
        return self._intent(obj)

    def create_card_setup(self, idempotency_key: str) -> str:
        """A SetupIntent's client secret: Stripe.js Elements turns the card typed on the page into a payment method
        with it (the card number never reaches our server). Raises PaymentError."""
        try:
            obj = stripe.SetupIntent.create(
                api_key=self._key, payment_method_types=["card"], usage="on_session", idempotency_key=idempotency_key
            )
        except stripe.StripeError as exc:
            raise PaymentError() from exc
        return obj.client_secret

    def confirm_intent(self, intent_id: str, payment_method_id: str, idempotency_key: str) -> Intent:
        """Attach the page's payment method to the intent and confirm it on the server; the result may still need
        the buyer's 3-D Secure step (`requires_action`). Raises PaymentError (a declined card carries its reason)."""
        try:
            stripe.PaymentIntent.modify(intent_id, api_key=self._key, payment_method=payment_method_id)
            obj = stripe.PaymentIntent.confirm(intent_id, api_key=self._key, idempotency_key=idempotency_key)
        except stripe.CardError as exc:
            raise PaymentError(decline_message(getattr(exc, "decline_code", None), getattr(exc, "code", None))) from exc
        except stripe.StripeError as exc:
            raise _failure(exc) from exc
        return self._intent(obj)

    def retrieve_intent(self, intent_id: str) -> Intent:
        """Re-read an intent (the truth when webhooks arrive out of order). Raises PaymentError."""
        try:
            return self._intent(stripe.PaymentIntent.retrieve(intent_id, api_key=self._key))
        except stripe.StripeError as exc:
            raise PaymentError() from exc

    def cancel_intent(self, intent_id: str) -> Intent:
        """Cancel an unpaid intent. Raises PaymentError."""
        try:
            return self._intent(stripe.PaymentIntent.cancel(intent_id, api_key=self._key))
        except stripe.StripeError as exc:
            raise PaymentError() from exc

    def refund(self, intent_id: str, amount: int, idempotency_key: str) -> RefundResult:
        """Refund part or all of a paid intent; the idempotency key makes a retry safe. Raises PaymentError."""
        try:
            obj = stripe.Refund.create(
                api_key=self._key, payment_intent=intent_id, amount=int(amount), idempotency_key=idempotency_key
            )
        except stripe.StripeError as exc:
            raise _failure(exc) from exc
        return RefundResult(obj.id, obj.status, int(obj.amount))

    def parse_webhook(self, payload: bytes, signature: str) -> WebhookEvent:
        """Verify the signature and its timestamp (within WEBHOOK_TOLERANCE seconds of now, either way: the library
        only refuses old ones), then read the event. Raises InvalidSignature or InvalidEvent (not an event object)."""
        if not self._webhook_secret:
            raise InvalidSignature()
        try:
            stripe.WebhookSignature.verify_header(
                payload.decode("utf-8"), signature or "", self._webhook_secret, WEBHOOK_TOLERANCE
            )
        except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
            raise InvalidSignature() from exc
        if signed_at(signature) > time.time() + WEBHOOK_TOLERANCE:
            raise InvalidSignature()
        try:
            data = json.loads(payload)
        except (ValueError, RecursionError) as exc:
            raise InvalidEvent() from exc
        if not (isinstance(data, dict) and isinstance(data.get("data"), dict)):
            raise InvalidEvent()
        obj = data["data"].get("object")
        if not (_stripe_id(data.get("id")) and _stripe_id(data.get("type")) and isinstance(obj, dict)):
            raise InvalidEvent()
        is_intent = obj.get("object") == "payment_intent"
        if is_intent and not (_stripe_id(obj.get("id")) and isinstance(obj.get("status"), str)):
            raise InvalidEvent()
        return WebhookEvent(
            id=data["id"],
            type=data["type"],
            intent_id=obj["id"] if is_intent else None,
            intent_status=obj["status"] if is_intent else None,
        )


def _failure(exc: Exception) -> PaymentError:
    """The provider could not be reached or failed on its side (retry later), or it refused (say so)."""
    if isinstance(exc, (stripe.APIConnectionError, stripe.RateLimitError)) or (
        isinstance(exc, stripe.APIError) and not isinstance(exc, stripe.CardError)
    ):
        return ProviderUnreachable()
    return PaymentError()


def _stripe_id(value) -> bool:
    """An id or event type as Stripe writes them (what the payment tables store: at most 80 characters)."""
    return isinstance(value, str) and 0 < len(value) <= 80


def signed_at(signature: str) -> int:
    """The `t=` timestamp of a Stripe-Signature header, read as the library reads it (0 when there is none)."""
    for item in (signature or "").split(","):
        parts = item.split("=", 2)
        if parts[0] == "t" and len(parts) > 1:
            try:
                return int(parts[1])
            except ValueError:
                return 0
    return 0


def card_configured(config) -> bool:
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_PUBLISHABLE_KEY"))


def get_gateway() -> PaymentGateway:
    """The configured gateway. Raises CardNotConfigured without keys."""
    config = current_app.config
    override = current_app.extensions.get("payment_gateway")
    if override is not None:
        return override
    if not card_configured(config):
        raise CardNotConfigured()
    return StripeGateway(
        config["STRIPE_SECRET_KEY"], config.get("STRIPE_WEBHOOK_SECRET", ""), config.get("STRIPE_API_BASE", "")
    )
