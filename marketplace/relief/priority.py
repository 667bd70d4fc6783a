"""Priority goods: the categories an administrator names (food, medicine, relief goods) and relief-campaign
donations travel first: first in the desk's acceptance queue and in delivery rounds, a band on the label."""

from __future__ import annotations

from sqlalchemy import delete, select

from marketplace.accounts.models import Role, User
from marketplace.catalog.models import Category
from marketplace.extensions import db
from marketplace.relief.errors import NotAllowed
from marketplace.relief.models import Donation, PriorityCategory
from marketplace.staff import audit


def is_priority_order(order) -> bool:
    """Whether the order's parcel is priority: a line of a priority category, or a campaign donation."""
    ids = set(db.session.scalars(select(PriorityCategory.category_id)))
    if any(line.listing.category_id in ids for line in order.lines):
        return True
    return db.session.scalar(select(Donation.id).where(Donation.order_id == order.id)) is not None


def set_categories(admin: User, category_ids: set[int]) -> list[Category]:
    """Make exactly these categories the priority ones. Audited. Raises NotAllowed."""
    if admin is None or admin.role is not Role.ADMIN:
        raise NotAllowed()
    known = set(db.session.scalars(select(Category.id).where(Category.id.in_(category_ids)))) if category_ids else set()
    before = set(db.session.scalars(select(PriorityCategory.category_id)))
    if known == before:
        return categories()
    db.session.execute(delete(PriorityCategory))
    db.session.add_all(PriorityCategory(category_id=c) for c in sorted(known))
    db.session.flush()
    audit.record(admin, "relief.priority_edit", "category", None,
                 f"{sorted(before)} → {sorted(known)}")
    return categories()


def categories() -> list[Category]:
    return list(db.session.scalars(
        select(Category).join(PriorityCategory, PriorityCategory.category_id == Category.id).order_by(Category.position)
    ))
