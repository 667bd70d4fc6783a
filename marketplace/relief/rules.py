"""What events mean for a shipment: blocked, priority goods only, or allowed with a warning; and the delivery
estimate, base days by tariff zone plus the delay table's extra days (the checkout, the order page and the public
status page all read it from here)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.postal.models import Zone
from marketplace.relief.errors import DeliveryRestricted
from marketplace.relief.events import active_events, events_touching
from marketplace.relief.models import AreaKind, CheckoutRule, DelayRule, DisasterEvent, PriorityCategory

#: days from hand-over to the door by tariff zone, standard service (express: one day less, at least one)
BASE_DAYS = {Zone.SAME_PROVINCE: (1, 2), Zone.SAME_REGION: (2, 3), Zone.OTHER_REGION: (3, 5)}


def priority_category_ids() -> set[int]:
    return set(db.session.scalars(select(PriorityCategory.category_id)))


@dataclass
class Estimate:
    min_days: int
    max_days: int
    extra_days: int = 0
    #: the events whose delay applies
    events: list[DisasterEvent] = field(default_factory=list)


@dataclass
class Verdict:
    """What the active events say about one shipment (one household's parcel)."""

    estimate: Estimate
    blocked_by: list[DisasterEvent] = field(default_factory=list)
    #: events allowing only priority goods, and the titles of this shipment's goods they keep out
    priority_only_by: list[DisasterEvent] = field(default_factory=list)
    refused_titles: list[str] = field(default_factory=list)
    warned_by: list[DisasterEvent] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.blocked_by and not self.refused_titles


def _area_matches(kind: AreaKind, province: int | None, event_wards: set[int], ward: Ward) -> bool:
    if kind is AreaKind.ANY:
        return True
    if kind is AreaKind.AFFECTED:
        return ward.code in event_wards
    return ward.province_code == province


def _rule_days(rule: DelayRule, wards: set[int], origin: Ward, dest: Ward, category_ids: set[int]) -> int:
    if rule.category_id is not None and rule.category_id not in category_ids:
        return 0
    if not _area_matches(rule.from_kind, rule.from_province_code, wards, origin):
        return 0
    if not _area_matches(rule.to_kind, rule.to_province_code, wards, dest):
        return 0
    return rule.extra_days


def assess(origin: Ward, dest: Ward, lines: list[tuple[int, str]], zone: Zone, express: bool,
           context: dict | None = None) -> Verdict:
    """The verdict for goods (`lines`: category id and title of each) going from `origin` to `dest` ward.
    `context` caches the active events and priority categories across the shipments of one page."""
    context = context if context is not None else {}
    if "events" not in context:
        context["events"] = active_events()
        context["priority"] = priority_category_ids() if context["events"] else set()
    touching = context.setdefault("touching", {})
    missing = {origin.code, dest.code} - set(touching)
    if missing and not context["events"]:  # no event is active (nearly always): none touches these wards
        touching.update(dict.fromkeys(missing, []))
    elif missing:
        found = events_touching(missing)
        touching.update({code: found.get(code, []) for code in missing})
    low, high = BASE_DAYS[zone]
    if express:
        low, high = max(1, low - 1), max(1, high - 1)
    verdict = Verdict(Estimate(low, high))
    category_ids = {c for c, _t in lines}
    for event in context["events"]:
        wards = None
        here = event in touching[origin.code] or event in touching[dest.code]
        if here:
            if event.checkout_rule is CheckoutRule.BLOCK:
                verdict.blocked_by.append(event)
            elif event.checkout_rule is CheckoutRule.PRIORITY_ONLY:
                refused = [t for c, t in lines if c not in context["priority"]]
                if refused:
                    verdict.priority_only_by.append(event)
                    verdict.refused_titles.extend(t for t in refused if t not in verdict.refused_titles)
                else:
                    verdict.warned_by.append(event)
            else:
                verdict.warned_by.append(event)
        days = 0
        for rule in event.delays:
            if rule.from_kind is AreaKind.AFFECTED or rule.to_kind is AreaKind.AFFECTED:
                if wards is None:
                    wards = {code for code in (origin.code, dest.code) if event in touching[code]}
            days = max(days, _rule_days(rule, wards or set(), origin, dest, category_ids))
        if days > verdict.estimate.extra_days:
            verdict.estimate.extra_days = days
        if days:
            verdict.estimate.events.append(event)
            if not here and event not in verdict.warned_by:
                verdict.warned_by.append(event)
    verdict.estimate.min_days += verdict.estimate.extra_days
    verdict.estimate.max_days += verdict.estimate.extra_days
    return verdict


def verdicts_for_review(review, dest_ward: Ward, quotes=None, context: dict | None = None) -> list[Verdict]:
    """One verdict per household group of a cart review, to `dest_ward` (the checkout page and `enforce`)."""
    from marketplace.postal.tariff import zone_between

    context = context if context is not None else {}
    out = []
    for i, group in enumerate(review.groups):
        household = group.household
        zone = quotes[i].quote.zone if quotes else zone_between(household.province_code, dest_ward.province_code)
        express = quotes[i].quote.service.value == "express" if quotes else group.perishable
        lines = [(r.listing.category_id, r.listing.title) for r in group.rows]
        out.append(assess(household.ward, dest_ward, lines, zone, express, context))
    return out


def problems_of(review, verdicts: list[Verdict]) -> list:
    """What stops each refused group, in words for the buyer."""
    out = []
    for group, verdict in zip(review.groups, verdicts, strict=True):
        for event in verdict.blocked_by:
            out.append((_l("%(household)s: deliveries to or from the wards of “%(event)s” are suspended.",
                              household=group.household.name, event=event.title)))
        if verdict.refused_titles:
            out.append((_l("%(household)s: during “%(event)s” only priority goods (food, medicine, relief goods) "
                              "travel; remove %(titles)s.", household=group.household.name,
                              event=verdict.priority_only_by[0].title, titles=", ".join(verdict.refused_titles))))
    return out


class Joined:
    """Lazy sentences joined when shown (in the reader's language, also when raised outside a request)."""

    def __init__(self, parts):
        self.parts = parts

    def __str__(self) -> str:
        return " ".join(str(p) for p in self.parts)


def enforce(review, dest_ward: Ward) -> list[Verdict]:
    """Raise DeliveryRestricted (an OrderError: the checkout shows it) when an active event blocks a group of the
    cart or keeps its non-priority goods out; returns the verdicts otherwise (none when no event is active: nothing
    can block then)."""
    events = active_events()
    if not events:
        return []
    verdicts = verdicts_for_review(review, dest_ward, context={"events": events, "priority": priority_category_ids()})
    problems = problems_of(review, verdicts)
    if problems:
        raise DeliveryRestricted(problems=Joined(problems))
    return verdicts


def order_estimate(order) -> Estimate | None:
    """The delivery estimate of an order as things stand (its household to its checkout's ward); None once it is
    at an end."""
    from marketplace.orders.states import FINAL
    from marketplace.postal.tariff import zone_between

    if order.status in FINAL:
        return None
    dest = order.checkout.ward
    zone = zone_between(order.household.province_code, dest.province_code)
    lines = [(line.listing.category_id, line.title) for line in order.lines]
    return assess(order.household.ward, dest, lines, zone, order.shipping_service.value == "express").estimate
