"""`flask payments reconcile-transfers` (cron) and `flask payments dev-transfer` (development only)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime

import click
from flask import current_app

from marketplace.payments import bp, statements
from marketplace.timeutil import VN_TZ


@bp.cli.command("reconcile-transfers")
@click.option("--days", default=2, show_default=True, help="How many days of statement lines to read again.")
def reconcile_transfers(days: int) -> None:
    """Record transfers whose webhook never arrived, from the bank-statement service's list (idempotent; run it
    every few minutes from cron)."""
    from marketplace.payments.services import catch_up_transfers

    if not (current_app.config.get("STATEMENT_API_URL") and current_app.config.get("STATEMENT_API_TOKEN")):
        raise click.ClickException("set STATEMENT_API_URL and STATEMENT_API_TOKEN")
    click.echo(f"Recorded {catch_up_transfers(days)} transfer(s) the webhook had missed.")


def dev_statement(code: str, amount: int, content: str | None = None, txn_id: int | None = None) -> dict:
    """A statement line as the bank-statement service posts it, for a transfer of `amount` with `code` in the memo."""
    config = current_app.config
    return {
        "id": txn_id if txn_id is not None else int(time.time() * 1000) % 10**12 * 100 + uuid.uuid4().int % 100,
        "gateway": "Agribank",
        "transactionDate": datetime.now(VN_TZ).strftime("%Y-%m-%d %H:%M:%S"),
        "accountNumber": config.get("VIETQR_ACCOUNT_NUMBER", ""),
        "code": None,
        "content": content or f"{config.get('VIETQR_MEMO_PREFIX', 'CNS')} {code} chuyen tien",
        "transferType": "in",
        "transferAmount": amount,
        "accumulated": 0,
        "subAccount": None,
        "referenceCode": f"FT{uuid.uuid4().hex[:10].upper()}",
        "description": "",
    }


@bp.cli.command("dev-transfer")
@click.argument("code")
@click.option("--amount", type=int, default=None, help="Đồng (default: the checkout's total).")
@click.option("--url", default="http://127.0.0.1:5000", show_default=True, help="Where the app runs.")
@click.option("--id", "txn_id", type=int, default=None, help="The bank's transaction id (repeat one to replay it).")
def dev_transfer(code: str, amount: int | None, url: str, txn_id: int | None) -> None:
    """Development: "pay" a VietQR checkout as the bank would — posts what the bank-statement service posts, signed
    with this app's own key, to the running app's webhook. CODE is the payment code shown on the pay page."""
    import requests
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.payments.models import TransferPayment

    if not current_app.config.get("DEV_TOOLS"):
        raise click.ClickException("dev-transfer is for development only")
    code = code.strip().upper().split()[-1]
    payment = db.session.scalar(select(TransferPayment).where(TransferPayment.code == code))
    if payment is None and amount is None:
        raise click.ClickException(f"no checkout waits for {code}; give --amount to send it anyway")
    line = dev_statement(code, amount if amount is not None else payment.amount, txn_id=txn_id)
    body = json.dumps(line).encode()
    headers = {"Content-Type": "application/json"}
    secret, key = current_app.config.get("STATEMENT_WEBHOOK_SECRET"), current_app.config.get("STATEMENT_WEBHOOK_API_KEY")
    if secret:
        timestamp = str(int(time.time()))
        headers.update({"X-SePay-Timestamp": timestamp, "X-SePay-Signature": statements.sign(secret, timestamp, body)})
    else:
        headers["Authorization"] = f"Apikey {key}"
    response = requests.post(url.rstrip("/") + "/payments/statements/sepay", data=body, headers=headers, timeout=10)
    click.echo(f"{response.status_code} {response.text.strip()} (transaction id {line['id']})")
