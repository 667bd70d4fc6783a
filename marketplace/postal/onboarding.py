"""Assisted onboarding at the counter: a clerk registers a farm household of his point's province, verifies it and
its digital address, prints a sign-in sheet, and manages listings on its behalf."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.accounts.services import end_all_sessions
from marketplace.accounts.phone import display_phone, normalize_phone
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.households import services as households
from marketplace.households.models import Household
from marketplace.postal import addresses
from marketplace.postal.desk import desk_point
from marketplace.postal.errors import InvalidAddress, NotAllowed
from marketplace.postal.labels import FONT, FONT_BOLD, _register_fonts
from marketplace.postal.models import DigitalAddress
from marketplace.postal.points import point_of
from marketplace.signals import sign_in_sheet_issued
from marketplace.staff import audit

#: no 0/O, 1/l/I: read aloud and typed by people
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class OnboardingData:
    name: str
    representative: str
    phone: str
    ward_code: int
    address_line: str
    lat: float
    lng: float


def temporary_password(length: int = 10) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def register_household(clerk: User, data: OnboardingData) -> Household:
    """Create the household's account (a random password: `issue_sign_in` prints one), its profile in a ward of the
    clerk's point's province, verified, and its verified digital address from the coordinates.

    Raises NotAllowed (not a clerk of a point; a ward of another province; the phone already has an account),
    InvalidAddress (bad coordinates or line) or households' InvalidProfile (bad phone or names).
    """
    point = desk_point(clerk)
    ward = db.session.get(Ward, data.ward_code) if data.ward_code else None
    if ward is None or ward.province_code != point.province_code:
        raise NotAllowed(_l("Choose a ward or commune of your post office's province."))
    phone = normalize_phone(data.phone)
    if phone and db.session.scalar(select(User.id).where(User.phone == phone)) is not None:
        raise NotAllowed(_l("This phone number already has an account."))
    if not data.name.strip() or not data.representative.strip():
        raise InvalidAddress(_l("Enter the household's name and its representative."))
    user = User(
        name=data.representative.strip(),
        phone=phone,
        role=Role.HOUSEHOLD,
        password_hash=hash_password(temporary_password(24)),
    )
    db.session.add(user)
    db.session.flush()
    household = households.save_profile(
        user,
        households.ProfileData(
            name=data.name,
            representative=data.representative,
            phone=data.phone,
            ward_code=ward.code,
            address_line=data.address_line,
        ),
    )
    household.onboarded_by_id = clerk.id
    db.session.flush()
    audit.record(clerk, "household.register", "household", household.id, household.name, household_id=household.id)
    households.verify(household, clerk)
    address = addresses.create_address(user, data.lat, data.lng, ward.code, data.address_line, household.id)
    if address.household_id != household.id:  # the very same spot already has a code: it is someone else's
        raise InvalidAddress(_l("This position already has a digital address. Move the pin to the household's door."))
    addresses.verify(address, clerk)
    db.session.flush()
    return household


def serves(clerk: User, household: Household) -> bool:
    """Whether the household hands its parcels in at the clerk's point (so the clerk may act for it): the staff
    scope's rule for clerks (administrators act from their own pages, not the counter's)."""
    from marketplace.staff.scope import staff_may_see  # the scope reads orders, whose models import postal's

    return clerk.role is Role.CLERK and staff_may_see(clerk, household)


def household_for_clerk(clerk: User, household_id: int) -> Household:
    """The household if the clerk's point serves it. Raises NotAllowed otherwise (views answer 404)."""
    household = db.session.get(Household, household_id)
    if household is None or not serves(clerk, household):
        raise NotAllowed(_l("No such household at your post office."))
    return household


def may_issue_sign_in(household: Household) -> bool:
    """A temporary-password sheet only for a household registered at a counter, or whose account never had a
    password of its own: printing one for an account whose owner chose its password would hand the account over."""
    return household.onboarded_by_id is not None or household.user.password_chosen_at is None


def address_of(household: Household) -> DigitalAddress | None:
    return db.session.scalar(
        select(DigitalAddress).where(DigitalAddress.household_id == household.id).order_by(DigitalAddress.id).limit(1)
    )


def issue_sign_in(clerk: User, household: Household) -> str:
    """A new temporary password for the household's account (the old one stops working, and every session of the
    account ends: this is also how a household registered at the counter resets a forgotten password); returns it
    to be printed. The household is told (in the app and by e-mail when it has one) and the act is audited.

    Raises NotAllowed when the clerk's point does not serve the household, or when the household signed up online
    with a password of its own (`may_issue_sign_in`: it resets it by a code instead).
    """
    household_for_clerk(clerk, household.id)
    if not may_issue_sign_in(household):
        raise NotAllowed(
            _l("This household chose its own password when it signed up: it can reset it itself. No sheet was printed.")
        )
    password = temporary_password()
    household.user.password_hash = hash_password(password)
    household.user.must_change_password = True  # the clerk has seen it
    end_all_sessions(household.user)
    db.session.flush()
    point = point_of(clerk)
    audit.record(clerk, "household.sign_in_sheet", "household", household.id, household.name,
                 household_id=household.id)
    sign_in_sheet_issued.send(household.user, clerk=clerk, point=point)
    return password


def sign_in_sheet(household: Household, password: str, point_name: str) -> bytes:
    """An A4 PDF to hand over: sign-in phone and temporary password, the household's digital-address code with a QR
    code. Labels in Vietnamese (the sheet is for the household)."""
    _register_fonts()
    address = address_of(household)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    width, height = A4
    y = height - 25 * mm
    c.setFont(FONT_BOLD, 18)
    c.drawString(20 * mm, y, "Chợ Nông Sản Bưu Điện")
    y -= 10 * mm
    c.setFont(FONT, 12)
    c.drawString(20 * mm, y, f"Phiếu đăng nhập của hộ: {household.name}")
    rows = [
        ("Số điện thoại đăng nhập", display_phone(household.user.phone or "")),
        ("Mật khẩu tạm thời", password),
        ("Mã địa chỉ số", address.code if address else "—"),
        ("Địa chỉ", f"{household.address_line}, {household.ward.full_name}"),
        ("Bưu cục phục vụ", point_name),
    ]
    y -= 14 * mm
    for label, value in rows:
        c.setFont(FONT, 11)
        c.drawString(20 * mm, y, f"{label}:")
        c.setFont(FONT_BOLD, 14)
        c.drawString(75 * mm, y, value[:70])
        y -= 10 * mm
    c.setFont(FONT, 10)
    c.drawString(20 * mm, y - 4 * mm, "Hãy đổi mật khẩu ngay sau lần đăng nhập đầu tiên.")
    if address:
        qr = QrCodeWidget(address.code)
        x0, y0, x1, y1 = qr.getBounds()
        size = 45 * mm
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(qr)
        renderPDF.draw(drawing, c, width - 20 * mm - size, height - 30 * mm - size)
    c.showPage()
    c.save()
    return buf.getvalue()
