"""Bank accounts people are paid into: a household's payouts, a buyer's refunds. Setting or changing one needs the
account's password again, is audited, and the owner is told (a stolen session must not redirect someone's money)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.accounts.passwords import verify_password
from marketplace.extensions import db
from marketplace.payments import banks
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import BankAccount
from marketplace.staff import audit
from marketplace.timeutil import utcnow


class BankAccountError(PaymentError):
    message = _l("This bank account cannot be saved.")


class WrongPassword(BankAccountError):
    message = _l("The password is not right. Your bank account was not changed.")


@dataclass(frozen=True)
class AccountData:
    bank_bin: str
    account_number: str
    holder_name: str


def clean_holder(name: str) -> str:
    """The holder's name as banks print it: upper case, without diacritics (Đ → D), single spaces."""
    name = (name or "").replace("đ", "d").replace("Đ", "D")
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^A-Za-z0-9.'\-]", " ", folded).upper().split())[:50]


def clean_number(number: str) -> str:
    """Spaces, dots and dashes people type inside account numbers are dropped."""
    return re.sub(r"[\s.\-]", "", number or "")


def account_of(user: User | None) -> BankAccount | None:
    if user is None:
        return None
    return db.session.scalar(select(BankAccount).where(BankAccount.user_id == user.id))


def masked(account: BankAccount) -> str:
    bank = banks.by_bin(account.bank_bin)
    return f"{bank.short_name if bank else account.bank_bin} ****{account.account_number[-4:]} {account.holder_name}"


def set_account(user: User, data: AccountData, password: str) -> BankAccount:
    """Register or change `user`'s bank account after checking the password again; audited (whoever the user is)
    and the user is notified. Raises WrongPassword, BankAccountError (unknown bank, malformed number or name)."""
    if not password or not verify_password(user.password_hash, password):
        raise WrongPassword()
    if banks.by_bin(data.bank_bin) is None:
        raise BankAccountError(_l("Choose your bank from the list."))
    number = clean_number(data.account_number)
    if not re.fullmatch(r"[0-9A-Za-z]{6,19}", number):
        raise BankAccountError(_l("An account number has 6 to 19 digits."))
    holder = clean_holder(data.holder_name)
    if len(holder) < 2:
        raise BankAccountError(_l("Enter the account holder's name as the bank has it."))
    account = account_of(user)
    before = masked(account) if account is not None else "—"
    if account is None:
        account = BankAccount(user_id=user.id, created_at=utcnow())
        db.session.add(account)
    account.bank_bin, account.account_number, account.holder_name = data.bank_bin, number, holder
    account.updated_at = utcnow()
    db.session.flush()
    household = getattr(user, "household", None)
    audit.record(user, "bank_account.set", "bank_account", account.id, lambda: f"{before} → {masked(account)}",
                 household_id=household.id if household is not None else None)
    from marketplace.notifications import services as notify

    notify.account_notice(user, "bank_account_changed")
    return account
