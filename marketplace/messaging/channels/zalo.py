"""Zalo Notification Service: an approved template with its data, to the phone in international form (84…).

`POST {ZALO_ZNS_URL}` (https://business.openapi.zalo.me/message/template) with the header `access_token` and JSON
`{"phone", "template_id", "template_data", "tracking_id"}`; the answer is `{"error": 0, "data": {"msg_id", …}}` or
`{"error": <negative>, "message": …}`. Codes handled (DOMAIN.md; -124/-139/-144 from public integrations, to be
confirmed against the OA's documentation before production):
- -118: the phone has no Zalo account; -139: the user refused ZNS; -144: the OA's daily quota is out; -108: invalid
  phone → `Unreachable` (SMS next);
- -124: the access token is invalid or expired → refreshed once, then the send is repeated;
- anything else, timeouts and 5xx → `TryLater`.

The OA access token lives about 25 hours and is refreshed with a one-use refresh token (`POST {ZALO_OAUTH_URL}`,
header `secret_key`, form `app_id, grant_type=refresh_token, refresh_token`): the new pair is stored in
`provider_tokens` under a row lock, so two workers never spend the same refresh token.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import requests
from flask import current_app
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.messaging.channels import Outgoing, zalo_phone
from marketplace.messaging.errors import TryLater, Unreachable
from marketplace.messaging.models import ProviderToken
from marketplace.messaging.texts import render
from marketplace.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)
name = "zalo"
UNREACHABLE = {-118: "no Zalo account", -139: "refused ZNS", -144: "daily quota out", -108: "invalid phone"}
TOKEN_INVALID = -124
TIMEOUT = (3, 10)


def reaches(out: Outgoing) -> bool:
    return bool(out.phone)


def configured() -> bool:
    config = current_app.config
    return bool(config.get("ZALO_APP_ID") and (config.get("ZALO_REFRESH_TOKEN") or _stored() is not None))


def describe(out: Outgoing) -> tuple[str, str]:
    """(recipient, body) as the outbox records it."""
    rendered = render(out.kind, out.data, out.locale)
    return zalo_phone(out.phone), f"template {rendered.zalo_template}: {rendered.zalo_data}"


def send(out: Outgoing) -> str:
    """Send the template; returns Zalo's msg_id. Raises Unreachable or TryLater."""
    rendered = render(out.kind, out.data, out.locale)
    templates = current_app.config.get("ZALO_TEMPLATES") or {}
    template_id = templates.get(rendered.zalo_template)
    if not template_id:
        raise Unreachable(f"no approved Zalo template for {rendered.zalo_template}")
    body = {"phone": zalo_phone(out.phone), "template_id": str(template_id),
            "template_data": rendered.zalo_data, "tracking_id": out.dedupe_id}
    answer = _post(body, access_token())
    if answer.get("error") == TOKEN_INVALID:
        answer = _post(body, access_token(force_refresh=True))
    code = answer.get("error")
    if code == 0:
        return str((answer.get("data") or {}).get("msg_id") or "")
    if code in UNREACHABLE:
        raise Unreachable(f"zalo {code}: {UNREACHABLE[code]}")
    raise TryLater(f"zalo {code}: {answer.get('message', '')}"[:300])


def _post(body: dict, token: str) -> dict:
    try:
        response = requests.post(current_app.config["ZALO_ZNS_URL"], json=body, timeout=TIMEOUT,
                                  headers={"access_token": token, "Content-Type": "application/json"})
    except requests.RequestException as exc:
        raise TryLater(f"zalo: {exc.__class__.__name__}") from exc
    if response.status_code >= 500:
        raise TryLater(f"zalo: HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError as exc:
        raise TryLater(f"zalo: HTTP {response.status_code}, not JSON") from exc
    return answer if isinstance(answer, dict) else {"error": None}


def _stored() -> ProviderToken | None:
    return db.session.get(ProviderToken, "zalo")


def access_token(force_refresh: bool = False) -> str:
    """The OA access token, refreshed (and the new refresh token stored, committed at once) when it is about to
    expire or Zalo called it invalid. Raises TryLater when the refresh fails."""
    token = db.session.scalar(select(ProviderToken).where(ProviderToken.name == "zalo"))
    if token is not None and not force_refresh and as_utc(token.expires_at) > utcnow() + timedelta(minutes=5):
        return token.access_token
    # refresh under a row lock: a one-use refresh token must not be spent twice by two workers
    token = db.session.scalar(select(ProviderToken).where(ProviderToken.name == "zalo").with_for_update())
    if token is None:
        token = ProviderToken(name="zalo", access_token=current_app.config.get("ZALO_ACCESS_TOKEN", ""),
                              refresh_token=current_app.config.get("ZALO_REFRESH_TOKEN", ""),
                              expires_at=utcnow() - timedelta(seconds=1))
        db.session.add(token)
        db.session.flush()
    elif not force_refresh and as_utc(token.expires_at) > utcnow() + timedelta(minutes=5):
        return token.access_token  # another worker refreshed it while this one waited for the lock
    config = current_app.config
    try:
        response = requests.post(config["ZALO_OAUTH_URL"], timeout=TIMEOUT, headers={"secret_key": config.get(
            "ZALO_SECRET_KEY", "")}, data={"app_id": config["ZALO_APP_ID"], "grant_type": "refresh_token",
                                          "refresh_token": token.refresh_token})
        answer = response.json()
    except (requests.RequestException, ValueError) as exc:
        db.session.rollback()
        raise TryLater(f"zalo token refresh: {exc.__class__.__name__}") from exc
    if not isinstance(answer, dict) or not answer.get("access_token") or not answer.get("refresh_token"):
        db.session.rollback()
        raise TryLater(f"zalo token refresh refused: {str(answer)[:200]}")
    token.access_token = answer["access_token"]
    token.refresh_token = answer["refresh_token"]
    token.expires_at = utcnow() + timedelta(seconds=int(answer.get("expires_in") or 3600))
    db.session.commit()  # the old refresh token is spent: keep the new one whatever happens next
    log.info("zalo access token refreshed")
    return token.access_token
