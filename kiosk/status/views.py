"""Public status page: progress, masked identity, programs; nothing decrypted."""

from urllib.parse import quote

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from kiosk import clock
from kiosk.labels import BUSINESS_KINDS, FIX_SECTION_LABELS, PAYMENT_CHANNELS, PLACES, STATUS_LABELS
from kiosk.lookups import by_token_or_404
from kiosk.models import Business, Registration
from kiosk.services.paying import facts_for
from kiosk.services.person import mask_name
from kiosk.services.rules import load_rules
from kiosk.status import bp
from kiosk.web.extensions import limiter

PROGRESS = ("submitted", "verified", "active")
NEXT_STEPS = {
    "submitted": _l("Petugas akan memeriksa data Anda. Anda tidak perlu melakukan apa-apa sekarang."),
    "verified": _l("Data Anda sudah diperiksa. Tunggu nomor kepesertaan (KPJ) dari BPJS Ketenagakerjaan."),
    "active": _l("Anda sudah terlindungi. Bayar iuran paling lambat tanggal 15 setiap bulan agar tetap aktif."),
    "needs_fix": _l("Ada data yang perlu diperbaiki. Bawa KTP Anda ke kios atau temui petugas."),
    "rejected": _l("Pendaftaran tidak dapat diproses. Alasannya tertulis di atas. Tanyakan petugas bila perlu."),
}

# A worker registered by a business (kind "pu"): the employer pays every month, deducting the worker's
# share from the wage, and a fix goes through the employer (a worker has no reprint by mother's name).
WORKER_NEXT_STEPS = {
    **NEXT_STEPS,
    "active": _l("Anda sudah terlindungi. Pemberi kerja membayar iuran setiap bulan; bagian Anda dipotong dari upah."),
    "needs_fix": _l("Ada data yang perlu diperbaiki. Sampaikan ke pemberi kerja Anda, atau temui petugas dengan "
                    "membawa KTP."),
}
PU_PROGRAMS = ("JKK", "JKM", "JHT", "JP", "JKP")


def worker_context(registration: Registration) -> dict:
    """What a business's worker sees besides a walk-in's: who registered them, programs, who pays what.

    Only the business's name and kind: the business's own page (/u/) is its owner's, never linked here.
    """
    business = (Business.select(Business.name, Business.kind)
                .where(Business.id == registration.business_id).first()) if registration.business_id else None
    programs = [p for p in (registration.programs or "").split(",") if p in PU_PROGRAMS]
    return {
        "employer_name": business.name if business else None,
        "employer_kind": BUSINESS_KINDS.get(business.kind) if business else None,
        "programs": programs,
    }


@bp.get("/s/<token>")
@limiter.limit(lambda: current_app.config["STATUS_LIMIT"])
def show(token):
    """Show an application's progress to whoever holds its receipt (plus the staff panel to staff)."""
    return render_status(by_token_or_404(Registration, token))


def render_status(registration, *, status: int = 200, **panel_options):
    from kiosk.panels.application import panel_context

    base = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
    url = base.rstrip("/") + url_for("status.show", token=registration.token)
    share_text = _("Status pendaftaran BPJS Ketenagakerjaan saya: %(url)s", url=url)
    current = registration.status
    step_index = PROGRESS.index(current) if current in PROGRESS else (0 if current == "needs_fix" else None)
    worker = worker_context(registration) if registration.kind == "pu" else None
    return render_template(
        "status/show.html", title=_("Status pendaftaran"), registration=registration, worker=worker,
        masked_name=mask_name(registration.full_name), label=STATUS_LABELS.get(current, current),
        labels=STATUS_LABELS, progress=PROGRESS, step_index=step_index,
        next_step=(WORKER_NEXT_STEPS if worker else NEXT_STEPS).get(current),
        status_url=url, whatsapp_url="https://wa.me/?text=" + quote(share_text, safe=""),
        fix_labels=[FIX_SECTION_LABELS[s] for s in (registration.fix_sections or "").split(",")
                    if s in FIX_SECTION_LABELS]
        if current == "needs_fix" else [],
        panel=panel_context(registration, **panel_options) if current_user.is_authenticated else None,
        paying=paying_context() if current == "active" and not worker else None,
    ), status


def paying_context() -> dict:
    """How an active self-employed member pays, from the dated facts (paying.toml) and rules (rules.toml)."""
    today = clock.today()
    bpu = load_rules().bpu_for(today)
    return {"facts": facts_for(today), "due_day": bpu.payment_due_day,
            "inactive_after": bpu.inactive_after_unpaid_months,
            "channel_labels": PAYMENT_CHANNELS, "place_labels": PLACES}
