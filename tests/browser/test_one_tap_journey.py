"""The household's one-tap link on a 360 px phone (and a desktop): the order is readable without sideways scrolling,
the big button confirms it without a password, the link then says it was used; the clerk's call list fits too."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.browser.helpers import sign_in
from tests.browser.test_work_screens_fit import OVERFLOW


def _link(db, order_id, kind):
    from marketplace.messaging.models import Message

    db.session.expire_all()
    data = db.session.scalar(select(Message.data).where(Message.order_id == order_id, Message.kind == kind))
    return "/o/" + json.loads(data)["link"].rsplit("/o/", 1)[1]


def test_the_household_confirms_an_order_in_one_tap_on_a_phone(page, db, buyer, make_listing, place):
    from marketplace.orders.models import Order, OrderStatus

    listing = make_listing(title="Xoài cát Hòa Lộc loại 1 đặc biệt ngon nhất vùng", price=85_000)
    order = place(buyer, {listing.id: 3}).orders[0]
    path = _link(db, order.id, "new_order")
    page.goto(path)
    assert page.evaluate(OVERFLOW)["page"] <= page.viewport_size["width"]
    assert page.get_by_text("Xoài cát Hòa Lộc").is_visible()
    button = page.get_by_role("button", name="Xác nhận đơn hàng")
    box = button.bounding_box()
    assert box["height"] >= 48 and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    page.screenshot(path=page.screenshot_name("order"), full_page=True)
    button.click()
    page.get_by_text("Cảm ơn bạn: đơn đã được xác nhận").wait_for()
    page.screenshot(path=page.screenshot_name("confirmed"), full_page=True)
    db.session.expire_all()
    assert db.session.get(Order, order.id).status is OrderStatus.CONFIRMED
    page.expected_console.append("410")
    page.goto(path)
    page.get_by_text("Liên kết này không còn dùng được").wait_for()


def test_rejecting_with_a_reason_on_a_phone(page, db, buyer, make_listing, place):
    from marketplace.orders.models import Order, OrderStatus

    order = place(buyer, {make_listing().id: 1}).orders[0]
    page.goto(_link(db, order.id, "new_order"))
    page.get_by_text("Tôi không cung cấp được").click()
    page.get_by_label("Hết hàng / không đủ hàng").check()
    page.get_by_role("button", name="Từ chối đơn hàng").click()
    page.get_by_text("Đơn đã bị từ chối").wait_for()
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status is OrderStatus.REJECTED and "Hết hàng" in order.events[-1].reason


def test_the_call_list_fits_a_phone(page, db, postal_world, buyer, make_listing, place):
    from datetime import timedelta

    from marketplace.orders.reminders import sweep
    from marketplace.timeutil import as_utc

    postal_world.household.service_point_id = postal_world.origin.id
    db.session.commit()
    order = place(buyer, {make_listing(postal_world.household).id: 1}).orders[0]
    sweep(as_utc(order.created_at) + timedelta(hours=40))
    sign_in(page, postal_world.origin_clerk)
    page.goto("/buu-cuc/goi-ho")
    page.get_by_text(order.number).first.wait_for()
    assert page.evaluate(OVERFLOW)["page"] <= page.viewport_size["width"]
    page.screenshot(path=page.screenshot_name("call-list"), full_page=True)
    page.get_by_label("Hộ xác nhận đơn").first.check()
    page.get_by_role("button", name="Ghi lại").first.click()
    page.get_by_text(f"Đã ghi lại cho đơn {order.number}").wait_for()
