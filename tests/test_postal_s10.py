import threading

import pytest

from marketplace.postal import s10
from marketplace.postal.errors import InvalidTrackingNumber


def test_check_digit_of_the_upu_example_is_5():
    assert s10.check_digit("12345678") == 5
    assert s10.compose("EE", 12345678) == "EE123456785VN"


# 00000001: sum 7 → 4; 00000008: sum 56 ≡ 1 → 10 → 0; 00000000: sum 0 → 11 → 5
@pytest.mark.parametrize("serial, check", [("00000001", 4), ("00000008", 0), ("00000000", 5)])
def test_check_digit_maps_10_to_0_and_11_to_5(serial, check):
    assert s10.check_digit(serial) == check


def test_validate_accepts_spaced_lowercase_and_rejects_a_wrong_check_digit():
    assert s10.validate("ee 123 456 785 vn") == "EE123456785VN"
    assert not s10.is_valid("EE123456784VN")
    assert not s10.is_valid("EE12345678VN")
    with pytest.raises(InvalidTrackingNumber):
        s10.validate("EE123456784VN")


def test_display_groups_the_number_for_reading():
    assert s10.display("EE123456785VN") == "EE 123 456 785 VN"


@pytest.mark.parametrize("indicator", ["JA", "KA", "SA", "TA", "WA"])
def test_reserved_first_letters_are_refused(app, indicator):
    with pytest.raises(InvalidTrackingNumber):
        s10.generate(indicator)
    assert not s10.is_valid(s10.compose("EE", 1).replace("EE", indicator))


def test_generated_numbers_are_valid_and_sequential(db):
    first, second = s10.generate("EE"), s10.generate("EE")
    db.session.commit()
    assert s10.is_valid(first) and s10.is_valid(second)
    assert int(second[2:10]) == int(first[2:10]) + 1
    assert s10.generate("CE").startswith("CE")


def test_serials_are_unique_when_many_desks_generate_at_once(app, db):
    numbers, errors = [], []
    lock = threading.Lock()

    def desk():
        try:
            with app.app_context():
                from marketplace.extensions import db as tdb

                mine = []
                for _ in range(10):
                    mine.append(s10.generate("EE"))
                    tdb.session.commit()
                tdb.session.remove()
                with lock:
                    numbers.extend(mine)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=desk) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(numbers) == 80 and len(set(numbers)) == 80
    assert all(s10.is_valid(n) for n in numbers)
