from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db
from marketplace.timeutil import utcnow


class ProvinceTarget(db.Model):
    """The operator's target of selling households in one province (the postal strategy's goal, set by an admin)."""

    __tablename__ = "province_targets"
    __table_args__ = (CheckConstraint("selling_households >= 0", name="target_not_negative"),)

    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), primary_key=True, autoincrement=False)
    selling_households: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
