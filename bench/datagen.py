"""Realistic registrations in bulk, for the benchmarks (SQLite or PostgreSQL, the real schema).

Each row is what the kiosk would have written: a valid NIK (a real Jawa Timur district code, a real
birth date, day + 40 for women, a serial unique per district and date), personal fields encrypted with the
real DataVault and their blind indexes, a mobile number with a real operator prefix, an address in a
real village, occupation, income, programs and the contribution quoted by kiosk.services.contributions,
a status mix (60 % submitted, 20 % verified, 10 % active with a KPJ, 7 % needs fix, 3 % rejected), 80 %
from a kiosk, 20 % at an event, spread over a year. Names are drawn from a few hundred Javanese and
Indonesian given and family names (one, two or three words), so a name search matches realistically
many rows rather than a tenth of the table.

Rows go in with the driver's bulk path (executemany on SQLite, COPY on PostgreSQL) inside the app's
database connection; generation (encryption, HMAC) dominates the time: about 40-60 µs per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import secrets
from dataclasses import dataclass, field

GIVEN = (
    "Agus", "Budi", "Siti", "Dewi", "Eko", "Sri", "Ahmad", "Nur", "Rina", "Wahyu", "Yuli", "Bambang", "Endang",
    "Slamet", "Sutrisno", "Lilik", "Didik", "Heru", "Tri", "Dwi", "Anik", "Rudi", "Lestari", "Muhammad", "Moh.",
    "Abdul", "Achmad", "Ali", "Andi", "Ani", "Arif", "Asih", "Bagus", "Bayu", "Cahyo", "Dani", "Darmi", "Darsono",
    "Desi", "Dian", "Dodik", "Edi", "Eka", "Erna", "Fajar", "Fitri", "Gunawan", "Hadi", "Hari", "Hartono", "Hendra",
    "Heni", "Ika", "Imam", "Indah", "Iwan", "Joko", "Juwariyah", "Kartini", "Kasiyem", "Kusnadi", "Lukman", "Mamik",
    "Marsini", "Mujiono", "Mulyadi", "Nanik", "Ningsih", "Novi", "Nurul", "Paijo", "Parmin", "Puji", "Puspita",
    "Rahmat", "Ratna", "Rizky", "Rohmah", "Sadikin", "Saiful", "Samsul", "Sarmi", "Setyo", "Sholeh", "Sugeng",
    "Suharti", "Sukarno", "Sulastri", "Sumarni", "Supriyadi", "Suryani", "Susilo", "Sutini", "Tatik", "Teguh",
    "Tika", "Toni", "Umi", "Wagiman", "Wati", "Widodo", "Winarti", "Yanto", "Yayuk", "Yusuf", "Zainal", "Zulaikha",
    "Ponirah", "Karsini", "Tumini", "Suparmi", "Mariyam", "Khoirul", "Miftahul", "Nasrul", "Rofiq", "Syaiful",
)
FAMILY = (
    "Santoso", "Wibowo", "Rahayu", "Lestari", "Susanto", "Hidayat", "Syafi'i", "Purnomo", "Setiawan", "Kurniawan",
    "Handayani", "Prasetyo", "Saputra", "Aminah", "Fauzi", "Rohman", "Wijaya", "Utomo", "Nugroho", "Hartati",
    "Suryadi", "Gunawan", "Firmansyah", "Hasanah", "Maulana", "Ramadhan", "Pratama", "Kusuma", "Sulistyo",
    "Suprapto", "Wulandari", "Puspitasari", "Anggraini", "Rahmawati", "Yulianti", "Fitriani", "Hakim", "Ismail",
    "Mahmud", "Mustofa", "Nurhayati", "Safitri", "Setyowati", "Sugiarto", "Suharto", "Sumarno", "Sunarko",
    "Supriyanto", "Suwarno", "Triyono", "Widayat", "Yulianto", "Zakaria", "Arifin", "Basuki", "Darmawan",
    "Efendi", "Hariyanto", "Irawan", "Junaedi", "Kholil", "Mashuri", "Mubarok", "Nasution", "Rochim", "Subekti",
    "Sukardi", "Sulaiman", "Syamsudin", "Wahyudi", "Wardani", "Winarno", "Yuliana", "Zuhdi", "Ningrum",
)
STREETS = ("Kebraon Indah", "Raya Darmo", "Ngagel Jaya", "Kenjeran", "Pasar Turi", "Sidosermo", "Wonokromo",
           "Rungkut Madya", "Ketintang Baru", "Jemursari", "Mojopahit", "Diponegoro", "Ahmad Yani", "Gajah Mada",
           "Veteran", "Sudirman", "Panglima Sudirman", "Hayam Wuruk", "Kartini", "Pahlawan")
PLACES = ("Surabaya", "Malang", "Kediri", "Jember", "Madiun", "Blitar", "Sidoarjo", "Gresik", "Banyuwangi", "Tuban")
OPERATORS = ("811", "812", "813", "821", "822", "852", "853", "855", "856", "857", "858", "877", "878",
             "881", "895", "896")
STATUSES = (("submitted", 60), ("verified", 20), ("active", 10), ("needs_fix", 7), ("rejected", 3))
INCOMES = (1_000_000, 1_200_000, 1_500_000, 1_800_000, 2_000_000, 2_500_000, 3_000_000, 4_000_000, 5_000_000)

COLUMNS = (
    "token", "receipt_code", "submission_key", "nik_enc", "nik_hash", "nik_masked", "nik_district_known",
    "full_name", "personal_enc", "sex", "mother_name_hash", "phone_enc",
    "phone_hash", "village_code", "district_code", "regency_code", "province_code",
    "occupation", "occupation_transport", "work_regency_code", "monthly_income", "jht", "period_months",
    "monthly_contribution", "period_contribution", "rules_valid_from", "consent_version", "consent_at", "status",
    "kpj", "kiosk_id", "event_id", "channel", "locale", "created_at", "updated_at", "version",
)


def person_name(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(GIVEN if rng.random() < 0.6 else FAMILY)
    if roll < 0.8:
        return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    return f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"


@dataclass
class Generator:
    """Makes row number i (0, 1, 2, ...) deterministically: the NIK is a one-to-one function of i, so rows
    made in separate runs (10 k, then 90 k more, ...) never collide."""

    villages: list
    regencies: list
    kiosks: list
    events: list
    seed: int = 2026
    quotes: dict = field(default_factory=dict)

    def __post_init__(self):
        from kiosk.crypto import vault
        from kiosk.services.rules import load_rules

        self.rules = load_rules()
        self.vault = vault()
        self.mother_hash = self.vault.blind_index("mother", "sitiaminah")
        self.status_pool = [s for s, weight in STATUSES for _ in range(weight)]
        self.now = dt.datetime(2026, 11, 1, 3, 0)
        self.by_district: dict = {}
        for code in sorted(self.villages):
            self.by_district.setdefault(code[:8], []).append(code)
        self.districts = sorted(self.by_district)

    def nik_of(self, i: int) -> tuple[str, str, dt.date, bool]:
        """(NIK, district code, birth date, female) of row i: district, date and serial walk through i."""
        n_districts = len(self.districts)
        district = self.districts[i % n_districts]
        rest = i // n_districts
        born = dt.date(1950, 1, 1) + dt.timedelta(days=(rest * 7919) % 21000)  # 7919: a prime, spreads dates
        serial = 1 + (rest // 21000)
        female = (i // 3) % 2 == 1
        nik = (district.replace(".", "") + f"{born.day + (40 if female else 0):02d}{born.month:02d}"
               f"{born.year % 100:02d}{serial:04d}")
        return nik, district, born, female

    def rows(self, start: int, count: int, span_rows: int):
        """Yield count row tuples in COLUMNS order; created_at spread over a year for span_rows rows."""
        from kiosk.occupations import OCCUPATIONS
        from kiosk.registrations import seal_personal
        from kiosk.services.contributions import quote_bpu
        from kiosk.services.nik import mask_nik

        vlt = self.vault
        step = dt.timedelta(days=365) / max(span_rows, 1)
        for i in range(start, start + count):
            rng = random.Random(self.seed * 1_000_003 + i)
            nik, district, born, female = self.nik_of(i)
            village = rng.choice(self.by_district[district])
            regency, province = village[:5], village[:2]
            phone = "+62" + rng.choice(OPERATORS) + f"{rng.randrange(10**7, 10**8)}"
            occupation = rng.choice(OCCUPATIONS)
            income, jht, period = rng.choice(INCOMES), rng.random() < 0.5, rng.choice((1, 3, 6, 12))
            key = (income, jht, period, occupation.transport)
            if key not in self.quotes:
                quote = quote_bpu(income, jht=jht, period_months=period, start=dt.date(2026, 11, 1),
                                  transport=occupation.transport, rules=self.rules)
                self.quotes[key] = (quote.monthly.total, quote.period_total, quote.rules_valid_from)
            monthly, total, valid_from = self.quotes[key]
            status = rng.choice(self.status_pool)
            created = self.now - dt.timedelta(days=365) + step * i
            name = person_name(rng)
            birth_place = rng.choice(PLACES)
            email = f"{name.split()[0].lower().rstrip('.')}{i}@contoh.id" if rng.random() < 0.3 else None
            address = (f"Jl. {rng.choice(STREETS)} {rng.randrange(1, 200)}, "
                       f"RT {rng.randrange(1, 15):02d}/RW {rng.randrange(1, 10):02d}")
            yield (
                secrets.token_urlsafe(16), f"KJ-{i // 10000:04d}-{i % 10000:04d}", secrets.token_hex(16),
                vlt.encrypt(nik), vlt.blind_index("nik", nik), mask_nik(nik), True,
                name, seal_personal(birth_place=birth_place, birth_date=born, nik_birth_date=born,
                                    address=address, email=email),
                "P" if female else "L", self.mother_hash,
                vlt.encrypt(phone), vlt.blind_index("phone", phone),
                village, district, regency, province,
                occupation.code, occupation.transport,
                regency if rng.random() < 0.8 else rng.choice(self.regencies),
                income, jht, period, monthly, total, valid_from,
                "2026-11-01", created, status,
                f"{26000000000 + i}" if status == "active" else None,
                rng.choice(self.kiosks) if rng.random() < 0.8 else None,
                rng.choice(self.events) if rng.random() < 0.2 else None,
                "kiosk", "id", created, created, 1,
            )

    def answers(self, i: int) -> dict:
        """A complete walk-in's answers for row i (as kiosk.flow.visit stores them), not yet submitted."""
        from kiosk.occupations import OCCUPATIONS

        rng = random.Random(self.seed * 7_000_003 + i)
        nik, district, born, female = self.nik_of(i)
        village = rng.choice(self.by_district[district])
        occupation = rng.choice(OCCUPATIONS[:-1])
        return {
            "consent": {"version": "2026-11-01", "at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
                        .isoformat(timespec="seconds")},
            "identity": {"nik": nik, "full_name": person_name(rng), "birth_place": rng.choice(PLACES),
                         "birth_date": born.isoformat(), "nik_birth_date": born.isoformat(),
                         "sex": "P" if female else "L", "nik_sex": "P" if female else "L",
                         "mother_name": "Siti Aminah", "province": district[:2], "regency": district[:5],
                         "district": district, "district_known": True},
            "contact": {"phone": "+62" + rng.choice(OPERATORS) + f"{rng.randrange(10**7, 10**8)}", "email": "",
                        "address": f"Jl. {rng.choice(STREETS)} {rng.randrange(1, 200)}", "province": district[:2],
                        "regency": district[:5], "district": district, "village": village},
            "work": {"occupation": occupation.code, "occupation_other": "", "transport": occupation.transport,
                     "work_regency": district[:5], "income": rng.choice(INCOMES)},
            "program": {"jht": rng.random() < 0.5, "period": rng.choice((1, 3, 6, 12))},
        }


