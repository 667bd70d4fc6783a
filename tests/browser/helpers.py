"""Steps shared by the browser journeys."""

from tests.fixtures.factories import SAIGON_WARD


def sign_in(page, user, password="secret-pass-1"):
    page.goto("/account/login")
    page.get_by_label("Số điện thoại hoặc e-mail").fill(user.email or "0" + user.phone[3:])
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def fill_address(page):
    page.get_by_label("Tên người nhận").fill("Trần Thị Mai")
    page.get_by_label("Số điện thoại di động").fill("0987 654 321")
    page.get_by_label("Tỉnh/thành phố").select_option(value="79")
    page.get_by_label("Xã/phường").select_option(value=str(SAIGON_WARD))  # filled by the ward picker (fetch)
    page.get_by_label("Số nhà, thôn/ấp, đường").fill("12 Lê Lợi")
