"""Business sectors offered on the business screen (a description for staff, not a regulated list)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Sector:
    code: str
    label: object


SECTORS = (
    Sector("perdagangan", _l("Perdagangan (toko, warung, grosir)")),
    Sector("makanan", _l("Makanan dan minuman (warung makan, katering)")),
    Sector("jasa", _l("Jasa (salon, laundry, bengkel, servis)")),
    Sector("kerajinan", _l("Kerajinan dan industri rumahan")),
    Sector("pertanian", _l("Pertanian, perkebunan, peternakan")),
    Sector("perikanan", _l("Perikanan")),
    Sector("konstruksi", _l("Konstruksi dan bangunan")),
    Sector("transportasi", _l("Transportasi dan pengiriman")),
    Sector("lainnya", _l("Lainnya")),
)
BY_CODE = {sector.code: sector for sector in SECTORS}
