"""Forms of the walk-in flow (the shared checks are kiosk.forms; domain rules kiosk.services)."""

import datetime as dt

from babel.dates import get_month_names
from flask_babel import get_locale, lazy_gettext as _l, lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import ValidationError

from kiosk import messages
from kiosk.clock import today
from kiosk.forms import (
    REQUIRED,
    ContactChecks,
    NikChecks,
    StepForm,
    check_person_name,
    chosen,
    email_field,
    options,
    plain_text,
    region_select,
)
from kiosk.occupations import OCCUPATIONS
from kiosk.regions import DbRegionLookup
from kiosk.services.contributions import InvalidIncome, parse_income
from kiosk.services.eligibility import bpu_age
from kiosk.services.nik import InvalidNik, parse_nik
from kiosk.services.rules import load_rules
from kiosk.services.rupiah import format_rupiah


class IdentityForm(NikChecks, StepForm):
    nik = StringField(_l("NIK (16 angka di KTP)"))
    full_name = StringField(_l("Nama lengkap sesuai KTP"))
    birth_place = StringField(_l("Tempat lahir"))
    # Day / month name / year: a browser date picker shows the OS order (often mm/dd/yyyy), which
    # confuses; month names cannot be misread.
    birth_day = StringField(lazy_pgettext("day of the month", "Tanggal"))
    birth_month = SelectField(_l("Bulan"), choices=[], validate_choice=False)
    birth_year = StringField(_l("Tahun"))
    sex = RadioField(_l("Jenis kelamin"), choices=options(("L", _l("Laki-laki")), ("P", _l("Perempuan"))),
                     validate_choice=False, validators=[chosen()])
    mother_name = StringField(_l("Nama gadis ibu kandung"))

    birth_date = None  # set by validate_birth_year from the three parts

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = get_month_names("wide", locale=get_locale())
        self.birth_month.choices = options(("", _l("— bulan —")), *((str(m), names[m]) for m in range(1, 13)))

    def set_birth_date(self, value: dt.date) -> None:
        self.birth_day.data, self.birth_month.data, self.birth_year.data = (
            str(value.day), str(value.month), str(value.year))

    def birth_date_given(self) -> bool:
        return all((f.data or "").strip() for f in (self.birth_day, self.birth_month, self.birth_year))

    def validate_full_name(self, field):
        check_person_name(field)

    def validate_birth_place(self, field):
        check_person_name(field)

    def validate_mother_name(self, field):
        check_person_name(field)

    def validate_birth_year(self, field):
        """Check the three date parts together (declared last, so the others are already read)."""
        if not self.birth_date_given():
            raise ValidationError(_l("Isi tanggal, bulan dan tahun lahir."))
        parts = [(f.data or "").strip() for f in (self.birth_day, self.birth_month, self.birth_year)]
        if not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts):
            raise ValidationError(_l("Tanggal lahir tidak dikenali. Tulis dengan angka, contoh: 17 Agustus 1985."))
        day, month, year = (int(p) for p in parts)
        try:
            value = dt.date(year, month, day)
        except ValueError:
            raise ValidationError(_l("Tanggal ini tidak ada di kalender. Periksa lagi.")) from None
        if value > today() or value.year < 1900:
            raise ValidationError(_l("Tanggal lahir tidak mungkin. Periksa lagi."))
        self.birth_date = value

    def validate_nik(self, field):
        """The NIK checks, then the age the rules table allows a self-employed member (a confirmed bound refuses;
        an unconfirmed one lets the application through and warns staff on its panel)."""
        NikChecks.validate_nik(self, field)
        day = today()
        check = bpu_age(self.nik_info.birth_date, day, load_rules().bpu_for(day))
        if check.refused:
            raise ValidationError(str(messages.AGE["bpu_refused"]) % {"age": check.age, "low": check.low,
                                                                        "high": check.high})


class ContactForm(ContactChecks, StepForm):
    phone = StringField(_l("Nomor HP"))
    email = email_field()
    address = StringField(_l("Alamat (jalan, nomor rumah, RT/RW)"))
    province = region_select(_l("Provinsi"))
    regency = region_select(_l("Kabupaten/kota"))
    district = region_select(_l("Kecamatan"))
    village = region_select(_l("Kelurahan/desa"))

    def validate_address(self, field):
        field.data = plain_text(field.data, 200)
        if len(field.data) < 3:
            raise ValidationError(_l("Isi alamat tempat tinggal Anda."))


class WorkForm(StepForm):
    occupation = RadioField(_l("Pekerjaan utama"), choices=options(*((o.code, o.label) for o in OCCUPATIONS)),
                            validate_choice=False, validators=[chosen(_l("Pilih pekerjaan Anda."))])
    occupation_other = StringField(_l("Sebutkan pekerjaan Anda"))
    work_province = region_select(_l("Provinsi tempat bekerja"))
    work_regency = region_select(_l("Kabupaten/kota tempat bekerja"))
    income = StringField(_l("Penghasilan per bulan (Rupiah)"))
    # Ticked when a very small income is meant as typed (asked only then).
    income_confirmed = BooleanField(_l("Ya, penghasilan saya memang sebesar itu"))

    income_value = None
    income_needs_confirm = False

    def validate_occupation_other(self, field):
        if self.occupation.data != "lainnya":
            field.data = ""
            return
        check_person_name(field, max_len=60)

    def validate_income(self, field):
        try:
            self.income_value = parse_income(field.data, load_rules(), today())
        except InvalidIncome as exc:
            raise ValidationError(messages.INCOME[exc.code]) from None
        if self.income_value < load_rules().bpu_for(today()).income_confirm_below and not self.income_confirmed.data:
            self.income_needs_confirm = True
            raise ValidationError(str(messages.INCOME["confirm"]) % {"amount": format_rupiah(self.income_value)})


class ProgramForm(StepForm):
    package = RadioField(_l("Program"), choices=options(("base", _l("JKK + JKM")), ("jht", _l("JKK + JKM + JHT"))),
                         validate_choice=False, validators=[chosen()])
    period = RadioField(_l("Bayar untuk berapa bulan"),
                        choices=options(("1", "1"), ("3", "3"), ("6", "6"), ("12", "12")),
                        validate_choice=False, validators=[chosen()])


class ReprintForm(FlaskForm):
    nik = StringField(_l("NIK (16 angka di KTP)"))
    mother_name = StringField(_l("Nama gadis ibu kandung"))

    nik_value = None

    def validate_nik(self, field):
        try:
            self.nik_value = parse_nik(field.data, DbRegionLookup(), today()).nik
        except InvalidNik as exc:
            raise ValidationError(messages.NIK[exc.code]) from None

    def validate_mother_name(self, field):
        if not (field.data or "").strip():
            raise ValidationError(REQUIRED)
        if len(field.data) > 200:
            raise ValidationError(str(messages.NAME["too_long"]) % {"max": 100})
