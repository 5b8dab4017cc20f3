"""Forms of the business flow (the shared checks are kiosk.forms; domain rules kiosk.services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import ValidationError

from kiosk.forms import (
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
from kiosk.labels import RISK_LABELS, SCALE_LABELS
from kiosk.sectors import SECTORS
from kiosk.services.nib import InvalidNib, parse_nib
from kiosk.services.wage_contributions import RISK_GROUPS, SCALES

NIB = {
    "empty": _l("Isi NIB usaha Anda (13 angka, ada di sertifikat NIB dari OSS)."),
    "characters": _l("NIB hanya berisi angka 0–9. Periksa lagi huruf atau tanda yang terketik."),
    "length": _l("NIB harus 13 angka. Periksa lagi di sertifikat NIB."),
}

KINDS = options(("umkm", _l("UMKM (usaha mikro, kecil, menengah)")),
                ("koperasi", _l("Koperasi (mendaftarkan anggota)")))



class BusinessForm(StepForm):
    kind = RadioField(_l("Jenis pendaftar"), choices=KINDS, validate_choice=False, validators=[chosen()])
    nib = StringField(_l("NIB (Nomor Induk Berusaha, 13 angka)"))
    name = StringField(_l("Nama usaha atau koperasi"))
    scale = RadioField(_l("Skala usaha"), choices=options(*((s, SCALE_LABELS.get(s, s)) for s in SCALES)),
                       validate_choice=False, validators=[chosen()])
    sector = RadioField(_l("Bidang usaha"), choices=options(*((s.code, s.label) for s in SECTORS)),
                        validate_choice=False, validators=[chosen(_l("Pilih bidang usaha."))])
    address = StringField(_l("Alamat usaha (jalan, nomor, RT/RW)"))
    province = region_select(_l("Provinsi"))
    regency = region_select(_l("Kabupaten/kota"))
    district = region_select(_l("Kecamatan"))
    village = region_select(_l("Kelurahan/desa"))

    def validate_nib(self, field):
        try:
            field.data = parse_nib(field.data)
        except InvalidNib as exc:
            raise ValidationError(NIB[exc.code]) from None

    def validate_name(self, field):
        field.data = plain_text(field.data, 150)
        if len(field.data) < 2:
            raise ValidationError(_l("Isi nama usaha atau koperasi."))

    def validate_address(self, field):
        field.data = plain_text(field.data, 200)
        if len(field.data) < 3:
            raise ValidationError(_l("Isi alamat tempat usaha."))


class OwnerForm(NikChecks, ContactChecks, StepForm):
    nik = StringField(_l("NIK pemilik / pengurus (16 angka di KTP)"))
    full_name = StringField(_l("Nama lengkap sesuai KTP"))
    phone = StringField(_l("Nomor HP"))
    email = email_field()

    def validate_full_name(self, field):
        check_person_name(field)


class WorkerForm(FlaskForm):
    """One worker, added by hand or a listed row being fixed (checked by kiosk.services.worker_list)."""

    row = HiddenField()
    nik = StringField(_l("NIK (16 angka di KTP)"))
    full_name = StringField(_l("Nama lengkap sesuai KTP"))
    wage = StringField(_l("Upah per bulan (Rupiah)"))
    job = StringField(_l("Pekerjaan / jabatan"))


class ProgramForm(StepForm):
    scale = RadioField(_l("Skala usaha"), choices=options(*((s, SCALE_LABELS.get(s, s)) for s in SCALES)),
                       validate_choice=False, validators=[chosen()])
    risk_group = RadioField(_l("Tingkat risiko kecelakaan kerja"),
                            choices=options(*((str(g), RISK_LABELS[g][0]) for g in RISK_GROUPS)),
                            validate_choice=False, validators=[chosen(_l("Pilih tingkat risiko usaha Anda."))])
