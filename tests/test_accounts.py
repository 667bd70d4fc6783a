import pytest
from sqlalchemy import select

from marketplace.accounts.models import Role, User
from marketplace.accounts.phone import normalize_phone


def _signup(client, **overrides):
    data = {"name": "Nguyễn Văn An", "phone": "0912 345 678", "email": "", "kind": "buyer",
            "password": "mat-khau-123", "confirm": "mat-khau-123"}
    data.update(overrides)
    return client.post("/account/signup", data=data)


@pytest.mark.parametrize(
    "raw, expected",
    [("0912345678", "+84912345678"), ("+84 912 345 678", "+84912345678"), ("84912345678", "+84912345678"),
     ("0312.345.678", "+84312345678"), ("0212345678", None), ("091234567", None), ("abc", None)],
)
def test_vietnamese_mobile_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


def test_signup_by_phone_creates_a_buyer_with_argon2_hash_who_then_signs_in(client, db):
    response = _signup(client)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    user = db.session.scalar(select(User).where(User.phone == "+84912345678"))
    assert user.role is Role.BUYER
    assert user.password_hash.startswith("$argon2id$")
    assert "mat-khau-123" not in user.password_hash
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="0912 345 678"' in login_page  # the number is filled in
    client.post("/account/login", data={"identifier": "0912 345 678", "password": "mat-khau-123"})
    assert "Nguyễn Văn An" in client.get("/").get_data(as_text=True)


def test_household_signup_goes_to_the_profile_form_after_signing_in(client, db):
    response = _signup(client, kind="household")
    assert db.session.scalar(select(User.role)) is Role.HOUSEHOLD
    response = client.post(response.headers["Location"], data={"identifier": "0912345678", "password": "mat-khau-123"})
    assert response.headers["Location"].endswith("/my/profile")


def test_signup_answers_the_same_whether_or_not_the_number_has_an_account(client, db, make_user):
    make_user(phone="+84912345678", password="old-password-1")
    taken = _signup(client)
    taken_page = client.get(taken.headers["Location"]).get_data(as_text=True)
    new = _signup(client, phone="0912 345 679")
    new_page = client.get(new.headers["Location"]).get_data(as_text=True)
    assert taken.status_code == new.status_code == 302
    assert taken.headers["Location"] == new.headers["Location"]
    assert taken_page.replace("679", "678") == new_page.replace("679", "678")
    assert "Số điện thoại hoặc e-mail này đã có tài khoản" not in taken_page and "already exists" not in taken_page
    assert db.session.scalar(select(db.func.count(User.id))) == 2  # the taken number kept its own account
    assert client.post("/account/login", data={"identifier": "0912345678", "password": "mat-khau-123"}
                       ).status_code == 200


@pytest.mark.parametrize("phone", ["12345", "0212345678"])
def test_signup_refuses_a_number_that_is_not_a_vietnamese_mobile(client, db, phone):
    response = _signup(client, phone=phone)
    assert response.status_code == 200
    assert db.session.scalar(select(db.func.count(User.id))) == 0


def test_signup_refuses_short_password_and_mismatch(client, db):
    assert _signup(client, password="short", confirm="short").status_code == 200
    assert _signup(client, confirm="something-else").status_code == 200
    assert db.session.scalar(select(db.func.count(User.id))) == 0


@pytest.mark.parametrize("identifier", ["0987654321", "+84987654321", "0987 654 321"])
def test_sign_in_by_phone_in_any_usual_form(client, make_user, identifier):
    make_user(phone="+84987654321", password="secret-pass-1")
    response = client.post("/account/login", data={"identifier": identifier, "password": "secret-pass-1"})
    assert response.status_code == 302


def test_sign_in_by_email_is_case_insensitive(client, make_user):
    make_user(email="chi.lan@example.vn")
    response = client.post("/account/login", data={"identifier": "Chi.Lan@Example.vn", "password": "secret-pass-1"})
    assert response.status_code == 302


def test_wrong_password_and_disabled_account_are_refused_with_one_message(client, make_user):
    make_user(phone="+84987654321")
    make_user(phone="+84987654322", active=False)
    for identifier, password in [("0987654321", "wrong-password"), ("0987654322", "secret-pass-1")]:
        response = client.post("/account/login", data={"identifier": identifier, "password": password})
        assert response.status_code == 200
        assert "Sai số điện thoại" in response.get_data(as_text=True) or "Wrong phone" in response.get_data(as_text=True)


def test_sign_out_ends_the_session(client, auth, make_user):
    user = make_user("household")
    auth.login(user)
    assert client.get("/my/listings").status_code in (200, 302)
    auth.logout()
    response = client.get("/my/listings")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_password_change_needs_the_current_password(client, auth, make_user, db):
    user = make_user()
    auth.login(user)
    bad = client.post("/account/password", data={"current": "nope-nope", "new": "new-pass-123", "confirm": "new-pass-123"})
    assert bad.status_code == 200
    ok = client.post("/account/password",
                     data={"current": "secret-pass-1", "new": "new-pass-123", "confirm": "new-pass-123"})
    assert ok.status_code == 302
    auth.logout()
    assert client.post("/account/login", data={"identifier": "0" + user.phone[3:], "password": "secret-pass-1"}
                       ).status_code == 200
    auth.login(user, password="new-pass-123")


def test_next_parameter_cannot_send_users_to_another_site(client, make_user):
    user = make_user()
    response = client.post("/account/login?next=//evil.example/x",
                           data={"identifier": "0" + user.phone[3:], "password": "secret-pass-1"})
    assert response.headers["Location"] in ("/", "http://localhost/")
