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
from marketplace.postal.errors import InvalidAddress, NotAllowed, NoServicePoint
from marketplace.postal.labels import FONT, FONT_BOLD, _register_fonts
from marketplace.postal.models import DigitalAddress
from marketplace.postal.points import origin_point, point_of

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
    households.verify(household, clerk)
    address = addresses.create_address(user, data.lat, data.lng, ward.code, data.address_line, household.id)
    if address.household_id != household.id:  # the very same spot already has a code: it is someone else's
        raise InvalidAddress(_l("This position already has a digital address. Move the pin to the household's door."))
    addresses.verify(address, clerk)
    db.session.flush()
    return household


def serves(clerk: User, household: Household) -> bool:
    """Whether the household hands its parcels in at the clerk's point (so the clerk may act for it)."""
    point = point_of(clerk)
    if point is None or clerk.role is not Role.CLERK:
        return False
    try:
        return origin_point(household.ward_code).id == point.id
    except NoServicePoint:
        return False


def household_for_clerk(clerk: User, household_id: int) -> Household:
    """The household if the clerk's point serves it. Raises NotAllowed otherwise (views answer 404)."""
    household = db.session.get(Household, household_id)
    if household is None or not serves(clerk, household):
        raise NotAllowed(_l("No such household at your post office."))
    return household


def address_of(household: Household) -> DigitalAddress | None:
    return db.session.scalar(
        select(DigitalAddress).where(DigitalAddress.household_id == household.id).order_by(DigitalAddress.id).limit(1)
    )


def issue_sign_in(clerk: User, household: Household) -> str:
    """A new temporary password for the household's account (the old one stops working, and every session of the
    account ends: this is also how a household without e-mail resets a forgotten password); returns it to be printed.
    Raises NotAllowed when the clerk's point does not serve the household."""
    household_for_clerk(clerk, household.id)
    password = temporary_password()
    household.user.password_hash = hash_password(password)
    household.user.must_change_password = True  # the clerk has seen it
    end_all_sessions(household.user)
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