def setup_generator(seed: int = 2026) -> Generator:
    """Kiosks, events and the region lists the rows refer to (call inside an app context, connected)."""
    from kiosk.models import Event, Kiosk, Region

    villages = [code for (code,) in Region.select(Region.code).where(
        Region.level == Region.VILLAGE, Region.code.startswith("35.")).tuples()]
    regencies = [code for (code,) in Region.select(Region.code).where(
        Region.level == Region.REGENCY, Region.code.startswith("35.")).tuples()]
    rng = random.Random(seed)
    kiosks = [k for (k,) in Kiosk.select(Kiosk.id).order_by(Kiosk.id).tuples()]
    events = [e for (e,) in Event.select(Event.id).order_by(Event.id).tuples()]
    if not kiosks:  # the first fill of this database
        kiosks = [Kiosk.create(name=f"Kios {name}", place=name, regency_code=rng.choice(regencies)).id
                  for name in ("Dinas Koperasi", "Pasar Turi", "Pasar Wonokromo", "Terminal Bungurasih",
                               "Balai Kota Malang", "Pasar Besar Madiun", "Alun-alun Jember", "Pasar Legi Blitar")]
        events = [Event.create(name=f"Sosialisasi Jamsos {i + 1}", place="Balai desa",
                               starts_on=dt.date(2026, 1 + i, 1), ends_on=dt.date(2026, 1 + i, 3)).id
                  for i in range(6)]
    return Generator(villages=villages, regencies=regencies, kiosks=kiosks, events=events, seed=seed)


def insert(database, rows, batch: int = 20_000) -> int:
    """Bulk-insert row tuples through the driver; return how many went in."""
    from peewee import PostgresqlDatabase

    is_pg = isinstance(database, PostgresqlDatabase)
    done = 0
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            done += _flush(database, chunk, is_pg)
            chunk = []
    if chunk:
        done += _flush(database, chunk, is_pg)
    return done


def _flush(database, chunk, is_pg) -> int:
    with database.atomic():
        cursor = database.cursor()
        if is_pg:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for row in chunk:
                writer.writerow(["\\N" if v is None else ("t" if v is True else "f" if v is False else v)
                                 for v in row])
            buffer.seek(0)
            cursor.copy_expert(f"COPY registration ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                               buffer)
        else:
            marks = ", ".join("?" for _ in COLUMNS)
            cursor.executemany(f"INSERT INTO registration ({', '.join(COLUMNS)}) VALUES ({marks})",
                               [tuple(v.isoformat(sep=" ") if isinstance(v, dt.datetime) else
                                      v.isoformat() if isinstance(v, dt.date) else v for v in row)
                                for row in chunk])
    return len(chunk)
