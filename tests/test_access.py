"""Role checks: each protected page, for each role."""

import pytest

ROUTES = {
    "/my/listings": {"household"},
    "/my/listings/new": {"household"},
    "/my/profile": {"household"},
    "/households/pending": {"clerk", "admin"},
    "/account/password": {"buyer", "household", "clerk", "admin"},
}


@pytest.mark.parametrize("path", sorted(ROUTES))
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["buyer", "household", "clerk", "admin"])
@pytest.mark.parametrize("path", sorted(ROUTES))
def test_each_role_reaches_only_its_pages(client, auth, make_user, make_household, role, path):
    user = make_user(role)
    if role == "household":
        make_household(user)
    auth.login(user)
    response = client.get(path)
    allowed = role in ROUTES[path]
    if allowed:
        assert response.status_code == 200, (role, path)
    else:
        assert response.status_code == 403, (role, path)


def test_buyer_cannot_verify_a_household(client, auth, make_user, make_household, db):
    household = make_household(verified=False)
    auth.login(make_user("buyer"))
    assert client.post(f"/households/{household.id}/verify").status_code == 403
    db.session.refresh(household)
    assert not household.is_verified
