"""Messaging in tests: the Zalo and eSMS stand-ins (scripts/standins) started on free ports and reached by the app
through its configuration, exactly as it reaches the real providers."""

from __future__ import annotations

import pytest

from scripts.standins._server import Background
from scripts.standins.esms import PATH as ESMS_PATH
from scripts.standins.esms import EsmsStandIn
from scripts.standins.zalo import ZaloStandIn

ZALO_APP_ID, ZALO_SECRET, ZALO_REFRESH = "4318000000000001", "zalo-test-secret", "refresh-0"
ZALO_TEMPLATES = {"otp": "300001", "order_new": "300002", "order_reminder": "300003", "order_ready": "300004",
                  "order_status": "300005"}
ESMS_KEY, ESMS_SECRET, ESMS_BRAND = "esms-test-key", "esms-test-secret", "CHONONGSAN"

_KEYS = ("ZALO_APP_ID", "ZALO_SECRET_KEY", "ZALO_ACCESS_TOKEN", "ZALO_REFRESH_TOKEN", "ZALO_ZNS_URL", "ZALO_OAUTH_URL",
         "ZALO_TEMPLATES", "ESMS_API_KEY", "ESMS_SECRET_KEY", "ESMS_BRANDNAME", "ESMS_URL", "MESSAGING_OUTBOX",
         "MAIL_SERVER")


@pytest.fixture
def messaging_config(app):
    saved = {k: app.config.get(k) for k in _KEYS}
    yield app.config
    app.config.update(saved)


@pytest.fixture
def outbox_on(messaging_config):
    messaging_config["MESSAGING_OUTBOX"] = True


@pytest.fixture
def zalo(messaging_config):
    standin = ZaloStandIn(ZALO_APP_ID, ZALO_SECRET, ZALO_REFRESH, templates=set(ZALO_TEMPLATES.values()))
    server = Background(standin).start()
    messaging_config.update(ZALO_APP_ID=ZALO_APP_ID, ZALO_SECRET_KEY=ZALO_SECRET, ZALO_REFRESH_TOKEN=ZALO_REFRESH,
                            ZALO_ACCESS_TOKEN="", ZALO_ZNS_URL=server.url + "/message/template",
                            ZALO_OAUTH_URL=server.url + "/v4/oa/access_token", ZALO_TEMPLATES=dict(ZALO_TEMPLATES))
    yield standin
    server.stop()


@pytest.fixture
def esms(messaging_config):
    standin = EsmsStandIn(ESMS_KEY, ESMS_SECRET, ESMS_BRAND)
    server = Background(standin).start()
    messaging_config.update(ESMS_API_KEY=ESMS_KEY, ESMS_SECRET_KEY=ESMS_SECRET, ESMS_BRANDNAME=ESMS_BRAND,
                            ESMS_URL=server.url + ESMS_PATH)
    yield standin
    server.stop()
