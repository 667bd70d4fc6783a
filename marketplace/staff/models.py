"""The audit log: one row per staff action on someone else's data. Append-only."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.timeutil import utcnow


class AuditEntry(db.Model):
    """Who (and from which service point) did what to which object, when. Never updated or deleted."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: the actor's role at the time (`clerk`, `admin`)
    actor_role: Mapped[str] = mapped_column(String(16))
    #: the actor's service point at the time; empty for administrators without one
    point_id: Mapped[int | None] = mapped_column(ForeignKey("service_points.id"), index=True)
    #: what was done, a key of `staff.audit.ACTIONS` (`order.move`, `household.verify`, `parcel.accept`, …)
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: the kind of object acted on (`order`, `parcel`, `household`, `address`, `listing`, `user`, `payout_batch`, …)
    object_type: Mapped[str] = mapped_column(String(24))
    object_id: Mapped[int | None] = mapped_column(BigInteger)
    #: the household whose data it was, when there is one (to find everything done to one household)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    #: a short human-readable account (order number and move, weight, amount, …), in the operator's language
    summary: Mapped[str] = mapped_column(String(300), default="", server_default="")

    actor: Mapped[User] = relationship()
    point = relationship("ServicePoint")
    household = relationship("Household")


@db.event.listens_for(AuditEntry, "before_update")
def _audit_is_append_only(_mapper, _connection, target: AuditEntry) -> None:
    raise RuntimeError(f"audit entry {target.id} is append-only")


@db.event.listens_for(AuditEntry, "before_delete")
def _audit_is_never_deleted(_mapper, _connection, target: AuditEntry) -> None:
    raise RuntimeError(f"audit entry {target.id} cannot be deleted")
