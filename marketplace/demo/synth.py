"""A large synthetic but plausible catalogue for benchmarks: `synthesize(100_000)` in seconds on SQLite.

Rows go in with SQLAlchemy Core bulk inserts (no ORM objects, no ORM events: rebuild any search index afterwards).
Everything is drawn from a seeded random generator, so two runs on the same database state give the same rows.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select, text

from marketplace.accounts.models import Role, User
from marketplace.accounts.passwords import hash_password
from marketplace.catalog.models import Availability, Category, Listing, ListingPhoto, ListingStatus, Unit, price_per_kg
from marketplace.demo.data import PASSWORD
from marketplace.extensions import db
from marketplace.geo.models import Ward
from marketplace.households.models import Certification, CertificationKind, Household, HouseholdStatus
from marketplace.timeutil import utcnow

BATCH = 5_000
#: synthetic listings were created over this many seconds before now
SPREAD_SECONDS = 180 * 24 * 3600
#: synthetic household accounts get `+8439` followed by a 7-digit counter
PHONE_PREFIX = "+8439"

_FRESH = ("loại 1", "loại đặc biệt", "chín cây", "vườn nhà", "VietGAP", "size lớn", "hàng tuyển", "mới hái")
_VEG = ("hữu cơ", "VietGAP", "vườn nhà", "thu hoạch sáng", "an toàn")
_RICE = ("vụ mới", "loại 1", "hữu cơ", "VietGAP", "xay mới", "đặc sản")
_DRY = ("loại 1", "thượng hạng", "nguyên chất", "truyền thống", "nhà làm", "hàng tuyển", "OCOP")
GRADES = {"trai-cay": _FRESH, "rau-cu": _VEG, "gao-ngu-coc": _RICE}

#: (name, category slug, unit, lowest price, highest price, grams per unit, shelf-life days, min order, places)
PRODUCE: list[tuple[str, str, str, int, int, int, int, int, tuple[str, ...]]] = [
    ("Xoài cát Hòa Lộc", "trai-cay", "kg", 75_000, 120_000, 1_080, 6, 2, ("Cái Bè", "Hòa Hưng", "Cai Lậy")),
    ("Xoài cát chu", "trai-cay", "kg", 35_000, 60_000, 1_080, 6, 2, ("Cao Lãnh", "Mỹ Xương", "Cái Bè")),
    ("Xoài Úc", "trai-cay", "kg", 40_000, 65_000, 1_080, 7, 2, ("Cam Lâm", "Cam Ranh")),
    ("Xoài tròn", "trai-cay", "kg", 35_000, 55_000, 1_080, 6, 3, ("Yên Châu",)),
    ("Vải thiều", "trai-cay", "kg", 40_000, 70_000, 1_150, 4, 3, ("Lục Ngạn", "Thanh Hà", "Tân Yên")),
    ("Nhãn lồng", "trai-cay", "kg", 50_000, 85_000, 1_100, 5, 2, ("Hưng Yên", "Phố Hiến")),
    ("Nhãn xuồng cơm vàng", "trai-cay", "kg", 45_000, 70_000, 1_100, 5, 2, ("Bà Rịa", "Châu Đức")),
    ("Bưởi da xanh", "trai-cay", "qua", 60_000, 110_000, 1_800, 25, 1, ("Bến Tre", "Giồng Trôm", "Chợ Lách")),
    ("Bưởi Năm Roi", "trai-cay", "qua", 45_000, 75_000, 1_600, 25, 1, ("Bình Minh", "Mỹ Hòa")),
    ("Bưởi Diễn", "trai-cay", "qua", 45_000, 75_000, 1_300, 30, 1, ("Phú Diễn", "Phúc Thọ", "Chương Mỹ")),
    ("Bưởi Phúc Trạch", "trai-cay", "qua", 60_000, 95_000, 1_700, 45, 1, ("Hương Khê", "Phúc Trạch")),
    ("Cam sành", "trai-cay", "kg", 20_000, 35_000, 1_080, 20, 3, ("Hàm Yên", "Tam Bình", "Trà Ôn")),
    ("Cam Cao Phong", "trai-cay", "kg", 30_000, 45_000, 1_080, 20, 2, ("Cao Phong",)),
    ("Cam Vinh", "trai-cay", "kg", 40_000, 70_000, 1_080, 14, 2, ("Nghi Lộc", "Quỳ Hợp", "Xã Đoài")),
    ("Quýt hồng", "trai-cay", "kg", 45_000, 75_000, 1_080, 14, 2, ("Lai Vung", "Lấp Vò")),
    ("Sầu riêng Ri6", "trai-cay", "kg", 70_000, 100_000, 1_050, 4, 3, ("Cái Mơn", "Krông Pắc", "Long Khánh")),
    ("Sầu riêng Monthong", "trai-cay", "kg", 90_000, 130_000, 1_050, 4, 3, ("Krông Pắc", "Long Khánh", "Bảo Lộc")),
    ("Bơ sáp", "trai-cay", "kg", 35_000, 60_000, 1_080, 7, 2, ("Buôn Ma Thuột", "Krông Năng", "Bảo Lộc")),
    ("Thanh long ruột đỏ", "trai-cay", "kg", 25_000, 40_000, 1_080, 10, 2, ("Hàm Thuận Bắc", "Chợ Gạo")),
    ("Thanh long ruột trắng", "trai-cay", "kg", 15_000, 25_000, 1_080, 10, 3, ("Hàm Thuận Nam", "Bình Thuận")),
    ("Măng cụt", "trai-cay", "kg", 55_000, 90_000, 1_080, 7, 2, ("Lái Thiêu", "Chợ Lách", "Long Khánh")),
    ("Chôm chôm", "trai-cay", "kg", 25_000, 45_000, 1_080, 5, 2, ("Long Khánh", "Chợ Lách")),
    ("Mận hậu", "trai-cay", "kg", 30_000, 50_000, 1_080, 7, 3, ("Mộc Châu", "Bắc Hà")),
    ("Na dai", "trai-cay", "kg", 50_000, 80_000, 1_100, 4, 2, ("Chi Lăng", "Đông Triều")),
    ("Nho đỏ", "trai-cay", "kg", 50_000, 80_000, 1_080, 5, 2, ("Ninh Thuận", "Phan Rang")),
    ("Dâu tây", "trai-cay", "hop", 90_000, 150_000, 650, 3, 1, ("Đà Lạt", "Mộc Châu")),
    ("Khóm", "trai-cay", "qua", 15_000, 25_000, 1_300, 7, 3, ("Cầu Đúc", "Tân Phước")),
    ("Dừa xiêm", "trai-cay", "qua", 15_000, 25_000, 1_600, 10, 6, ("Bến Tre", "Mỏ Cày", "Tam Quan")),
    ("Thanh trà", "trai-cay", "kg", 35_000, 55_000, 1_080, 10, 2, ("Thủy Biều", "Hương Trà")),
    ("Rau muống", "rau-cu", "bo", 10_000, 18_000, 330, 2, 2, ("Củ Chi", "Đà Lạt", "Thanh Trì")),
    ("Cải ngọt", "rau-cu", "bo", 12_000, 20_000, 330, 3, 2, ("Củ Chi", "Đà Lạt", "Đông Anh")),
    ("Xà lách", "rau-cu", "kg", 40_000, 70_000, 1_100, 4, 1, ("Đà Lạt", "Đơn Dương")),
    ("Cà chua", "rau-cu", "kg", 25_000, 45_000, 1_080, 7, 1, ("Đà Lạt", "Đơn Dương", "Mộc Châu")),
    ("Khoai lang mật", "rau-cu", "kg", 25_000, 45_000, 1_060, 30, 2, ("Đà Lạt", "Bình Tân")),
    ("Su su", "rau-cu", "kg", 15_000, 25_000, 1_060, 10, 2, ("Tam Đảo", "Sa Pa")),
    ("Bắp cải", "rau-cu", "kg", 15_000, 25_000, 1_060, 14, 2, ("Đà Lạt", "Mộc Châu")),
    ("Atiso tươi", "rau-cu", "kg", 80_000, 120_000, 1_100, 5, 1, ("Đà Lạt",)),
    ("Gạo ST25", "gao-ngu-coc", "tui", 180_000, 230_000, 5_050, 365, 1, ("Sóc Trăng", "Trần Đề", "Mỹ Xuyên")),
    ("Gạo tám thơm", "gao-ngu-coc", "tui", 140_000, 180_000, 5_050, 300, 1, ("Điện Biên", "Hải Hậu")),
    ("Nếp cái hoa vàng", "gao-ngu-coc", "tui", 65_000, 90_000, 2_030, 300, 1, ("Kinh Môn", "Hải Hậu")),
    ("Gạo lứt đỏ", "gao-ngu-coc", "tui", 50_000, 75_000, 1_030, 240, 1, ("Sóc Trăng", "Điện Biên", "An Giang")),
    ("Miến dong", "gao-ngu-coc", "goi", 60_000, 90_000, 530, 365, 1, ("Bắc Kạn", "Bình Liêu", "Nguyên Bình")),
    ("Cà phê Robusta rang mộc", "ca-phe-tra", "goi", 120_000, 170_000, 530, 270, 1, ("Buôn Ma Thuột", "Di Linh")),
    ("Cà phê Arabica", "ca-phe-tra", "goi", 100_000, 160_000, 280, 270, 1, ("Cầu Đất", "Khe Sanh", "Sơn La")),
    ("Chè móc câu", "ca-phe-tra", "goi", 110_000, 180_000, 270, 365, 1, ("Tân Cương", "Đại Từ", "La Bằng")),
    ("Chè Shan tuyết", "ca-phe-tra", "goi", 180_000, 300_000, 280, 540, 1, ("Hoàng Su Phì", "Cao Bồ", "Suối Giàng")),
    ("Trà Ô long", "ca-phe-tra", "goi", 140_000, 220_000, 270, 540, 1, ("Bảo Lộc", "Mộc Châu", "Tân Uyên")),
    ("Mật ong hoa cà phê", "mat-ong-dac-san", "chai", 150_000, 220_000, 780, 730, 1, ("Đắk Lắk", "Gia Lai")),
    ("Mật ong bạc hà", "mat-ong-dac-san", "chai", 280_000, 380_000, 780, 730, 1, ("Mèo Vạc", "Đồng Văn")),
    ("Mật ong rừng tràm", "mat-ong-dac-san", "chai", 200_000, 280_000, 780, 730, 1, ("U Minh", "Trần Văn Thời")),
    ("Long nhãn sấy", "mat-ong-dac-san", "goi", 180_000, 250_000, 530, 365, 1, ("Hưng Yên", "Sông Mã")),
    ("Xoài sấy dẻo", "mat-ong-dac-san", "goi", 60_000, 90_000, 280, 180, 1, ("Cái Bè", "Cao Lãnh", "Cam Lâm")),
    ("Đường thốt nốt", "mat-ong-dac-san", "kg", 70_000, 95_000, 1_060, 365, 1, ("Tri Tôn", "Tịnh Biên")),
    ("Tôm khô", "thuy-hai-san-kho", "goi", 700_000, 950_000, 560, 180, 1, ("Năm Căn", "Rạch Gốc", "Bạc Liêu")),
    ("Mực khô", "thuy-hai-san-kho", "goi", 650_000, 850_000, 530, 180, 1, ("Phan Thiết", "Vân Đồn", "Phước Hải")),
    ("Khô cá lóc", "thuy-hai-san-kho", "goi", 180_000, 250_000, 530, 90, 1, ("Châu Đốc", "U Minh", "Tháp Mười")),
    ("Cá cơm khô", "thuy-hai-san-kho", "goi", 90_000, 140_000, 530, 120, 1, ("Phú Quốc", "Phan Thiết", "Cô Tô")),
    ("Nước mắm cá cơm", "gia-vi", "chai", 90_000, 170_000, 880, 730, 1, ("Phú Quốc", "Phan Thiết", "Cát Hải")),
    ("Hồ tiêu đen", "gia-vi", "kg", 190_000, 250_000, 1_050, 730, 1, ("Chư Sê", "Vĩnh Linh", "Lộc Ninh")),
    ("Tỏi", "gia-vi", "kg", 120_000, 180_000, 1_050, 180, 1, ("Lý Sơn", "Phan Rang")),
    ("Hành tím", "gia-vi", "kg", 45_000, 70_000, 1_030, 90, 1, ("Vĩnh Châu", "Lý Sơn")),
    ("Quế vỏ", "gia-vi", "kg", 60_000, 100_000, 1_060, 730, 1, ("Văn Yên", "Trà My", "Trà Bồng")),
    ("Hoa hồi khô", "gia-vi", "kg", 160_000, 220_000, 1_060, 730, 1, ("Văn Quan", "Chi Lăng", "Bình Gia")),
    ("Muối tôm", "gia-vi", "hu", 30_000, 45_000, 280, 180, 2, ("Tây Ninh", "Trảng Bàng")),
    ("Nấm hương khô", "nam-mang", "goi", 140_000, 200_000, 280, 365, 1, ("Bắc Hà", "Sa Pa", "Con Cuông")),
    ("Mộc nhĩ", "nam-mang", "goi", 80_000, 120_000, 280, 365, 1, ("Ba Bể", "Sơn La")),
    ("Măng khô", "nam-mang", "goi", 120_000, 180_000, 530, 365, 1, ("Pù Mát", "Trà My", "Yên Châu")),
    ("Nấm rơm tươi", "nam-mang", "kg", 70_000, 110_000, 1_100, 3, 1, ("Tháp Mười", "Hồng Ngự")),
    ("Hạt điều rang muối", "hat-dau", "hu", 150_000, 200_000, 620, 240, 1, ("Bình Phước", "Bù Đăng")),
    ("Hạt dẻ", "hat-dau", "kg", 150_000, 220_000, 1_060, 45, 1, ("Trùng Khánh",)),
    ("Hạt mắc ca", "hat-dau", "hu", 170_000, 230_000, 620, 240, 1, ("Krông Năng", "Lâm Đồng")),
    ("Đậu phộng", "hat-dau", "kg", 50_000, 75_000, 1_050, 180, 1, ("Tây Ninh", "Nghệ An", "Bình Định")),
    ("Hạt sen", "hat-dau", "goi", 80_000, 120_000, 530, 365, 1, ("Tháp Mười", "Hưng Yên")),
    ("Bánh tráng phơi sương", "ocop-qua-tang", "goi", 30_000, 50_000, 430, 90, 2, ("Trảng Bàng",)),
    ("Mạch nha", "ocop-qua-tang", "hu", 45_000, 65_000, 680, 365, 1, ("Thi Phổ",)),
    ("Kẹo dừa", "ocop-qua-tang", "hop", 30_000, 50_000, 260, 180, 2, ("Bến Tre", "Mỏ Cày")),
    ("Mè xửng", "ocop-qua-tang", "hop", 35_000, 55_000, 330, 180, 1, ("Huế",)),
    ("Tinh dầu bưởi", "ocop-qua-tang", "chai", 70_000, 110_000, 120, 730, 1, ("Phúc Trạch", "Luận Văn")),
]

_HOW_FRESH = (
    "Hái chín cây, đóng thùng ngay trong ngày.",
    "Vườn bón phân hữu cơ, không dùng chất bảo quản.",
    "Chọn quả đều, bao đổi nếu dập hỏng khi giao.",
    "Thu hoạch buổi sáng, gửi bưu điện ngay chiều cùng ngày.",
)
_HOW_DRY = (
    "Sơ chế thủ công theo cách truyền thống.",
    "Đóng gói hút chân không, giữ được lâu.",
    "Phơi nắng tự nhiên, không phẩm màu.",
    "Làm từng mẻ nhỏ nên hàng luôn mới.",
)
_WHY = ("Hợp làm quà biếu.", "Gia đình dùng hằng ngày rất hợp.", "Đặt nhiều có giá tốt.", "Có tem truy xuất nguồn gốc.")

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Quốc", "Hoàng")
_GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiền",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Vy",
    "Xuân",
    "Yến",
)
_HOUSEHOLD_NAMES = ("Hộ {full}", "Vườn nhà {given} {place}", "Trang trại {given} {place}", "Tổ hợp tác {place}")
_WARD_PREFIXES = ("Phường ", "Xã ", "Đặc khu ")


def synthesize(n: int, households: int | None = None, progress: bool = False) -> int:
    """Add `n` visible synthetic listings from `households or max(1, n // 50)` new verified households spread over
    all provinces; create the demo categories first when there are none. Commits; returns `n`."""
    from marketplace.demo import category_photos, ensure_categories, progress_bar  # the package imports this module

    rng = random.Random(n * 7919 + 17)
    categories = {c.slug: c for c in db.session.scalars(select(Category))} or ensure_categories()
    fallback = min(categories.values(), key=lambda c: (c.position, c.id))
    by_slug = {slug: categories.get(slug, fallback) for slug in {p[1] for p in PRODUCE}}
    stored = category_photos(sorted({c.slug for c in by_slug.values()}))
    photos = {c.id: stored[c.slug] for c in by_slug.values()}
    homes = _add_households(rng, households or max(1, n // 50), hash_password(PASSWORD))
    now = utcnow()
    with progress_bar(progress, n, "Synthetic listings") as bar:
        for start in range(0, n, BATCH):
            rows, extra = [], []
            for i in range(start, start + min(BATCH, n - start)):
                household_id, ward_code, province_code = rng.choice(homes)
                # spread over the last 180 days in insertion order, as a real catalogue grows: rows (and search
                # documents, rebuilt in id order) lie on disk in creation order, which newest-first reads rely on
                age = (n - i) * SPREAD_SECONDS // max(n, 1) + rng.randint(0, 59)
                row = _listing(rng, now - timedelta(seconds=age), by_slug)
                row.update(household_id=household_id, origin_ward_code=ward_code, province_code=province_code)
                rows.append(row)
            for listing_id, category_id in _insert_returning(Listing, rows, "id", "category_id"):
                shared = photos[category_id]
                first = listing_id % len(shared)
                for position in range(1 if listing_id % 3 else 2):
                    photo = shared[(first + position) % len(shared)]
                    extra.append(
                        {
                            "listing_id": listing_id,
                            "position": position,
                            "filename": photo.filename,
                            "thumb": photo.thumb,
                        }
                    )
            db.session.execute(insert(ListingPhoto.__table__), extra)
            bar.update(len(rows))
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        # after a bulk load the planner's statistics are stale until autovacuum runs, and each counter row has
        # thousands of dead versions (one per batch): vacuum and analyse now, as autovacuum would some minutes later
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE) users, households, certifications, listings, listing_photos"))
            conn.execute(text("VACUUM (FULL, ANALYZE) listing_counts"))  # a few hundred rows: rewritten at once
    return n


def _listing(rng: random.Random, created, by_slug: dict[str, Category]) -> dict:
    name, slug, unit, low, high, grams, shelf, min_qty, places = rng.choice(PRODUCE)
    place = rng.choice(places)
    grade = rng.choice(GRADES.get(slug, _DRY))
    price = max(1_000, round(rng.randint(low, high), -3))
    weight = grams + rng.randint(-2, 4) * 10
    how = _HOW_FRESH if shelf <= 30 else _HOW_DRY
    category = by_slug[slug]
    preorder = shelf <= 30 and rng.random() < 0.05
    harvest = date(2027, rng.randint(1, 10), rng.randint(1, 28)) if preorder else None
    return {
        "category_id": category.id,
        "title": f"{name} {place} {grade}",
        "description": f"{name} {place}, {grade}. {rng.choice(how)} {rng.choice(_WHY)}",
        "unit": Unit(unit),
        "price": price,
        "stock": rng.choice((0, *range(5, 500, 5))),
        "weight_grams": weight,
        "price_per_kg": price_per_kg(price, weight, Unit(unit)),
        "min_order_qty": min_qty,
        "availability": Availability.PREORDER if preorder else Availability.IN_STOCK,
        "harvest_start": harvest,
        "harvest_end": harvest + timedelta(days=rng.randint(20, 60)) if harvest else None,
        "shelf_life_days": shelf,
        "status": ListingStatus.ACTIVE,
        "created_at": created,
        "updated_at": created,
    }


def _add_households(rng: random.Random, count: int, password_hash: str) -> list[tuple[int, int, int]]:
    """Create `count` verified households (with their users) round-robin over the provinces; return
    (household id, ward code, province code) for each."""
    wards: dict[int, list[tuple[int, str]]] = {}
    for code, province_code, name in db.session.execute(
        select(Ward.code, Ward.province_code, Ward.name).order_by(Ward.code)
    ):
        wards.setdefault(province_code, []).append((code, name))
    provinces = sorted(wards)
    last = db.session.scalar(select(func.max(User.phone)).where(User.phone.like(PHONE_PREFIX + "%")))
    first_number = int(last[len(PHONE_PREFIX) :]) + 1 if last else 0
    if first_number + count > 10**7:
        raise ValueError(f"no room left for {count} synthetic phone numbers under {PHONE_PREFIX}")
    clerk_id = db.session.scalar(select(User.id).where(User.role.in_((Role.CLERK, Role.ADMIN))).order_by(User.id))
    now = utcnow()
    people, places = [], []
    for i in range(count):
        province = provinces[i % len(provinces)]
        ward_code, ward_name = rng.choice(wards[province])
        given = rng.choice(_GIVEN)
        full = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {given}"
        place = next((ward_name.removeprefix(p) for p in _WARD_PREFIXES if ward_name.startswith(p)), ward_name)
        people.append(
            {
                "name": full,
                "phone": f"{PHONE_PREFIX}{first_number + i:07d}",
                "role": Role.HOUSEHOLD,
                "password_hash": password_hash,
                "active": True,
                "created_at": now,
            }
        )
        places.append((ward_code, province, place, full, given))
    user_ids = {phone: id_ for id_, phone in _insert_returning(User, people, "id", "phone")}
    rows = []
    for person, (ward_code, province, place, full, given) in zip(people, places, strict=True):
        rows.append(
            {
                "user_id": user_ids[person["phone"]],
                "name": rng.choice(_HOUSEHOLD_NAMES).format(full=full, given=given, place=place),
                "representative": full,
                "phone": person["phone"],
                "ward_code": ward_code,
                "province_code": province,
                "address_line": f"Thôn {rng.randint(1, 15)}",
                "status": HouseholdStatus.VERIFIED,
                "story": f"Gia đình {full} làm nông ở {place} đã hơn {rng.randint(5, 40)} năm.",
                "verified_by_id": clerk_id,
                "verified_at": now,
                "created_at": now,
            }
        )
    homes = sorted(_insert_returning(Household, rows, "id", "ward_code", "province_code"))
    household_ids = [home[0] for home in homes]
    kinds = (CertificationKind.VIETGAP, CertificationKind.ORGANIC, CertificationKind.OCOP)
    certs = [
        {
            "household_id": hid,
            "kind": kinds[i % 3],
            "stars": 3 + i % 3 if kinds[i % 3] is CertificationKind.OCOP else None,
            "number": f"SYN-{hid:07d}",
            "expires_on": date(2027 + i % 2, 1 + i % 12, 28),
        }
        for i, hid in enumerate(household_ids)
        if i % 3 == 0
    ]
    if certs:
        db.session.execute(insert(Certification.__table__), certs)
    return [tuple(home) for home in homes]


def _insert_returning(model, rows: list[dict], *columns: str) -> list:
    """Bulk INSERT through Core (batched multi-row VALUES), returning `columns` of the new rows in no particular order.

    Asking for the order of `rows` (`sort_by_parameter_order`) makes SQLite insert one row per statement, ten times
    slower; the callers match rows by a returned column instead.
    """
    table = model.__table__
    return db.session.execute(insert(table).returning(*(table.c[name] for name in columns)), rows).all()
