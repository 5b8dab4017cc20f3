"""Kemendagri administrative areas: loading the vendored idn-area-data CSVs and looking codes up."""

import csv
from pathlib import Path

from peewee import EXCLUDED

from kiosk.db import db
from kiosk.models import Region

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "idn-area-data"

# (file, level, parent column)
FILES = (
    ("provinces.csv", Region.PROVINCE, None),
    ("regencies.csv", Region.REGENCY, "province_code"),
    ("districts.csv", Region.DISTRICT, "regency_code"),
    ("villages.csv", Region.VILLAGE, "district_code"),
)


def read_rows(data_dir: Path = DATA_DIR, villages_of: str | None = None):
    """Yield Region row dicts from the CSVs (csv module: names such as "Ra""as" are quoted).

    villages_of="35" keeps only that province's villages (a smaller database for a Jatim-only kiosk).
    """
    for filename, level, parent_col in FILES:
        with open(data_dir / filename, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                code = row["code"].strip()
                if villages_of and level == Region.VILLAGE and not code.startswith(villages_of + "."):
                    continue
                yield {
                    "code": code,
                    "parent": row[parent_col].strip() if parent_col else None,
                    "level": level,
                    "name": row["name"].strip(),
                }


def load(data_dir: Path = DATA_DIR, villages_of: str | None = None, batch: int = 2000) -> dict:
    """Insert or update every area; running it again changes nothing. Returns counts per level."""
    counts = {level: 0 for _, level, _ in FILES}
    rows = list(read_rows(data_dir, villages_of))
    with db.atomic():
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            (Region.insert_many(chunk)
                   .on_conflict(conflict_target=[Region.code],
                                update={Region.name: EXCLUDED.name, Region.parent: EXCLUDED.parent})
                   .execute())
        for row in rows:
            counts[row["level"]] += 1
    _names.clear()
    return counts


# Region names only change when `regions load` runs (a new Kemendagri release, then a restart), and a
# submit looks up five of them, so each process keeps the names it has seen. Misses are not kept.
_names: dict[str, str] = {}
_NAMES_KEPT = 20_000


def cached_name(code: str) -> str | None:
    name = _names.get(code)
    if name is None:
        region = Region.get_or_none(Region.code == code)
        if region is None:
            return None
        name = region.name
        if len(_names) < _NAMES_KEPT:
            _names[code] = name
    return name


class DbRegionLookup:
    """RegionLookup for kiosk.services.nik backed by the Region table."""

    def name(self, code: str) -> str | None:
        return cached_name(code)


def name_of(code: str | None) -> str:
    if not code:
        return ""
    return cached_name(code) or code


def choices(parent_code: str | None, level: int) -> list[tuple[str, str]]:
    if level > Region.PROVINCE and not parent_code:
        return []
    return [(r.code, r.name) for r in Region.children(parent_code, level)]
