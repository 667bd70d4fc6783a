"""The clerk's desk: what a clerk does with parcels at his own service point.

Every function takes the clerk explicitly, checks that the parcel belongs to his point (origin for acceptance,
destination for delivery), records a tracking event carrying who, where and when, and flushes.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from marketplace.accounts.models import Role, User
from marketplace.extensions import db
from marketplace.postal.errors import InvalidParcel, NotAllowed
from marketplace.postal.geodata import haversine_m
from marketplace.postal.models import ClerkAssignment, Parcel, ParcelStatus, ServicePoint, TrackingEvent
from marketplace.postal.parcels import by_tracking_number, surcharge_for
from marketplace.postal.points import point_of
from marketplace.postal.tracking import REASONS, ensure_allowed, record_event
from marketplace.staff import audit
from marketplace.web import vnd, weight

S = ParcelStatus
#: parcels the delivery point still holds for a round
WAITING_FOR_ROUND = (S.AT_DELIVERY_POINT, S.DELIVERY_FAILED)


class ParcelNotFound(NotAllowed):
    """No such parcel at this clerk's point (views answer 404: another point's parcels do not exist for him)."""


def desk_point(clerk: User) -> ServicePoint:
    """The clerk's service point. Raises NotAllowed for non-clerks and clerks without a point."""
    if clerk.role not in (Role.CLERK, Role.ADMIN):
        raise NotAllowed(_l("Only postal clerks use the desk."))
    point = point_of(clerk)
    if point is None:
        raise NotAllowed(_l("You are not assigned to a service point yet. Ask an administrator."))
    return point


def find_for_clerk(clerk: User, tracking_number: str) -> Parcel:
    """The parcel with this number if it leaves from or is delivered by the clerk's point. Raises ParcelNotFound."""
    point = desk_point(clerk)
    parcel = by_tracking_number(tracking_number)
    if parcel is None or point.id not in (parcel.origin_point_id, parcel.destination_point_id):
        raise ParcelNotFound(_l("No parcel with this number at your post office."))
    return parcel


def get_for_clerk(clerk: User, parcel_id: int) -> Parcel:
    point = desk_point(clerk)
    parcel = db.session.get(Parcel, parcel_id)
    if parcel is None or point.id not in (parcel.origin_point_id, parcel.destination_point_id):
        raise ParcelNotFound(_l("No parcel with this number at your post office."))
    return parcel


def _at_origin(clerk: User, parcel: Parcel) -> ServicePoint:
    point = desk_point(clerk)
    if parcel.origin_point_id != point.id:
        raise ParcelNotFound(_l("No parcel with this number at your post office."))
    return point


def _at_destination(clerk: User, parcel: Parcel) -> ServicePoint:
    point = desk_point(clerk)
    if parcel.destination_point_id != point.id:
        raise ParcelNotFound(_l("No parcel with this number at your post office."))
    return point


def accept(clerk: User, parcel: Parcel, weighed_grams: int) -> TrackingEvent:
    """Accept a handed-in parcel at the origin point: record the weighed weight, the surcharge when it is heavier
    than declared (with why), and event EMA.

    Raises ParcelNotFound (another point's parcel), InvalidParcel (no weight) or IllegalTransition (already accepted).
    """
    point = _at_origin(clerk, parcel)
    if not weighed_grams or weighed_grams <= 0:
        raise InvalidParcel(_l("Enter the weight shown on the scale, in grams."))
    if parcel.order is not None and parcel.order.status.value in ("cancelled", "rejected"):
        raise InvalidParcel(_l("The order of this parcel was cancelled: do not accept it, hand it back to the household."))
    ensure_allowed(parcel, "EMA")
    parcel.weighed_weight_grams = weighed_grams
    parcel.surcharge = surcharge_for(parcel.declared_weight_grams, weighed_grams)
    if parcel.surcharge:
        with force_locale("vi"):  # stored text: in the operator's language whoever is at the desk, even outside requests
            parcel.surcharge_reason = _surcharge_reason(parcel, point, weighed_grams)
    else:
        parcel.surcharge_reason = ""
    if parcel.surcharge and parcel.order_id is not None:
        from marketplace.orders import ledger

        ledger.record_surcharge(parcel.order, parcel.surcharge, parcel.surcharge_reason)
    event = record_event(parcel, "EMA", clerk, point)
    _audit(clerk, "parcel.accept", parcel,
           lambda: weight(weighed_grams) + (f" · +{vnd(parcel.surcharge)}" if parcel.surcharge else ""))
    return event


