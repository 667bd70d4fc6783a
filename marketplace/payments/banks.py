"""The banks a transfer can go to: NAPAS 247 members with their BIN (the 6 digits of a VietQR code), shipped as data
in `data/napas_banks.csv` (from the published VietQR/NAPAS bank list; an operator edits the file when banks merge or
rename). Agribank and LPBank (the former postal bank) come first: most farm households bank there."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "napas_banks.csv"


@dataclass(frozen=True)
class Bank:
    bin: str
    code: str
    short_name: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.short_name} — {self.name}"


@cache
def all_banks() -> tuple[Bank, ...]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return tuple(Bank(row["bin"], row["code"], row["short_name"], row["name"]) for row in csv.DictReader(fh))


def by_bin(bank_bin: str | None) -> Bank | None:
    return next((b for b in all_banks() if b.bin == bank_bin), None)


def choices() -> list[tuple[str, str]]:
    return [(b.bin, b.label) for b in all_banks()]
