"""Occupations offered on the Work screen. `transport` decides which PP 50/2025 discount window applies."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Occupation:
    code: str
    label: object
    transport: bool
    icon: str


OCCUPATIONS = (
    Occupation("pedagang_pasar", _l("Pedagang pasar"), False, "stall"),
    Occupation("pedagang_keliling", _l("Pedagang keliling / kaki lima"), False, "cart"),
    Occupation("tukang_becak", _l("Tukang becak"), True, "becak"),
    Occupation("ojek_online", _l("Ojek online / kurir"), True, "motor"),
    Occupation("sopir", _l("Sopir / angkutan"), True, "car"),
    Occupation("petani", _l("Petani / pekebun"), False, "plant"),
    Occupation("peternak", _l("Peternak"), False, "cow"),
    Occupation("nelayan", _l("Nelayan"), False, "fish"),
    Occupation("buruh_harian", _l("Buruh harian lepas"), False, "tools"),
    Occupation("buruh_bongkar_muat", _l("Buruh bongkar muat"), False, "box"),
    Occupation("pekerja_umkm", _l("Pekerja UMKM"), False, "shop"),
    Occupation("pekerja_rumah_tangga", _l("Pekerja rumah tangga"), False, "home"),
    Occupation("tukang", _l("Tukang (batu, kayu, jahit, las, cukur)"), False, "hammer"),
    Occupation("juru_parkir", _l("Juru parkir"), False, "parking"),
    Occupation("pemulung", _l("Pemulung"), False, "recycle"),
    Occupation("lainnya", _l("Lainnya"), False, "more"),
)

BY_CODE = {o.code: o for o in OCCUPATIONS}
