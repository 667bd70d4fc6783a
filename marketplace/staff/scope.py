"""Staff scope: the one rule for what a member of the postal staff may see and act on.

An administrator has national reach. A clerk reaches the work of his own service point and nothing else:
- **households** his point serves (`households.service_point_id`: where they hand their parcels in);
- **parcels** that leave from or are delivered by his point;
- **orders** of those households, or whose parcel is one of those parcels;
- **digital addresses** in his point's ward, or of households his point serves;
- **users**: the staff of his point, and the people of the orders and households above.
A clerk without a point reaches nothing. Buyers and households are not staff: `scope_of` gives them None.

Every list a clerk sees is filtered by these criteria (SQL expressions), and every single-object check asks the
database the same criteria (`may_see`), so the rule is written once. Views answer 404 outside the scope: another
point's work does not exist for a clerk.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.sql import Select

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.households.models import Household
from marketplace.orders.models import Order
from marketplace.postal.models import ClerkAssignment, DigitalAddress, Parcel, ServicePoint


@dataclass(frozen=True)
class StaffScope:
    user_id: int
    #: the clerk's service point; None for administrators (national) and for clerks not yet assigned (nothing)
    point_id: int | None
    national: bool
    #: the ward of the clerk's point (digital addresses there are his to verify)
    point_ward_code: int | None = None

    # --- criteria, one per kind of object ---------------------------------------------------------------------------

    def households(self) -> ColumnElement[bool]:
        if self.national:
            return true()
        if self.point_id is None:
            return false()
        return Household.service_point_id == self.point_id

    def parcels(self) -> ColumnElement[bool]:
        if self.national:
            return true()
        if self.point_id is None:
            return false()
        return or_(Parcel.origin_point_id == self.point_id, Parcel.destination_point_id == self.point_id)

    def orders(self) -> ColumnElement[bool]:
        if self.national:
            return true()
        if self.point_id is None:
            return false()
        return or_(
            Order.household_id.in_(select(Household.id).where(self.households())),
            exists(select(Parcel.id).where(Parcel.order_id == Order.id, self.parcels())),
        )

    def addresses(self) -> ColumnElement[bool]:
        if self.national:
            return true()
        if self.point_id is None:
            return false()
        return or_(
            DigitalAddress.ward_code == self.point_ward_code,
            DigitalAddress.household_id.in_(select(Household.id).where(self.households())),
        )

    def users(self) -> ColumnElement[bool]:
        if self.national:
            return true()
        if self.point_id is None:
            return false()
        return or_(
            User.id.in_(select(ClerkAssignment.user_id).where(ClerkAssignment.service_point_id == self.point_id)),
            User.id.in_(select(Household.user_id).where(self.households())),
            User.id.in_(select(Order.buyer_id).where(self.orders())),
        )

    # --- the same criteria for one object ---------------------------------------------------------------------------

    def may_see(self, obj) -> bool:
        """Whether `obj` (a Household, Parcel, Order, DigitalAddress or User) is within this scope."""
        if obj is None:
            return False
        if self.national:
            return True
        model, criterion = _CRITERIA[type(obj)]
        return bool(db.session.scalar(select(exists().where(model.id == obj.id, criterion(self)))))

    def filter(self, query: Select, model) -> Select:
        """`query` restricted to the objects of `model` within this scope."""
        return query.where(_CRITERIA[model][1](self))


_CRITERIA = {
    Household: (Household, StaffScope.households),
    Parcel: (Parcel, StaffScope.parcels),
    Order: (Order, StaffScope.orders),
    DigitalAddress: (DigitalAddress, StaffScope.addresses),
    User: (User, StaffScope.users),
}


def scope_of(user: User | None) -> StaffScope | None:
    """The staff scope of `user`: national for administrators, the service point's for clerks (nothing when not
    assigned), None for everybody else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.role is Role.ADMIN:
        return StaffScope(user_id=user.id, point_id=None, national=True)
    if user.role is not Role.CLERK:
        return None
    row = db.session.execute(
        select(ServicePoint.id, ServicePoint.ward_code)
        .join(ClerkAssignment, ClerkAssignment.service_point_id == ServicePoint.id)
        .where(ClerkAssignment.user_id == user.id)
    ).first()
    if row is None:
        return StaffScope(user_id=user.id, point_id=None, national=False)
    return StaffScope(user_id=user.id, point_id=row.id, national=False, point_ward_code=row.ward_code)


def staff_may_see(user: User | None, obj) -> bool:
    """Whether `user` is staff and `obj` lies within his scope."""
    scope = scope_of(user)
    return scope is not None and scope.may_see(obj)
