import enum

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.extensions import db


class Region(enum.Enum):
    """The three regions used by postal tariffs (Central includes the Central Highlands)."""

    NORTH = "north"
    CENTRAL = "central"
    SOUTH = "south"


class Province(db.Model):
    __tablename__ = "provinces"

    #: official statistics-office code (1 = Hà Nội, 79 = TP Hồ Chí Minh)
    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(80))
    #: ascii slug from the official data, used in URLs (`ha_noi`)
    codename: Mapped[str] = mapped_column(String(80), unique=True)
    region: Mapped[Region] = mapped_column(Enum(Region, native_enum=False, length=16))

    wards: Mapped[list["Ward"]] = relationship(back_populates="province", order_by="Ward.name")

    @property
    def short_name(self) -> str:
        return self.short_form(self.name)

    @staticmethod
    def short_form(name: str) -> str:
        """`Thành phố Hà Nội` → `Hà Nội`, `Tỉnh Lào Cai` → `Lào Cai`."""
        return name.removeprefix("Thành phố ").removeprefix("Tỉnh ")

    def __repr__(self) -> str:
        return f"<Province {self.code} {self.name}>"


class Ward(db.Model):
    __tablename__ = "wards"

    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    province_code: Mapped[int] = mapped_column(ForeignKey("provinces.code"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    province: Mapped[Province] = relationship(back_populates="wards", lazy="joined")

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.province.short_name}"

    def __repr__(self) -> str:
        return f"<Ward {self.code} {self.name}>"
