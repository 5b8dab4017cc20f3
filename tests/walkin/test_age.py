"""Age from the NIK against the rules table: a bound the table marks unconfirmed lets a person register and warns
staff first on the panel; a confirmed bound refuses at the identity step, with a clear message and what was typed
kept."""

import datetime as dt
import re
import tomllib

import pytest

from kiosk.models import Registration
from kiosk.services.eligibility import age_on, bpu_age
from kiosk.services.rules import DEFAULT_RULES_PATH, load_rules, rulebook_from_dict
from tests.flows import IDENTITY, register, sign_in, start_visit
from tests.test_clock import freeze

SIX_YEARS_OLD = "3578011708200001"  # Surabaya, male, born 17-08-2020


@pytest.mark.parametrize("born, age, outside", [
    (dt.date(2011, 12, 8), 15, False), (dt.date(2011, 12, 9), 14, True),
    (dt.date(1966, 12, 8), 60, False), (dt.date(1965, 12, 8), 61, True),
])
def test_the_bpu_bounds_count_full_years(born, age, outside):
    day = dt.date(2026, 12, 8)
    check = bpu_age(born, day, load_rules().bpu_for(day))
    assert (age_on(born, day), check.outside, check.confirmed) == (age, outside, False)  # 15-60 is unconfirmed


def test_a_child_registers_under_an_unconfirmed_bound_and_staff_are_warned_first(app, client, monkeypatch):
    freeze(monkeypatch, "2026-12-08T03:00:00")
    _receipt, token = register(client, identity={"nik": SIX_YEARS_OLD})
    desk = app.test_client()
    sign_in(desk, "petugas")
    html = desk.get(f"/s/{token}").data.decode()
    first_warning = re.search(r'<p class="warning">([^<]*)</p>', html).group(1)
    assert first_warning.startswith("Umur menurut NIK 6 tahun, di luar batas 15–60 tahun untuk peserta mandiri "
                                    "(batas belum pasti).")


def confirmed_rules():
    with open(DEFAULT_RULES_PATH, "rb") as fh:
        data = tomllib.load(fh)
    for entry in data["bpu"]:
        entry["unconfirmed"] = [key for key in entry.get("unconfirmed", []) if key not in ("min_age", "max_age")]
    return rulebook_from_dict(data)


def test_a_confirmed_bound_refuses_at_the_identity_step(client, monkeypatch):
    freeze(monkeypatch, "2026-12-08T03:00:00")
    book = confirmed_rules()
    monkeypatch.setattr("kiosk.walkin.forms.load_rules", lambda: book)
    start_visit(client)
    response = client.post("/daftar/identitas", data={**IDENTITY, "nik": SIX_YEARS_OLD})
    html = response.data.decode()
    assert response.status_code == 422
    assert "Menurut NIK, umur Anda 6 tahun. Pendaftaran mandiri untuk umur 15–60 tahun." in html
    assert f'value="{SIX_YEARS_OLD}"' in html and Registration.select().count() == 0


def test_a_worker_under_the_pu_minimum_is_flagged_for_staff(app, monkeypatch):
    from tests.factories import make_business, make_worker

    freeze(monkeypatch, "2026-12-08T03:00:00")
    business = make_business(app, workers=())
    worker = make_worker(app, business, nik="3578011708100002", full_name="Budi Muda", wage=1_500_000, job="Kasir")
    desk = app.test_client()
    sign_in(desk, "petugas")
    html = desk.get(f"/s/{worker.token}").data.decode()
    first_warning = re.search(r'<p class="warning">([^<]*)</p>', html).group(1)
    assert first_warning.startswith("Umur pekerja menurut NIK 16 tahun, di bawah 18 tahun (batas belum pasti).")