def _audit(clerk: User, action: str, parcel: Parcel, detail=lambda: "") -> None:
    audit.record(
        clerk, action, "parcel", parcel.id, lambda: f"{parcel.tracking_number} {detail()}".strip(),
        household_id=parcel.household_id,
    )


def _surcharge_reason(parcel: Parcel, point: ServicePoint, weighed_grams: int) -> str:
    return str(
        _l(
            "Weighed %(weighed)s at %(point)s, declared %(declared)s: %(amount)s for each started 500 g above.",
            weighed=weight(weighed_grams),
            point=point.code,
            declared=weight(parcel.declared_weight_grams),
            amount=vnd(surcharge_for(0, 1)),
        )
    )


def receive(clerk: User, parcel: Parcel) -> TrackingEvent:
    """Receive a parcel at its delivery point (EMG). Raises ParcelNotFound or IllegalTransition."""
    point = _at_destination(clerk, parcel)
    event = record_event(parcel, "EMG", clerk, point)
    _audit(clerk, "parcel.receive", parcel)
    return event


def out_for_delivery(clerk: User, parcel: Parcel, postman: User | None = None) -> TrackingEvent:
    """Hand the parcel to a postman of the point (EDG). Raises ParcelNotFound, NotAllowed or IllegalTransition."""
    point = _at_destination(clerk, parcel)
    postman = postman or parcel.postman or clerk
    _check_postman(point, postman)
    parcel.postman_id = postman.id
    event = record_event(parcel, "EDG", clerk, point)
    _audit(clerk, "parcel.out", parcel, lambda: postman.name)
    return event


def deliver(clerk: User, parcel: Parcel, cod_collected: int) -> TrackingEvent:
    """Record delivery with the cash collected (EMI); the amount must be the parcel's COD amount.

    Raises ParcelNotFound, InvalidParcel (a different amount) or IllegalTransition.
    """
    point = _at_destination(clerk, parcel)
    if cod_collected != parcel.cod_amount:
        raise InvalidParcel(_l("The postman must collect exactly %(amount)s.", amount=vnd(parcel.cod_amount)))
    event = record_event(parcel, "EMI", clerk, point, cod_collected=cod_collected)
    _audit(clerk, "parcel.deliver", parcel, lambda: vnd(cod_collected))
    return event


def fail_attempt(clerk: User, parcel: Parcel, reason: str) -> TrackingEvent:
    """Record a failed delivery attempt with its reason (EMH); after POSTAL_MAX_ATTEMPTS the parcel goes back.

    Raises ParcelNotFound, InvalidParcel (no reason) or IllegalTransition.
    """
    point = _at_destination(clerk, parcel)
    event = record_event(parcel, "EMH", clerk, point, reason=reason)
    _audit(clerk, "parcel.fail", parcel, lambda: str(REASONS.get(reason, reason)))
    return event


def hand_back(clerk: User, parcel: Parcel) -> TrackingEvent:
    """Return a parcel to its household at the origin point (RTD). Raises ParcelNotFound or IllegalTransition."""
    point = _at_origin(clerk, parcel)
    event = record_event(parcel, "RTD", clerk, point)
    _audit(clerk, "parcel.hand_back", parcel)
    return event


def labels_to_print(clerk: User) -> list[Parcel]:
    """Parcels accepted at the clerk's point and not yet on their way: the labels of the day's sheet."""
    point = desk_point(clerk)
    return list(
        db.session.scalars(
            select(Parcel)
            .where(Parcel.origin_point_id == point.id, Parcel.status.in_((S.CREATED, S.ACCEPTED)))
            .order_by(Parcel.priority.desc(), Parcel.id)
        )
    )


def _check_postman(point: ServicePoint, postman: User) -> None:
    assignment = db.session.get(ClerkAssignment, postman.id)
    if assignment is None or assignment.service_point_id != point.id:
        raise NotAllowed(_l("This postman does not work at your post office."))


