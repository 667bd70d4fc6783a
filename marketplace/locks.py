"""Transaction-scoped locks that work on both databases.

SQLite has one writer at a time: taking the write lock first (`BEGIN IMMEDIATE`) makes a read-then-write transaction
queue behind the others instead of failing half-way with SQLITE_BUSY, and also serialises it with every other writer.
PostgreSQL runs writers side by side; `named_lock` takes a transaction-level advisory lock there, so that two
requests doing the same read-then-write (two "create payout batch" clicks) run one after the other.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from marketplace.extensions import db


def begin_write() -> None:
    """On SQLite take the write lock first (BEGIN IMMEDIATE). PostgreSQL needs nothing here: its writers lock rows."""
    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        return
    if not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def named_lock(name: str) -> None:
    """Hold the lock `name` until the transaction ends (commit or rollback). On SQLite, the database write lock."""
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        begin_write()
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
