"""Sign up with only a phone number and the code it receives, in a real browser at 360 px and 1280 px (issue 15,
item 3): sign-up page → "sign up with just your phone number" → number → code (read from the message the
messaging interface queued, as the development outbox shows it) → name and "sell my produce" → the household's
profile page, signed in."""

import json
import re

from playwright.sync_api import expect
from sqlalchemy import select


def _sent_code(db, phone):
    from marketplace.messaging.models import Message, OutboxEntry

    db.session.commit()  # a fresh snapshot: the live server wrote the row
    data, body = db.session.execute(select(Message.data, OutboxEntry.body)
                                    .join(OutboxEntry, OutboxEntry.message_id == Message.id)
                                    .where(Message.phone == phone).order_by(Message.id.desc()).limit(1)).one()
    assert json.loads(data)["code"] == ""  # sent: the message row keeps no code
    return re.search(r"\b(\d{6})\b", body)[1]


def test_sign_up_as_a_household_with_only_a_phone_number(page, app, db):
    app.config["MESSAGING_OUTBOX"] = True
    try:
        page.goto("/account/signup")
        page.get_by_role("link", name="Đăng ký chỉ với số điện thoại").click()
        expect(page.get_by_role("heading", name="Đăng nhập bằng mã")).to_be_visible()
        page.get_by_label("Số điện thoại di động").fill("0987 111 222")
        page.get_by_role("button", name="Gửi mã cho tôi").click()
        expect(page.get_by_text("0987 111 222 qua Zalo hoặc SMS").first).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], width
        page.screenshot(path=page.screenshot_name("code"))

        code = _sent_code(db, "+84987111222")
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        page.get_by_label("Mã").fill(wrong)
        page.get_by_role("button", name="Tiếp tục").click()
        expect(page.get_by_role("alert")).to_contain_text("Mã không đúng hoặc đã hết hạn")
        page.get_by_label("Mã").fill(code)
        page.get_by_role("button", name="Tiếp tục").click()

        expect(page.get_by_role("heading", name="Tạo tài khoản")).to_be_visible()
        page.get_by_label("Họ và tên").fill("Hộ Bà Sáu")
        page.get_by_label("Bán nông sản của nhà mình").check()
        page.screenshot(path=page.screenshot_name("new-account"), full_page=True)
        page.get_by_role("button", name="Tạo tài khoản của tôi").click()
        expect(page).to_have_url(re.compile(r"/my/profile$"))
        expect(page.get_by_text("Tài khoản của bạn đã sẵn sàng")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], width
    finally:
        app.config["MESSAGING_OUTBOX"] = False
