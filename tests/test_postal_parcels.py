import pytest

from marketplace.postal import s10
from marketplace.postal.errors import InvalidParcel, NoServicePoint
from marketplace.postal.models import ParcelStatus
from marketplace.postal.parcels import ParcelData, by_tracking_number, create_parcel
from tests.fixtures.factories import HANOI_WARD, SAIGON_WARD


def test_parcel_is_routed_and_numbered(db, postal_world, make_parcel):
    express = make_parcel(postal_world.household, express=True)  # the parcel of an order: test_postal_orders.py
    standard = make_parcel(postal_world.household)
    assert express.tracking_number.startswith("EE") and standard.tracking_number.startswith("CE")
    assert s10.is_valid(express.tracking_number) and s10.is_valid(standard.tracking_number)
    assert express.origin_point_id == postal_world.origin.id
    assert express.destination_point_id == postal_world.destination.id
    assert express.status is ParcelStatus.CREATED and express.order_id is None
    assert by_tracking_number(s10.display(express.tracking_number).lower()).id == express.id
    assert by_tracking_number("garbage") is None


def test_the_digital_address_decides_the_destination_ward(db, postal_world, make_parcel, make_address, make_point):
    hanoi_point = postal_world.origin
    address = make_address(ward_code=HANOI_WARD)
    parcel = make_parcel(postal_world.household, address=address, recipient_ward_code=SAIGON_WARD)
    assert parcel.recipient_ward_code == HANOI_WARD and parcel.destination_point_id == hanoi_point.id


def test_no_point_for_the_recipient_is_a_clear_error(db, make_point, make_household):
    make_point(HANOI_WARD)
    household = make_household(ward_code=HANOI_WARD)
    with pytest.raises(NoServicePoint):
        create_parcel(household, ParcelData("A", "+84987654321", "x", SAIGON_WARD, 1000))


@pytest.mark.parametrize("weight, cod", [(0, 0), (1000, -1)])
def test_weight_and_cod_are_checked(db, postal_world, weight, cod):
    with pytest.raises(InvalidParcel):
        create_parcel(postal_world.household, ParcelData("A", "+84987654321", "x", SAIGON_WARD, weight, cod))
