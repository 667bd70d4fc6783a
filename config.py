"""Configuration classes. `create_app()` picks one by name ("development", "testing", "production")."""

from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("MARKETPLACE_INSTANCE", BASE_DIR / "instance"))


def _dev_secret_key() -> str:
    """A random secret generated once per checkout and kept in instance/ (never committed)."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(url: str) -> str:
    """Accept the usual `postgres://` / `postgresql://` forms and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    SQLALCHEMY_DATABASE_URI = _database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'marketplace.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    MAX_CONTENT_LENGTH = 6 * 5 * 1024 * 1024 + 512 * 1024  # six photos of 5 MiB, plus the form
    MAX_PHOTO_BYTES = 5 * 1024 * 1024
    MAX_PHOTOS = 6
    #: photos are refused from their header beyond these (decompression bombs): pixels, pixels a side, and the memory
    #: the decoded picture would take (JPEGs are decoded at a reduced scale first)
    PHOTO_MAX_PIXELS = 40_000_000
    PHOTO_MAX_SIDE = 12_000
    PHOTO_MAX_DECODED_BYTES = 128 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: farmers fill forms slowly
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PAGE_SIZE = 24
    REDIS_URL = os.environ.get("REDIS_URL", "")
    #: the RQ queue background jobs go to (`flask jobs worker` runs them); without REDIS_URL jobs run inline
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "default")
    #: search index updates: "inline" after each commit (one app server), "queue" as background jobs (several)
    SEARCH_SYNC = os.environ.get("SEARCH_SYNC", "inline")
    #: sign-in, sign-up and reset throttling; shared through Redis when REDIS_URL is set (RATELIMIT_STORAGE_URI wins)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "cho-nong-san")
    #: catalogue pages from the shared cache (Redis; in-process without REDIS_URL outside production); 0 turns it off
    PAGE_CACHE = os.environ.get("PAGE_CACHE", "1") != "0"
    #: the longest a cached page lives (derived figures — delivery times — refresh then; edits show at once)
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
    #: without Redis, keep pages in process memory (right for one process: `make run`)
    PAGE_CACHE_LOCAL = True
    #: Prometheus metrics at /metrics; when METRICS_TOKEN is set it must come as `Authorization: Bearer …`
    METRICS = os.environ.get("METRICS", "1") != "0"
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    #: one access line per request (with its request id) on stderr; SERVER_TIMING adds SQL figures to responses
    REQUEST_LOG = os.environ.get("REQUEST_LOG", "1") != "0"
    SERVER_TIMING = os.environ.get("SERVER_TIMING", "0") == "1"
    RATELIMIT_HEADERS_ENABLED = True
    #: throttling on (the default); load tests from one address switch it off with RATELIMIT_ENABLED=0
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    #: failed sign-ins (and wrong reset codes) per account, from any address: then the account is locked a while
    SIGN_IN_ACCOUNT_LIMIT = os.environ.get("SIGN_IN_ACCOUNT_LIMIT", "10 per 15 minutes")
    #: failed sign-ins per address, well above one account's limit: a post-office counter serves many households
    SIGN_IN_ADDRESS_LIMIT = os.environ.get("SIGN_IN_ADDRESS_LIMIT", "30 per 5 minutes;100 per hour")
    SIGN_UP_LIMIT = os.environ.get("SIGN_UP_LIMIT", "20 per hour")
    #: password reset codes asked for, per account and per address
    RESET_ACCOUNT_LIMIT = os.environ.get("RESET_ACCOUNT_LIMIT", "3 per 15 minutes")
    RESET_ADDRESS_LIMIT = os.environ.get("RESET_ADDRESS_LIMIT", "10 per hour")
    #: a reset code works this long, for this many tries
    RESET_CODE_MINUTES = 15
    RESET_CODE_TRIES = 5
    #: codes sent to a phone (sign-in, sign-up, password reset by Zalo/SMS): each works this long for this many tries
    OTP_MINUTES = int(os.environ.get("OTP_MINUTES", "5"))
    OTP_TRIES = int(os.environ.get("OTP_TRIES", "5"))
    #: codes sent per phone number (every purpose together) and per address (a post-office counter helps many
    #: households from one address); each send costs an SMS
    OTP_PHONE_LIMIT = os.environ.get("OTP_PHONE_LIMIT", "3 per 15 minutes;10 per day")
    OTP_ADDRESS_LIMIT = os.environ.get("OTP_ADDRESS_LIMIT", "20 per hour;100 per day")
    #: after a code proved a number without an account, the new-account form stays open this long
    OTP_SIGN_UP_MINUTES = 15
    #: signed-in sessions end after this long without a request: buyers and households on their own phones, clerks
    #: and administrators on shared counter computers
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", str(7 * 24 * 60)))
    STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
    #: number of reverse proxies in front of the app (their X-Forwarded-For is trusted), 0 for none
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
    STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "whoosh")
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "cho-nong-san@localhost")
    #: failed delivery attempts before a parcel goes back to the household
    POSTAL_MAX_ATTEMPTS = int(os.environ.get("POSTAL_MAX_ATTEMPTS", "3"))
    #: đồng per started 500 g found above the declared weight at the counter
    POSTAL_SURCHARGE_PER_500G = int(os.environ.get("POSTAL_SURCHARGE_PER_500G", "5000"))
    #: how far in the future a tracking event time may lie (scanner clocks differ a little); later ones are refused
    POSTAL_EVENT_MAX_SKEW_SECONDS = int(os.environ.get("POSTAL_EVENT_MAX_SKEW_SECONDS", "300"))
    #: hours after which a household that has not confirmed an order is reminded, and after which the order is
    #: cancelled for the buyer (`flask orders remind-unconfirmed`, run hourly)
    ORDER_REMIND_AFTER_HOURS = int(os.environ.get("ORDER_REMIND_AFTER_HOURS", "24"))
    ORDER_CANCEL_AFTER_HOURS = int(os.environ.get("ORDER_CANCEL_AFTER_HOURS", "72"))
    #: the escalation ladder between them: after ORDER_ESCALATE_AFTER_HOURS an order still unconfirmed goes on the
    #: serving point's "call these households" list, and it is cancelled (ORDER_CANCEL_AFTER_HOURS) only once it has
    #: been on that list for ORDER_CALL_HOURS
    ORDER_ESCALATE_AFTER_HOURS = int(os.environ.get("ORDER_ESCALATE_AFTER_HOURS", "36"))
    ORDER_CALL_HOURS = int(os.environ.get("ORDER_CALL_HOURS", "12"))
    #: one-tap order links (confirm / reject, ready for hand-over) work this long, once
    ONE_TAP_HOURS = int(os.environ.get("ONE_TAP_HOURS", "72"))
    #: the site's address as people reach it, for links in messages (`https://chonongsan.vn`); empty: the address of
    #: the request that caused the message
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    #: how long an unpaid checkout holds its stock, per method paid in advance (`flask orders expire-unpaid` then
    #: cancels it and returns the stock)
    CARD_HOLD_MINUTES = int(os.environ.get("CARD_HOLD_MINUTES", "30"))
    TRANSFER_HOLD_MINUTES = int(os.environ.get("TRANSFER_HOLD_MINUTES", "60"))
    VNPAY_HOLD_MINUTES = int(os.environ.get("VNPAY_HOLD_MINUTES", "30"))
    #: VietQR bank transfers: the operator's collection account (offered at checkout only when all three are set)
    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", "")
    VIETQR_ACCOUNT_NUMBER = os.environ.get("VIETQR_ACCOUNT_NUMBER", "")
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", "")
    #: the memo starts with this, a space and the checkout's payment code (`CNS TT000123`)
    VIETQR_MEMO_PREFIX = os.environ.get("VIETQR_MEMO_PREFIX", "CNS")
    #: the bank-statement service (SePay's shapes): its webhook authenticates with `Authorization: Apikey <key>`
    #: (STATEMENT_WEBHOOK_API_KEY) or an HMAC-SHA256 signature (STATEMENT_WEBHOOK_SECRET); its list API
    #: (STATEMENT_API_URL, e.g. https://my.sepay.vn, with STATEMENT_API_TOKEN) is read by
    #: `flask payments reconcile-transfers` to catch webhooks that never arrived
    STATEMENT_WEBHOOK_API_KEY = os.environ.get("STATEMENT_WEBHOOK_API_KEY", "")
    STATEMENT_WEBHOOK_SECRET = os.environ.get("STATEMENT_WEBHOOK_SECRET", "")
    STATEMENT_API_URL = os.environ.get("STATEMENT_API_URL", "")
    STATEMENT_API_TOKEN = os.environ.get("STATEMENT_API_TOKEN", "")
    #: signed webhooks older or newer than this are refused
    WEBHOOK_MAX_SKEW_SECONDS = int(os.environ.get("WEBHOOK_MAX_SKEW_SECONDS", "300"))
    #: VNPay (PAY API 2.1.0): terminal code and hash secret from VNPay; the payment page and the merchant API
    #: (refunds, queries); the IPN URL is registered with VNPay as https://<host>/payments/vnpay/ipn
    VNPAY_TMN_CODE = os.environ.get("VNPAY_TMN_CODE", "")
    VNPAY_HASH_SECRET = os.environ.get("VNPAY_HASH_SECRET", "")
    VNPAY_PAYMENT_URL = os.environ.get("VNPAY_PAYMENT_URL", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
    VNPAY_API_URL = os.environ.get("VNPAY_API_URL", "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction")
    #: household payouts: a delivered order's money becomes payable this many days after delivery
    PAYOUT_AFTER_DAYS = int(os.environ.get("PAYOUT_AFTER_DAYS", "3"))
    #: messaging (marketplace/messaging): channels without a provider are skipped, or, with MESSAGING_OUTBOX, write
    #: what they would have sent to the outbox (/admin/messages); development turns it on
    MESSAGING_OUTBOX = os.environ.get("MESSAGING_OUTBOX", "0") == "1"
    #: a message claimed by a sender that died is claimed again after this long (same provider dedupe id)
    MESSAGE_CLAIM_SECONDS = int(os.environ.get("MESSAGE_CLAIM_SECONDS", "120"))
    #: a message whose provider keeps failing for now is given up (failed, to send again by hand) after this many tries
    MESSAGE_MAX_ATTEMPTS = int(os.environ.get("MESSAGE_MAX_ATTEMPTS", "8"))
    #: a message still queued after this long has lost its job: the sweep queues it again
    MESSAGE_REQUEUE_MINUTES = int(os.environ.get("MESSAGE_REQUEUE_MINUTES", "5"))
    #: Zalo Notification Service: the official account's app, its rotating tokens (the first pair; refreshed ones are
    #: kept in the database), template ids by our template name (JSON: {"otp": "…", "order_new": "…", …})
    ZALO_APP_ID = os.environ.get("ZALO_APP_ID", "")
    ZALO_SECRET_KEY = os.environ.get("ZALO_SECRET_KEY", "")
    ZALO_ACCESS_TOKEN = os.environ.get("ZALO_ACCESS_TOKEN", "")
    ZALO_REFRESH_TOKEN = os.environ.get("ZALO_REFRESH_TOKEN", "")
    ZALO_ZNS_URL = os.environ.get("ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template")
    ZALO_OAUTH_URL = os.environ.get("ZALO_OAUTH_URL", "https://oauth.zaloapp.com/v4/oa/access_token")
    ZALO_TEMPLATES = json.loads(os.environ.get("ZALO_TEMPLATES", "{}") or "{}")
    #: eSMS SMS brandname (customer-care type)
    ESMS_API_KEY = os.environ.get("ESMS_API_KEY", "")
    ESMS_SECRET_KEY = os.environ.get("ESMS_SECRET_KEY", "")
    ESMS_BRANDNAME = os.environ.get("ESMS_BRANDNAME", "")
    ESMS_URL = os.environ.get(
        "ESMS_URL", "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/")
    #: map tiles for the address page (`https://…/{z}/{x}/{y}.png`); empty: the offline sketch only
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")


class DevelopmentConfig(Config):
    DEBUG = True
    #: `make run` shows what Zalo, SMS and e-mail would have sent at /admin/messages
    MESSAGING_OUTBOX = os.environ.get("MESSAGING_OUTBOX", "1") == "1"
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    #: development-only commands (`flask payments dev-transfer`) run
    DEV_TOOLS = True
    #: a demo collection account, so that `make run` offers VietQR transfers; pay them with
    #: `flask payments dev-transfer <code>` (it posts what the bank-statement service would)
    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", "970405")
    VIETQR_ACCOUNT_NUMBER = os.environ.get("VIETQR_ACCOUNT_NUMBER", "0000000000")
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", "CHO NONG SAN BUU DIEN DEMO")

    @property
    def STATEMENT_WEBHOOK_API_KEY(self) -> str:  # noqa: N802
        """A development key derived from the local secret (the dev command signs with the same)."""
        import hashlib

        return os.environ.get("STATEMENT_WEBHOOK_API_KEY") or hashlib.sha256(
            b"statement-webhook:" + _dev_secret_key().encode()
        ).hexdigest()[:32]

    @property
    def SECRET_KEY(self) -> str:  # noqa: N802 - Flask reads it under this name
        return os.environ.get("SECRET_KEY") or _dev_secret_key()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"
    WTF_CSRF_ENABLED = False  # tests that check CSRF switch it back on
    PASSWORD_HASH_FAST = True  # argon2 with small cost: the suite hashes hundreds of passwords
    #: tests that need Redis (the job worker) set it themselves; a developer's REDIS_URL is not used
    REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
    PAYOUT_AFTER_DAYS = 0  # money payable at delivery; the payout-date tests set their own
    PUBLIC_URL = "https://chonongsan.test"
    DEV_TOOLS = True

    def __init__(self) -> None:
        self.SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))


