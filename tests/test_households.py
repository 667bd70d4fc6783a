from datetime import date, timedelta

from sqlalchemy import select

from marketplace.households.models import Certification, Household, HouseholdStatus
from tests.fixtures.factories import photo_bytes
import io


def _profile(**overrides):
    data = {"name": "Vườn nhãn chú Sáu", "representative": "Lê Văn Sáu", "phone": "0933 111 222",
            "province": "33", "ward": "", "address_line": "Thôn Đông", "story": "Trồng nhãn từ năm 1990."}
    data.update(overrides)
    return data


def _a_ward_of(db, province_code):
    from marketplace.geo.models import Ward

    return db.session.scalar(select(Ward.code).where(Ward.province_code == province_code).limit(1))


def test_household_creates_its_profile_and_waits_for_verification(client, db, auth, make_user):
    user = make_user("household")
    auth.login(user)
    ward = _a_ward_of(db, 33)
    response = client.post("/my/profile", data=_profile(ward=str(ward), photo=(io.BytesIO(photo_bytes()), "v.jpg")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    household = db.session.scalar(select(Household))
    assert household.status is HouseholdStatus.PENDING
    assert household.phone == "+84933111222" and household.province_code == 33 and household.ward_code == ward
    assert household.photo.endswith(".webp")


def test_a_ward_from_another_province_is_refused(client, db, auth, make_user):
    auth.login(make_user("household"))
    response = client.post("/my/profile", data=_profile(ward=str(_a_ward_of(db, 79))))
    assert response.status_code == 200
    assert db.session.scalar(select(Household)) is None


def test_ocop_certificate_needs_three_to_five_stars(client, db, auth, make_household):
    household = make_household()
    auth.login(household.user)
    expiry = (date.today() + timedelta(days=365)).isoformat()
    client.post("/my/certifications", data={"cert-kind": "ocop", "cert-stars": "6", "cert-number": "A1",
                                            "cert-expires_on": expiry})
    client.post("/my/certifications", data={"cert-kind": "ocop", "cert-number": "A2", "cert-expires_on": expiry})
    assert db.session.scalars(select(Certification)).all() == []
    client.post("/my/certifications", data={"cert-kind": "ocop", "cert-stars": "4", "cert-number": "A3",
                                            "cert-expires_on": expiry})
    client.post("/my/certifications", data={"cert-kind": "vietgap", "cert-stars": "4", "cert-number": "VG",
                                            "cert-expires_on": expiry})
    certs = {c.number: c.stars for c in db.session.scalars(select(Certification))}
    assert certs == {"A3": 4, "VG": None}


def test_a_household_cannot_remove_another_households_certificate(client, db, auth, make_household):
    owner = make_household()
    cert = Certification(household=owner, kind="vietgap", number="X", expires_on=date.today())
    from marketplace.households.models import CertificationKind

    cert.kind = CertificationKind.VIETGAP
    db.session.add(cert)
    db.session.commit()
    auth.login(make_household().user)
    assert client.post(f"/my/certifications/{cert.id}/delete").status_code == 404
    assert db.session.get(Certification, cert.id) is not None


def test_verifying_needs_a_look_at_the_details_first(client, auth, db, make_household, make_user):
    household = make_household(verified=False, name="Hộ bà Năm")
    auth.login(make_user("admin"))
    pending = client.get("/households/pending").get_data(as_text=True)
    assert f"/households/{household.id}/review" in pending and "/verify" not in pending
    review = client.get(f"/households/{household.id}/review").get_data(as_text=True)
    assert "Hộ bà Năm" in review and household.address_line in review and 'name="checked"' in review
    response = client.post(f"/households/{household.id}/verify")  # one click without ticking: not verified
    assert response.status_code == 302 and response.headers["Location"].endswith("/review")
    db.session.refresh(household)
    assert not household.is_verified
    client.post(f"/households/{household.id}/verify", data={"checked": "1"})
    db.session.refresh(household)
    assert household.is_verified
