"""Portable SQL time helpers: Vietnam calendar days and elapsed days on SQLite and PostgreSQL.

Times are stored in UTC. Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 1975, so SQLite can shift by
a fixed 7 hours; PostgreSQL converts with the zone itself. No bound parameters inside the expressions: the same
expression appears in SELECT and GROUP BY and must compare equal on the server.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import extract, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from marketplace.extensions import db
from marketplace.timeutil import VN_TZ, local_today


def dialect() -> str:
    return db.session.get_bind().dialect.name


def local_day(column) -> ColumnElement:
    """The Vietnam calendar day of a UTC timestamp column (a date on PostgreSQL, 'YYYY-MM-DD' text on SQLite)."""
    if dialect() == "postgresql":
        return func.date(func.timezone(literal_column("'Asia/Ho_Chi_Minh'"), column))
    return func.date(column, literal_column("'+7 hours'"))


def as_date(value) -> date:
    """What `local_day` returns, as a date on both databases."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def days_between(start, end) -> ColumnElement:
    """Elapsed days (fractional) from `start` to `end`, two timestamp columns."""
    if dialect() == "postgresql":
        return extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


def local_days(n: int, today: date | None = None) -> list[date]:
    """The last `n` Vietnam days, oldest first, ending today."""
    today = today or local_today()
    return [today - timedelta(days=i) for i in range(n - 1, -1, -1)]


def start_of_local_day(day: date) -> datetime:
    """Midnight in Vietnam at the start of `day`, in UTC (SQLite compares the stored UTC text, so it must be UTC)."""
    return datetime.combine(day, time.min, tzinfo=VN_TZ).astimezone(UTC)
