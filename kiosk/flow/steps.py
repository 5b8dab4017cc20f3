"""What the kiosk's step-by-step flows (walk-in, business) share: the order of the steps, where a visit
may be, and the views that are the same in both (start, consent).

Each flow describes itself with one Flow; its views ask it where to send the person.
"""

from flask import abort, current_app, make_response, request, session
from flask_babel import gettext as _

from kiosk import drafts
from kiosk.flow import unavailable
from kiosk.flow.visit import wipe
from kiosk.forms import ConsentForm
from kiosk.kiosks import current_kiosk
from kiosk.models import utcnow
from kiosk.web.navigation import see_other


class Flow:
    """A flow's answer steps in order (step -> endpoint), then review; and where a visit goes when it
    has none (welcome) or has already submitted (receipt)."""

    def __init__(self, endpoints: dict, *, visit, submitted: str, review: str, receipt: str, render,
                 step_screen=None, retry_screen=None):
        self.endpoints = endpoints
        self.visit = visit  # the flow's visit module: current() and start()
        self.submitted = submitted  # the visit's attribute naming what it submitted
        self.review = review
        self.receipt = receipt
        self.render = render  # the flow's render_screen
        # Without the database (kiosk.flow.unavailable): the steps drawn from the form alone, and the rest.
        self.step_screen = step_screen or (lambda endpoint: None)
        self.retry_screen = retry_screen or (lambda endpoint: None)
        self.numbers = {step: n for n, step in enumerate([*endpoints, "review"], start=1)}

    def detour(self, current, step: str):
        """Where this person should be instead of step (a redirect), or None. A flow may add its own rules."""
        if current is None:
            return see_other("walkin.welcome")
        if getattr(current, self.submitted):
            return see_other(self.receipt)
        missing = current.first_missing_step()
        order = list(self.numbers)
        if missing and order.index(missing) < order.index(step):
            return see_other(self.endpoints[missing])
        return None

    def visit_at(self, step: str, *, fragment: bool = False):
        """Return the visit, or abort with the redirect to where this person should be instead (a fragment
        asked for out of turn gets an empty 204: htmx leaves the screen as it is)."""
        current = self.visit.current()
        detour = self.detour(current, step)
        if detour is not None:
            abort(make_response("", 204) if fragment else detour)
        return current

    def visit_for_submit(self):
        """Return the visit, or abort with a redirect when it cannot be submitted (none, already done,
        incomplete)."""
        return self.visit_at("review")  # every answer step comes before review

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

    def database_unavailable(self, exc):
        """The flow's answer when the database is away: a step POST keeps what the person typed."""
        return unavailable.keep_what_was_typed(exc, step_screen=self.step_screen, retry_screen=self.retry_screen,
                                               context=self.context)

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
        body, status = self.render("notice.html", status=429, title=_("Tunggu sebentar"), message=_(
            "Banyak pendaftaran dimulai dari kios ini dalam waktu singkat. Tunggu beberapa menit lalu coba "
            "lagi, atau minta bantuan petugas."))
        return make_response(body, status)

    def nik_refused(self, exc):
        """The answer when the register was not asked (kiosk.flow.nik_lookups): a visit that found too many
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
        body, status = self.render("notice.html", status=429, title=title, message=message)
        return make_response(body, status)

    def consent(self, template: str):
        """Explain what is collected and why; go on only with consent."""
        current = self.visit_at("consent")
        form = ConsentForm(back_to=request.args.get("kembali"))
        if form.validate_on_submit():
            current.save("consent", {"version": current_app.config["CONSENT_VERSION"],
                                     "at": utcnow().isoformat(timespec="seconds")})
            return self.next_after(current, "consent", form)
        return self.render(template, status=422 if form.errors else 200,
                           title=_("Persetujuan data pribadi"), form=form, **self.context("consent", current))
