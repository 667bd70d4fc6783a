"""Issue 16's walk in a real browser at 360 px and 1280 px: an administrator declares a flood over a ward and closes a
post office; a buyer ordering into the ward sees the warning and the longer estimate and picks up at a post office;
the clerk's worklist reroutes the orders in flight; the public status page shows the event, the closed point and the
delay table."""

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.helpers import fill_address, sign_in
from tests.fixtures.factories import HANOI_WARD, SAIGON_WARD


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_flood_declared_warned_at_checkout_rerouted_and_shown_on_the_status_page(
    page, db, make_user, make_household, make_listing, make_point, make_clerk, place
):
    from marketplace.orders.models import Order, OrderStatus
    from marketplace.orders.services import advance
    from marketplace.postal.desk import accept
    from marketplace.postal.shipping import parcel_of

    admin = make_user("admin", email="qt@buudien.vn")
    origin = make_point(HANOI_WARD, code="BC00070")
    flooded = make_point(SAIGON_WARD, code="BC26740", name="Bưu cục Sài Gòn")
    spare = make_point(SAIGON_WARD, code="BC26741", name="Bưu cục Bến Thành", lat=10.772, lng=106.698)
    clerk = make_clerk(origin, email="gdv@buudien.vn")
    farm = make_household(name="Hộ rau Thanh Trì", ward_code=HANOI_WARD)
    greens = make_listing(farm, title="Rau cải ngọt", price=30_000, stock=40)
    earlier_buyer = make_user("buyer", email="an@example.vn")
    from marketplace.orders.checkout import DeliveryAddress

    to_saigon = DeliveryAddress(recipient="Trần An", phone="+84987000111", ward_code=SAIGON_WARD,
                                address_line="1 Lê Lợi")
    in_flight = place(earlier_buyer, {greens.id: 2}, addr=to_saigon).orders[0]
    for status in ("confirmed", "ready_for_handover"):
        advance(in_flight, OrderStatus(status), farm.user)
    db.session.commit()
    accept(clerk, parcel_of(in_flight), 1000)
    db.session.commit()
    parcel_of(in_flight).destination_point_id = flooded.id
    db.session.commit()

    # the administrator declares the flood and closes the Sài Gòn post office
    sign_in(page, admin)
    page.goto("/admin/su-kien")
    page.get_by_label("Tên sự kiện").fill("Lũ lụt TP Hồ Chí Minh")
    page.get_by_label("Loại").select_option("flood")
    page.get_by_label("Bắt đầu (giờ Việt Nam)").fill("2025-01-01T08:00")
    page.get_by_label("Hoặc gõ mã hay tên xã/phường, cách nhau bằng dấu phẩy hoặc xuống dòng").fill(str(SAIGON_WARD))
    page.get_by_label("Số ngày giao thêm đến và đi từ vùng").fill("4")
    page.get_by_role("button", name="Công bố sự kiện").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lũ lụt TP Hồ Chí Minh")
    page.goto("/admin/su-kien")
    page.get_by_label("Mã bưu cục").fill("BC26740")
    page.get_by_label("Trạng thái", exact=True).select_option("closed")
    page.get_by_label("Bưu cục đang mở nhận thay (mã)").fill("BC26741")
    page.get_by_label("Ghi chú cho mọi người").fill("Ngập sâu 1 m")
    page.get_by_role("button", name="Lưu tình trạng bưu cục").click()
    expect(page.locator("main")).to_contain_text("BC26741")
    page.context.clear_cookies()

    # a buyer orders into the flooded ward: warning and longer estimate, pickup at the open post office
    buyer = make_user("buyer", email="lan@example.vn")
    sign_in(page, buyer)
    page.goto(f"/p/{greens.id}")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.goto("/checkout")
    fill_address(page)
    summary = page.locator("#order-summary")
    expect(summary).to_contain_text("Lũ lụt TP Hồ Chí Minh")
    expect(summary).to_contain_text("lâu hơn thường lệ 4 ngày")
    page.get_by_role("button", name="Tính phí vận chuyển và tổng tiền").click()
    page.get_by_label("Nhận hàng", exact=True).select_option(label="Nhận tại BC26741 · Bưu cục Bến Thành (rẻ hơn)")
    page.get_by_role("button", name="Tính phí vận chuyển và tổng tiền").click()
    page.screenshot(path=page.screenshot_name("checkout-warning"), full_page=True)
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cảm ơn")
    db.session.commit()
    placed = db.session.scalars(select(Order).where(Order.buyer_id == buyer.id)).one()
    assert placed.checkout.pickup_point_id == spare.id
    page.context.clear_cookies()

    # the clerk's worklist shows the orders in flight; the one on its way is rerouted
    db.session.expire_all()
    assert parcel_of(in_flight).destination_point_id == spare.id  # closing the point already sent it on
    sign_in(page, clerk)
    page.goto("/cuu-tro/don-hang")
    expect(page.locator("main")).to_contain_text(in_flight.number)
    expect(page.locator("main")).to_contain_text(placed.number)
    page.get_by_label(in_flight.number).check()
    page.locator("#action").select_option("reroute")
    page.get_by_label("Lý do người mua sẽ đọc").fill("Bưu cục Sài Gòn ngập, nhận tại Bến Thành")
    page.locator("#point").select_option("BC26741")
    page.get_by_role("button", name="Áp dụng").click()
    expect(page.locator("main")).to_contain_text("Đã xử lý 1 đơn")
    page.screenshot(path=page.screenshot_name("worklist"), full_page=True)
    _no_sideways_scroll(page)
    page.context.clear_cookies()

    # anyone: the status page shows the event, the closed post office and the delay table
    page.goto("/tinh-trang")
    main = page.locator("main")
    expect(main).to_contain_text("Lũ lụt TP Hồ Chí Minh")
    expect(main).to_contain_text("BC26740")
    expect(main).to_contain_text("BC26741")
    expect(main).to_contain_text("+4")
    page.screenshot(path=page.screenshot_name("status"), full_page=True)
    _no_sideways_scroll(page)


