"""Businesses in the hostile suite: a business visit at each step, a business at the staff desk, and every
business POST endpoint with valid fields.

The flow's steps and their fields come from tests/business/test_business_hostile.py (which sends the CORE entries
to each of them); this module only adds what that file does not reach: the consent and start posts,
the list's own POST, the submit, the upload and the desk's business action and reveal.
"""

from __future__ import annotations

from kiosk.businesses import worker_states
from kiosk.db import db
from kiosk.models import Business, Registration
from kiosk.services.business_workflow import workers_fingerprint
from tests.business.test_business_hostile import FORMS as FLOW_FORMS, at_stage as flow_at_stage
from tests.factories import make_business
from tests.flows import WORKERS, fill_business, pu_worker_nik

# A listed row being fixed (row 2 of the flow's three workers).
FIX_FORM = {**WORKERS[1], "row": "2"}
# The desk's business action; version and workers (the fingerprint) are filled in from the database.
CHANGE_FORM = {"action": "verify", "version": None, "workers": None, "reason": "Dokumen NIB tidak terbaca.",
               "next": ""}
QUEUE_PARAMS = ["status", "kind", "scale", "event", "regency", "from", "to", "q", "page"]
# Workers of the visit that submits: submitting takes their NIKs, which must not be the other stages'.
SUBMIT_WORKERS = [{"nik": pu_worker_nik(2001 + n), "full_name": name, "wage": "2.400.000", "job": "Kasir"}
                  for n, name in enumerate(("Rina Wati", "Joko Susilo"))]


def at_business_stage(app, stage: str):
    """A client whose business visit is at stage: consent, business, owner, workers, program (every step
    answered, the flow's workers), or review (every step answered, with SUBMIT_WORKERS)."""
    client = app.test_client()
    if stage == "consent":
        client.post("/usaha")
        return client
    if stage == "review":
        fill_business(client, workers=SUBMIT_WORKERS)
        return client
    return flow_at_stage(app, stage)


def desk_business(app, **fields) -> Business:
    """A business with three workers at the desk (owner and workers clear of the flow's NIKs)."""
    return make_business(app, name="UD Uji Tahan", **fields)


def change_form(app, business: Business, **override) -> dict:
    """CHANGE_FORM with the business's current version and workers fingerprint, as its desk page has them."""
    with app.app_context():
        db.connect(reuse_if_open=True)
        current = Business.get_by_id(business.id)
        values = {**CHANGE_FORM, "version": str(current.version),
                  "workers": workers_fingerprint(worker_states(current))}
        db.close()
    return {**values, **override}


def reset_business(app, business: Business) -> None:
    """Put the business and its workers back to Diterima (so every action can be tried again)."""
    with app.app_context():
        db.connect(reuse_if_open=True)
        with db.atomic():
            (Business.update(status="submitted", status_reason=None, version=Business.version + 1)
             .where(Business.id == business.id).execute())
            (Registration.update(status="submitted", status_reason=None, kpj=None,
                                 version=Registration.version + 1)
             .where(Registration.business == business.id).execute())
        db.close()


def business_post_endpoints(app, supervisor) -> list:
    """(client, url, valid fields) for every business POST endpoint, each client at the stage it needs;
    supervisor: a signed-in supervisor's client for the desk's business actions."""
    business = desk_business(app)
    clients = {stage: at_business_stage(app, stage) for stage in ("consent", "business", "owner", "workers")}
    endpoints = [(app.test_client(), "/usaha", {"junk": ""}),
                 (clients["consent"], "/usaha/persetujuan", {"agree": "yes", "back_to": ""})]
    for url, stage, fields, _mutating in FLOW_FORMS.values():
        # The steps after the list each get their own visit: removing a row must not starve the others.
        client = clients[stage] if stage in clients else at_business_stage(app, stage)
        endpoints.append((client, url, dict(fields)))
    endpoints += [(at_business_stage(app, "program"), "/usaha/pekerja", {"back_to": ""}),
                  (at_business_stage(app, "program"), "/usaha/pekerja/ubah", dict(FIX_FORM)),
                  (clients["workers"], "/usaha/pekerja/unggah", {"back_to": ""}),
                  (at_business_stage(app, "review"), "/usaha/kirim", {"junk": ""}),
                  (supervisor, f"/staff/usaha/{business.token}/status", change_form(app, business)),
                  (supervisor, f"/staff/usaha/{business.token}/data", {}),
                  (supervisor, f"/staff/usaha/{business.token}/ekspor.csv", {}),
                  (supervisor, f"/staff/usaha/{business.token}/ekspor.xlsx", {}),
                  (supervisor, "/staff/usaha/ekspor.csv", {}),
                  (supervisor, "/staff/usaha/ekspor.xlsx", {})]
    return endpoints