def point_parcels(clerk: User) -> dict[str, list[Parcel]]:
    """What the desk lists: parcels to dispatch (accepted here), to accept (created here), held for delivery."""
    point = desk_point(clerk)
    rows = list(
        db.session.scalars(
            select(Parcel)
            .where(or_(Parcel.origin_point_id == point.id, Parcel.destination_point_id == point.id))
            .where(Parcel.status.notin_((S.DELIVERED, S.RETURNED, S.CANCELLED)))
            .order_by(Parcel.priority.desc(), Parcel.created_at)
            .limit(500)
        )
    )
    return {
        "to_accept": [p for p in rows if p.origin_point_id == point.id and p.status is S.CREATED],
        "to_dispatch": [
            p
            for p in rows
            if p.origin_point_id == point.id and p.status is S.ACCEPTED and p.destination_point_id != point.id
        ],
        "incoming": [p for p in rows if p.destination_point_id == point.id and p.status in (S.ACCEPTED, S.IN_TRANSIT)],
        "held": [p for p in rows if p.destination_point_id == point.id and p.status in WAITING_FOR_ROUND
                 and not p.pickup],
        "pickup": [p for p in rows if p.destination_point_id == point.id and p.status is S.AT_DELIVERY_POINT
                   and p.pickup],
        "out": [p for p in rows if p.destination_point_id == point.id and p.status is S.OUT_FOR_DELIVERY],
        "returning": [p for p in rows if p.status is S.RETURNING],
    }


def order_round(start: tuple[float, float], parcels: list[Parcel]) -> list[Parcel]:
    """Priority parcels first (food, medicine, relief), then the others; each part in nearest-neighbour order over
    the digital-address coordinates, starting from `start` (the second part from where the first ends); parcels
    without coordinates close each part, in the order given."""
    first = [p for p in parcels if p.priority]
    if first and len(first) < len(parcels):
        head = order_round(start, first)
        last = next((p for p in reversed(head) if p.digital_address is not None), None)
        here = (last.digital_address.lat, last.digital_address.lng) if last is not None else start
        return head + order_round(here, [p for p in parcels if not p.priority])
    located = [p for p in parcels if p.digital_address is not None]
    rest = [p for p in parcels if p.digital_address is None]
    route, here = [], start
    while located:
        nxt = min(located, key=lambda p: (haversine_m(*here, p.digital_address.lat, p.digital_address.lng), p.id))
        located.remove(nxt)
        route.append(nxt)
        here = (nxt.digital_address.lat, nxt.digital_address.lng)
    return route + rest


def build_round(clerk: User, postman: User) -> list[Parcel]:
    """Give the postman every parcel waiting at the point that no one carries yet, and return his round in route order
    (priority parcels first). Parcels for pickup at the counter and parcels held because of an event stay.

    Raises NotAllowed when the postman works elsewhere.
    """
    from marketplace.relief.worklist import held_clause

    point = desk_point(clerk)
    _check_postman(point, postman)
    held = list(
        db.session.scalars(
            select(Parcel)
            .where(Parcel.destination_point_id == point.id, Parcel.status.in_(WAITING_FOR_ROUND))
            .where(or_(Parcel.postman_id.is_(None), Parcel.postman_id == postman.id))
            .where(Parcel.pickup.is_(False), ~held_clause())  # collected at the counter; held for an event
            .order_by(Parcel.id)
        )
    )
    for parcel in held:
        parcel.postman_id = postman.id
    db.session.flush()
    audit.record(clerk, "round.build", "user", postman.id, f"{postman.name}: {len(held)}")
    return order_round((point.lat, point.lng), held)


def round_of(clerk: User, postman: User) -> list[Parcel]:
    """The postman's parcels (held or out) at the clerk's point, in route order."""
    point = desk_point(clerk)
    rows = list(
        db.session.scalars(
            select(Parcel)
            .where(Parcel.destination_point_id == point.id, Parcel.postman_id == postman.id)
            .where(Parcel.status.in_((*WAITING_FOR_ROUND, S.OUT_FOR_DELIVERY)))
            .order_by(Parcel.id)
        )
    )
    return order_round((point.lat, point.lng), rows)