def test_a_donor_gives_to_a_flood_campaign_and_pays_by_vietqr(page, db, make_user, make_household, make_listing,
                                                               make_address, vietqr_on):
    """A donor on a phone picks goods and a recipient on the campaign page, pays by bank transfer (no card needed),
    and the campaign's budget pays the delivery."""
    from datetime import timedelta

    from marketplace.relief import campaigns, events
    from marketplace.relief.models import CheckoutRule, EventKind, Severity
    from marketplace.timeutil import utcnow

    admin = make_user("admin", email="qt-cuutro@buudien.vn")
    event = events.declare(admin, events.EventData(
        kind=EventKind.FLOOD, title="Lũ miền Nam", severity=Severity.WARNING, checkout_rule=CheckoutRule.WARN,
        starts_at=utcnow() - timedelta(hours=1), expected_end_at=None, dispatch="CV 2/BĐVN", public_note="",
        ward_codes=frozenset({SAIGON_WARD})), 3)
    campaign = campaigns.create(admin, campaigns.CampaignData(title="Hỗ trợ bà con vùng lũ", event_id=event.id))
    recipient_address = make_address(ward_code=SAIGON_WARD, address_line="UBND phường")
    campaigns.add_recipient(admin, campaign, "UBND Phường Sài Gòn", "0912000111", recipient_address.code)
    listing = make_listing(make_household(ward_code=HANOI_WARD), title="Mì gói Hà Nội", price=60_000, stock=50,
                           weight_grams=1000)
    campaigns.add_listing(admin, campaign, listing)
    campaigns.set_status(admin, campaign, campaigns.CampaignStatus.OPEN)
    campaigns.grant(admin, campaign, 500_000, "Quỹ cứu trợ")
    db.session.commit()
    donor = make_user("buyer", email="nguoi-ung-ho@example.vn")

    sign_in(page, donor)
    page.goto(f"/cuu-tro/{campaign.slug}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hỗ trợ bà con vùng lũ")
    page.locator(f"#q-{listing.id}").fill("3")
    page.locator(f"#m-{listing.id}").select_option(label="Chuyển khoản VietQR")
    if page.viewport_size["width"] <= 360:
        _no_sideways_scroll(page)
    page.get_by_role("button", name="Ủng hộ món này").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("chuyển khoản")
    expect(page.locator("figure.vietqr img")).to_be_visible()
    page.screenshot(path=page.screenshot_name("donation-vietqr"), full_page=True)

    db.session.expire_all()
    from marketplace.orders.models import Checkout

    checkout = db.session.scalar(select(Checkout).order_by(Checkout.id.desc()))
    order = checkout.orders[0]
    assert checkout.recipient == "UBND Phường Sài Gòn" and order.lines[0].quantity == 3
    db.session.refresh(campaign)
    assert campaign.spent > 0 and checkout.total == order.goods_total + order.shipping_fee
