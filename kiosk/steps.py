"""What the kiosk's step-by-step flows (walk-in, business) share: the order of the steps, where a visit
may be, and the views that are the same in both (start, consent).

Each flow describes itself with one Flow; its views ask it where to send the person.
"""

from flask import current_app, make_response, redirect, request, session, url_for
from flask_babel import gettext as _

from kiosk import drafts
from kiosk.kiosks import current_kiosk
from kiosk.models import utcnow
from kiosk.walkin.forms import ConsentForm
from kiosk.walkin.visit import wipe


def see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


class Flow:
    """A flow's answer steps in order (step -> endpoint), then review; and where a visit goes when it
    has none (welcome) or has already submitted (receipt)."""

    def __init__(self, endpoints: dict, *, visit, submitted: str, review: str, receipt: str, render):
        self.endpoints = endpoints
        self.visit = visit  # the flow's visit module: current() and start()
        self.submitted = submitted  # the visit's attribute naming what it submitted
        self.review = review
        self.receipt = receipt
        self.render = render  # the flow's render_screen
        self.numbers = {step: n for n, step in enumerate([*endpoints, "review"], start=1)}

    def require_visit(self, step: str):
        """Return the visit, or a redirect to where this person should be instead."""
        current = self.visit.current()
        if current is None:
            return None, see_other("walkin.welcome")
        if getattr(current, self.submitted):
            return None, see_other(self.receipt)
        missing = current.first_missing_step()
        order = list(self.numbers)
        if missing and order.index(missing) < order.index(step):
            return None, see_other(self.endpoints[missing])
        return current, None

    def submit_detour(self):
        """Return the visit, or a redirect when it cannot be submitted (none, already done, incomplete)."""
        current = self.visit.current()
        if current is None:
            return None, see_other("walkin.welcome")
        if getattr(current, self.submitted):
            return None, see_other(self.receipt)
        if current.first_missing_step():
            return None, see_other(self.endpoints[current.first_missing_step()])
        return current, None

    def next_after(self, current, step: str, form):
        """Go to the next step, or back to review when the edit came from there and all is answered."""
        if form.back_to.data == "periksa" and current.first_missing_step() is None:
            return see_other(self.review)
        order = list(self.endpoints)
        following = order[order.index(step) + 1] if step != order[-1] else None
        return see_other(self.endpoints[following]) if following else see_other(self.review)

    def context(self, step: str, current=None, **extra):
        """The step counter every step template shows ("step 2 of 6")."""
        return {"step": step, "step_number": self.numbers[step], "total_steps": len(self.numbers), **extra}

    # --- Views that are the same in each flow ---

    def start(self):
        """Begin a fresh visit of this flow and go to its consent screen."""
        drafts.purge_now_and_then()
        lang = session.get("lang")
        self.visit.start(kiosk=current_kiosk())
        if lang:  # the language chosen on the welcome screen carries into the visit
            session["lang"] = lang
        return see_other(self.endpoints["consent"])

    def too_many_starts(self, _limit=None):
        """The answer once this kiosk/IP started VISIT_START_LIMIT visits (Flask-Limiter's on_breach): the
        flow's own screen, so an htmx tap on Daftar shows it too (htmx swaps no 429)."""
        body, status = self.render("_notice.html", status=429, title=_("Tunggu sebentar"), message=_(
            "Banyak pendaftaran dimulai dari kios ini dalam waktu singkat. Tunggu beberapa menit lalu coba "
            "lagi, atau minta bantuan petugas."))
        return make_response(body, status)

    def nik_refused(self, exc):
        """The answer when the register was not asked (kiosk.nik_lookups): a visit that found too many
        registered NIKs is wiped and must start over; a kiosk/IP past its lookups waits."""
        if exc.visit_ended:
            wipe()
            title, message = _("Mulai lagi dari awal"), _(
                "Beberapa NIK yang diisi dalam kunjungan ini sudah terdaftar. Demi keamanan data pribadi, "
                "kunjungan ini diakhiri dan isiannya dihapus. Mulai lagi dari awal, atau minta bantuan "
                "petugas dengan membawa KTP.")
        else:
            title, message = _("Tunggu sebentar"), _(
                "Terlalu banyak NIK diperiksa dari kios ini dalam waktu singkat. Tunggu sebentar lalu coba "
                "lagi, atau minta bantuan petugas.")
        body, status = self.render("_notice.html", status=429, title=title, message=message)
        return make_response(body, status)

    def consent(self, template: str):
        """Explain what is collected and why; go on only with consent."""
        current, detour = self.require_visit("consent")
        if detour:
            return detour
        form = ConsentForm(back_to=request.args.get("kembali"))
        if form.validate_on_submit():
            current.save("consent", {"version": current_app.config["CONSENT_VERSION"],
                                     "at": utcnow().isoformat(timespec="seconds")})
            return self.next_after(current, "consent", form)
        return self.render(template, status=422 if form.errors else 200,
                           title=_("Persetujuan data pribadi"), form=form, **self.context("consent", current))