class ProductionConfig(Config):
    #: several worker processes cannot share process memory: no page cache without Redis
    PAGE_CACHE_LOCAL = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    #: if Redis is briefly unreachable, each worker keeps counting in memory rather than failing sign-ins
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    def __init__(self) -> None:
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"production config refused: set {', '.join(missing)} in the environment")
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = _database_url(os.environ["DATABASE_URL"])
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}
        #: plain-HTTP requests are redirected to HTTPS (behind a TLS proxy, set PROXY_COUNT so the scheme is trusted)
        self.FORCE_HTTPS = os.environ.get("FORCE_HTTPS", "1") != "0"
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or os.environ.get("REDIS_URL", "")
        if not self.RATELIMIT_STORAGE_URI:
            raise RuntimeError(
                "production config refused: set REDIS_URL so that sign-in throttles are shared by every worker and "
                "server (or RATELIMIT_STORAGE_URI=memory:// to accept limits counted per process)"
            )
        if self.RATELIMIT_STORAGE_URI.startswith("memory://"):
            logging.getLogger("marketplace").error(
                "RATELIMIT_STORAGE_URI is memory://: sign-in throttles are counted per process, each gunicorn worker "
                "allows its own share of guesses. Set REDIS_URL."
            )


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}


def load(name: str | None = None) -> Config:
    name = name or os.environ.get("MARKETPLACE_CONFIG", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"unknown config {name!r}; choose one of {', '.join(CONFIGS)}") from None
