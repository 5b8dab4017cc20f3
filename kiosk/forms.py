"""What the kiosk's forms share (both flows, and the admin's): required-choice checks, NIK, name, phone and
e-mail checks with messages in the person's language, and the step form every step builds on."""

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Optional, ValidationError

from kiosk import messages
from kiosk.clock import today
from kiosk.regions import DbRegionLookup
from kiosk.services.nik import InvalidNik, parse_nik
from kiosk.services.person import InvalidName, clean_name
from kiosk.services.phone import InvalidPhone, normalise_mobile

REQUIRED = _l("Kolom ini wajib diisi.")
CHOOSE_ONE = _l("Pilih salah satu.")
BAD_EMAIL = _l("Alamat e-mail tidak dikenali. Contoh: nama@contoh.com")


def chosen(message=CHOOSE_ONE):
    """Require a value that is one of the field's choices (WTForms' own message is English-only)."""

    def check(form, field):
        allowed = {str(choice.value) for choice in field.choices}
        if field.data in (None, "") or str(field.data) not in allowed:
            raise ValidationError(message)

    return check


def options(*pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def plain_text(value: str, max_len: int) -> str:
    """Trim, drop control characters (NUL, bidi overrides...), collapse spaces; error when too long."""
    value = "".join(ch for ch in (value or "") if unicodedata.category(ch) not in ("Cc", "Cf"))
    value = " ".join(value.split())
    if len(value) > max_len:
        raise ValidationError(str(messages.NAME["too_long"]) % {"max": max_len})
    return value


def region_select(label) -> SelectField:
    """A region select: its choices come from the cascade in the view, so only "one was chosen" is checked."""
    return SelectField(label, choices=[], validate_choice=False, validators=[chosen()])


def email_field() -> StringField:
    return StringField(_l("E-mail (boleh dikosongkan)"), validators=[Optional(), Email(message=BAD_EMAIL)])


def check_person_name(field, max_len=100) -> None:
    """Clean a person's name in place (kiosk.services.person), or fail with the reason."""
    try:
        field.data = clean_name(field.data, max_len=max_len)
    except InvalidName as exc:
        raise ValidationError(str(messages.NAME[exc.code]) % {"max": max_len}) from None


class NikChecks:
    """validate_nik for a form with a `nik` field: keeps what the NIK says in nik_info."""

    nik_info = None  # set by validate_nik

    def validate_nik(self, field):
        try:
            self.nik_info = parse_nik(field.data, DbRegionLookup(), today())
        except InvalidNik as exc:
            raise ValidationError(messages.NIK[exc.code]) from None


class ContactChecks:
    """validate_phone and validate_email for a form with `phone` and `email` (email_field()) fields."""

    def validate_phone(self, field):
        try:
            field.data = normalise_mobile(field.data)
        except InvalidPhone as exc:
            raise ValidationError(messages.PHONE[exc.code]) from None

    def validate_email(self, field):
        if field.data and len(field.data) > 254:
            raise ValidationError(BAD_EMAIL)


class StepForm(FlaskForm):
    # "review" when the person came from the review screen and should go back there.
    back_to = HiddenField()


class ConsentForm(StepForm):
    agree = HiddenField()

    def validate_agree(self, field):
        if field.data != "yes":
            raise ValidationError(_l("Pendaftaran hanya bisa dilanjutkan jika Anda setuju."))
