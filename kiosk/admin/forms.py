"""Forms of the admin pages: kiosks, events, staff accounts. Messages are Indonesian msgids (_l)."""

import datetime as dt
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import ValidationError

from kiosk import accounts, messages
from kiosk.forms import REQUIRED, chosen, options
from kiosk.labels import PAYER_LABELS
from kiosk.models import Kiosk, Region, StaffUser
from kiosk.services.workflow import ADMIN, PETUGAS, SUPERVISOR

KIND_LABELS = {"office": _l("Kantor Dinas"), "market": _l("Pasar"), "event": _l("Booth acara")}
ROLE_LABELS = {PETUGAS: _l("Petugas"), SUPERVISOR: _l("Supervisor"), ADMIN: _l("Admin")}
JATIM = "35"
MAX_PASSWORD_LENGTH = 200
USERNAME_TAKEN = _l("Nama pengguna ini sudah dipakai. Pilih nama lain.")
USERNAME_CHARS = _l("Hanya huruf a–z, angka 0–9, titik (.), garis bawah (_) dan tanda hubung (-), tanpa spasi.")


def clean_text(field, max_len: int, *, required: bool = True) -> None:
    """Drop control characters (NUL, bidi overrides...), collapse spaces, check the length.

    On an error field.data stays as typed, so the person sees what they wrote.
    """
    raw = field.data or ""
    if len(raw) > max_len * 4 + 100:  # far too long: say so without walking 100 KB of text
        raise ValidationError(str(messages.NAME["too_long"]) % {"max": max_len})
    value = "".join(ch for ch in raw if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    value = " ".join(value.split())
    if len(value) > max_len:
        raise ValidationError(str(messages.NAME["too_long"]) % {"max": max_len})
    if required and not value:
        raise ValidationError(REQUIRED)
    field.data = value


def regency_groups() -> dict:
    """All regencies grouped by province for a <select> with <optgroup>s, Jawa Timur first."""
    provinces = {r.code: r.name for r in Region.select().where(Region.level == Region.PROVINCE)}
    groups: dict = {}
    order = sorted(provinces, key=lambda code: (code != JATIM, provinces[code]))
    for code in order:
        groups[provinces[code]] = []
    for regency in Region.select().where(Region.level == Region.REGENCY).order_by(Region.name):
        name = provinces.get(regency.parent)
        if name is not None:
            groups[name].append((regency.code, regency.name))
    return {name: regencies for name, regencies in groups.items() if regencies}


def parse_day(value: str) -> dt.date | None:
    """Read 2026-11-17 (what <input type=date> sends) or 17/11/2026, 17-11-2026; None if neither."""
    value = (value or "").strip()
    if len(value) > 10 or not value.isascii():
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    for sep in "/-.":
        parts = value.split(sep)
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            try:
                return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    return None


def regency_field():
    """A regency <select>; templates/admin/macros.html renders it grouped by province."""
    return SelectField(_l("Kabupaten/kota"), choices=[], validate_choice=False)


class RegencyMixin:
    regency_options: dict = {}

    def load_regencies(self):
        self.regency_options = regency_groups()
        self.regency.choices = [choice for group in self.regency_options.values() for choice in group]

    def validate_regency(self, field):
        code = (field.data or "")[:13]
        if not code:
            raise ValidationError(_l("Pilih kabupaten/kota."))
        if not Region.select().where(Region.code == code, Region.level == Region.REGENCY).exists():
            raise ValidationError(_l("Pilih kabupaten/kota dari daftar."))


class KioskForm(RegencyMixin, FlaskForm):
    name = StringField(_l("Nama kios"))
    place = StringField(_l("Tempat (alamat atau lokasi)"))
    regency = regency_field()
    kind = RadioField(_l("Jenis kios"), choices=options(*KIND_LABELS.items()), validate_choice=False,
                      validators=[chosen()])
    # A kiosk run by a budget programme: its registrants' contributions are paid by it (no discount then).
    payer = RadioField(_l("Yang membayar iuran pendaftar di kios ini"), choices=options(*PAYER_LABELS.items()),
                       default="self", validate_choice=False, validators=[chosen()])
    payer_programme = StringField(_l("Nama program (bila dibayar APBD/APBN)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.load_regencies()

    def validate_name(self, field):
        clean_text(field, 120)

    def validate_payer_programme(self, field):
        if self.payer.data == "self":
            field.data = ""
            return
        clean_text(field, 120)  # required when a budget pays

    def validate_place(self, field):
        clean_text(field, 200)


class EventForm(RegencyMixin, FlaskForm):
    name = StringField(_l("Nama acara"))
    place = StringField(_l("Tempat (alamat atau lokasi)"))
    regency = regency_field()
    starts_on = StringField(_l("Mulai tanggal"))
    ends_on = StringField(_l("Sampai tanggal"))
    kiosks = SelectMultipleField(_l("Kios yang bertugas di acara ini"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.starts_value = self.ends_value = None  # dates, set by the validators
        self.kiosk_ids: list[int] = []  # set by validate_kiosks
        self.load_regencies()
        self.kiosk_rows = list(Kiosk.select().order_by(Kiosk.active.desc(), Kiosk.name))
        self.kiosks.choices = [(str(k.id), k.name) for k in self.kiosk_rows]

    def validate_name(self, field):
        clean_text(field, 120)

    def validate_place(self, field):
        clean_text(field, 200)

    @staticmethod
    def _day(field) -> dt.date:
        if not (field.data or "").strip():
            raise ValidationError(REQUIRED)
        value = parse_day(field.data)
        if value is None:
            raise ValidationError(_l("Tanggal tidak dikenali. Contoh: 17/08/2026."))
        if not 2000 <= value.year <= 2099:
            raise ValidationError(_l("Tahun ini tidak mungkin. Periksa lagi."))
        return value

    def validate_starts_on(self, field):
        self.starts_value = self._day(field)

    def validate_ends_on(self, field):
        value = self._day(field)
        if self.starts_value and value < self.starts_value:
            raise ValidationError(_l("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        self.ends_value = value

    def validate_kiosks(self, field):
        known = {str(k.id): k.id for k in self.kiosk_rows}
        picked = list(field.data or [])[:1000]
        if any(v not in known for v in picked):
            field.data = [v for v in picked if v in known]
            raise ValidationError(_l("Ada kios yang tidak dikenal. Pilih lagi dari daftar."))
        self.kiosk_ids = sorted({known[v] for v in picked})


def check_username(field) -> None:
    raw = field.data or ""
    if not raw.strip():
        raise ValidationError(REQUIRED)
    if len(raw) > 200:
        raise ValidationError(str(messages.NAME["too_long"]) % {"max": 40})
    username = raw.strip().lower()
    if not all(c.isascii() and (c.isalnum() or c in "._-") for c in username):
        raise ValidationError(USERNAME_CHARS)
    if len(username) > 40:
        raise ValidationError(str(messages.NAME["too_long"]) % {"max": 40})
    if StaffUser.select().where(StaffUser.username == username).exists():
        raise ValidationError(USERNAME_TAKEN)


def password_short():
    return _l("Kata sandi paling sedikit %(min)s karakter.", min=accounts.MIN_PASSWORD_LENGTH)


def role_field():
    return SelectField(_l("Peran"), choices=options(("", _l("— pilih peran —")), *ROLE_LABELS.items()),
                       validate_choice=False, validators=[chosen()])


class NewPasswordMixin:
    """Checks for a `password` and `password_confirm` pair (declared by each form, in its order)."""

    def validate_password(self, field):
        value = field.data or ""
        if not value:
            raise ValidationError(REQUIRED)
        if len(value) > MAX_PASSWORD_LENGTH:
            raise ValidationError(_l("Kata sandi terlalu panjang (paling banyak %(max)s karakter).",
                                     max=MAX_PASSWORD_LENGTH))
        try:
            accounts.check_password_rules(value)
        except accounts.AccountError:
            raise ValidationError(password_short()) from None

    def validate_password_confirm(self, field):
        if (field.data or "") != (self.password.data or ""):
            raise ValidationError(_l("Kedua kata sandi tidak sama. Ketik ulang."))


class AccountForm(NewPasswordMixin, FlaskForm):
    username = StringField(_l("Nama pengguna"))
    full_name = StringField(_l("Nama lengkap"))
    role = role_field()
    password = PasswordField(_l("Kata sandi"))
    password_confirm = PasswordField(_l("Ulangi kata sandi"))

    def validate_username(self, field):
        check_username(field)

    def validate_full_name(self, field):
        clean_text(field, 100)


class RoleForm(FlaskForm):
    role = role_field()


class PasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(_l("Kata sandi baru"))
    password_confirm = PasswordField(_l("Ulangi kata sandi baru"))
