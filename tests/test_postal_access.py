"""Who may open the postal pages: roles × routes."""

import pytest

DESK_GETS = [
    "/buu-cuc",
    "/buu-cuc/round",
    "/buu-cuc/labels.pdf",
    "/buu-cuc/parcels/{id}",
    "/buu-cuc/parcels/{id}/label.pdf",
]
DESK_POSTS = [
    "/buu-cuc/scan",
    "/buu-cuc/parcels/{id}/accept",
    "/buu-cuc/parcels/{id}/receive",
    "/buu-cuc/parcels/{id}/out",
    "/buu-cuc/parcels/{id}/deliver",
    "/buu-cuc/parcels/{id}/fail",
    "/buu-cuc/parcels/{id}/hand-back",
]


@pytest.mark.parametrize("url", DESK_GETS + DESK_POSTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, postal_world, make_parcel, url):
    parcel = make_parcel(postal_world.household)
    method = client.post if url in DESK_POSTS else client.get
    response = method(url.format(id=parcel.id))
    assert response.status_code == 302 and "/account/login" in response.location


@pytest.mark.parametrize("role", ["buyer", "household"])
@pytest.mark.parametrize("url", DESK_GETS + DESK_POSTS)
def test_buyers_and_households_are_refused(client, auth, make_user, postal_world, make_parcel, role, url):
    parcel = make_parcel(postal_world.household)
    auth.login(make_user(role))
    method = client.post if url in DESK_POSTS else client.get
    assert method(url.format(id=parcel.id)).status_code == 403


@pytest.mark.parametrize("url", ["/tra-cuu", "/dia-chi"])
def test_public_pages_need_no_sign_in(client, url):
    assert client.get(url).status_code == 200
