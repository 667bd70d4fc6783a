"""Issue 4's "Done when", through the HTTP layer: a buyer checks out with a digital-address code, the household
marks the order ready, the parcel goes from counter to door, the public page shows every step, the day balances
and the household sees its payable amount; a clerk of another point cannot act on the parcel."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from marketplace.orders.models import Checkout, HOUSEHOLD_KINDS, LedgerEntry, OrderStatus as S
from marketplace.postal import s10
from marketplace.postal.models import CodReconciliation, ParcelStatus
from marketplace.postal.shipping import parcel_of
from marketplace.web import vnd
from tests.fixtures.factories import SAIGON_WARD
from tests.postal_barcode import decode_pdf_barcode


def test_done_when_from_checkout_to_a_balanced_day(
    app, client, auth, db, postal_world, buyer, make_listing, make_address, make_clerk, make_point, checkout_form
):
    w = postal_world
    listing = make_listing(w.household, title="Cam sành", price=60_000, weight_grams=1000, stock=20)
    home = make_address(buyer, ward_code=SAIGON_WARD, address_line="45 Nguyễn Huệ")
    postman = make_clerk(w.destination, name="Bưu tá Cường")

    # the buyer checks out with the digital-address code (no province, ward or line typed)
    auth.login(buyer)
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 3})
    filled = client.post(
        "/checkout", data=checkout_form(address_code=home.code, province="", ward="", address_line="", use_code="1")
    ).get_data(as_text=True)
    assert "45 Nguyễn Huệ" in filled and "Cần thanh toán" in filled  # the code priced the shipping at once
    import re

    shown = {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', filled).group(1)
             for name in ("quoted_total", "submission")}
    placed = client.post(
        "/checkout",
        data=checkout_form(
            address_code=home.code,
            province=str(home.province_code),
            ward=str(SAIGON_WARD),
            address_line="45 Nguyễn Huệ",
            **shown,
        ),
    )
    assert placed.status_code == 302
    checkout = db.session.scalar(select(Checkout))
    order = checkout.orders[0]
    assert checkout.digital_address_id == home.id
    auth.logout()

    # the household confirms and marks it ready: the parcel gets its S10 number
    auth.login(w.household.user)
    for status in ("confirmed", "ready_for_handover"):
        assert client.post(f"/orders/{order.id}/status/{status}").status_code == 302
    parcel = parcel_of(order)
    assert parcel is not None and s10.validate(parcel.tracking_number) == parcel.tracking_number
    assert parcel.cod_amount == order.total and parcel.digital_address_id == home.id
    assert parcel.destination_point_id == w.destination.id
    auth.logout()

    # origin clerk: scan, weigh, label (the PDF opens; its barcode reads back the number)
    auth.login(w.origin_clerk)
    scan = client.post("/buu-cuc/scan", data={"tracking": s10.display(parcel.tracking_number)})
    assert scan.location.endswith(f"/buu-cuc/parcels/{parcel.id}")
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/accept", data={"weighed_grams": "4000"}).status_code == 302
    label = client.get(f"/buu-cuc/parcels/{parcel.id}/label.pdf")
    assert label.mimetype == "application/pdf"
    assert decode_pdf_barcode(PdfReader(io.BytesIO(label.data))) == parcel.tracking_number
    auth.logout()

    # a clerk of another point cannot see or act on it
    stranger = make_clerk(make_point(SAIGON_WARD, code="BC79998"))
    auth.login(stranger)
    assert client.get(f"/buu-cuc/parcels/{parcel.id}").status_code == 404
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/receive").status_code == 404
    auth.logout()

    # destination clerk: receive, out, a failed attempt, out again, delivered with the cash
    auth.login(w.destination_clerk)
    assert client.post(f"/buu-cuc/parcels/{parcel.id}/receive").status_code == 302
    client.post(f"/buu-cuc/parcels/{parcel.id}/out", data={"postman": postman.id})
    client.post(f"/buu-cuc/parcels/{parcel.id}/fail", data={"reason": "recipient_absent"})
    db.session.refresh(order)
    assert order.status is S.DELIVERY_FAILED
    client.post(f"/buu-cuc/parcels/{parcel.id}/out", data={"postman": postman.id})
    client.post(f"/buu-cuc/parcels/{parcel.id}/deliver", data={"cod_collected": str(parcel.cod_amount)})
    db.session.refresh(parcel)
    db.session.refresh(order)
    assert parcel.status is ParcelStatus.DELIVERED and order.status is S.DELIVERED

    # the public tracking page shows every step, in plain Vietnamese
    public = client.get(f"/tra-cuu/{parcel.tracking_number}").get_data(as_text=True)
    for words in (
        "Bưu cục đã nhận hàng",
        "Đã đến bưu cục phát",
        "Bưu tá đang đi phát",
        "Phát không thành công",
        "Đã giao hàng",
    ):
        assert words in public, words

    # the day's reconciliation balances
    assert client.post("/buu-cuc/doi-soat", data={f"reported-{postman.id}": str(parcel.cod_amount)}).status_code == 302
    record = db.session.scalar(select(CodReconciliation))
    assert record.expected == record.reported == order.total and record.difference == 0
    auth.logout()

    # the household sees what it is owed: goods − commission − counter surcharge (1 kg over: 10.000 đ)
    owed = sum(
        e.amount
        for e in db.session.scalars(
            select(LedgerEntry).where(LedgerEntry.household_id == w.household.id, LedgerEntry.kind.in_(HOUSEHOLD_KINDS))
        )
    )
    assert owed == order.goods_total - order.commission - parcel.surcharge and parcel.surcharge == 10_000
    auth.login(w.household.user)
    with app.test_request_context():
        owed_text = vnd(owed)
    assert owed_text in client.get("/my/earnings").get_data(as_text=True)
    # the buyer's order page shows the timeline with the tracking number linking to the public page
    auth.logout()
    auth.login(buyer)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert f"/tra-cuu/{parcel.tracking_number}" in page and "Đã giao hàng" in page
