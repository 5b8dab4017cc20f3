"""A worker registered by a business opens their own receipt's /s/<token>: who registered them, the
programs the business's size gives, and who pays what each month (their share from the wage)."""

import datetime as dt
import re

import pytest

from kiosk.models import Business, Registration
from kiosk.services.rules import load_rules
from kiosk.services.rupiah import format_rupiah as rupiah
from kiosk.services.wage_contributions import quote_worker
from tests.factories import make_business
from tests.flows import FEMALE_NIK, OWNER, WORKERS, register, register_business


def worker_page(client, worker):
    response = client.get(f"/s/{worker.token}")
    assert response.status_code == 200
    return response, response.data.decode()


def dd(html, element_id):
    """The text of one <dd id=...> of the page, spaces collapsed."""
    match = re.search(rf'<dd id="{element_id}">(.*?)</dd>', html, re.S)
    assert match, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.fixture
def kiosk_business(client):
    """Toko Maju Jaya (UMKM, kecil, JKK risk group 1) with three workers, registered at the kiosk."""
    _receipt, token = register_business(client)
    return Business.get(Business.token == token)


def workers_of(business):
    return list(Registration.select().where(Registration.business == business.id).order_by(Registration.id))


def test_a_worker_sees_who_registered_them_and_the_split_of_their_contribution(app, kiosk_business):
    worker = workers_of(kiosk_business)[0]
    response, html = worker_page(app.test_client(), worker)
    assert dd(html, "worker-employer") == "Toko Maju Jaya (UMKM)"
    assert dd(html, "worker-programs") == "JKK + JKM + JHT"
    quote = quote_worker(2_500_000, scale="kecil", risk_group=1, day=dt.date.today(), rules=load_rules())
    assert quote.worker > 0 and quote.employer > quote.worker
    assert dd(html, "worker-share") == f"{rupiah(quote.worker)} estimasi".replace("\xa0", " ")
    assert dd(html, "employer-share") == f"{rupiah(quote.employer)} estimasi".replace("\xa0", " ")
    assert dd(html, "worker-total") == f"{rupiah(quote.total)} estimasi".replace("\xa0", " ")
    assert "Bagian Anda per bulan (dipotong dari upah)" in html
    assert "Bagian pemberi kerja per bulan (dibayar usaha)" in html
    # The walk-in's single line is not there: the worker's page splits it.
    assert "Iuran per bulan" not in html


def test_a_worker_page_masks_like_a_walk_in_and_links_to_no_business_page(app, kiosk_business):
    worker = workers_of(kiosk_business)[0]
    response, html = worker_page(app.test_client(), worker)
    assert "B*** S***" in html and "Budi" not in html and "Santoso" not in html
    assert "*" * 12 + WORKERS[0]["nik"][-4:] in html and WORKERS[0]["nik"][:4] + "****" not in html
    assert WORKERS[0]["nik"] not in html
    assert "2.500.000" not in html  # the wage is the worker's own business, not the page's
    # Nothing of the owner, and no way to the business's own page (it is the owner's).
    assert OWNER["full_name"] not in html and "S*** R***" not in html and FEMALE_NIK not in html
    assert kiosk_business.token not in html and "/u/" not in html and kiosk_business.receipt_code not in html
    assert "Kasir" not in html  # nor the job the owner typed
    assert response.headers["Cache-Control"] == "no-store" and "noindex" in response.headers["X-Robots-Tag"]


@pytest.mark.parametrize("scale, programs", [("mikro", "JKK + JKM"), ("kecil", "JKK + JKM + JHT"),
                                              ("menengah", "JKK + JKM + JHT + JP")])
def test_programs_follow_the_business_size(app, scale, programs):
    business = make_business(app, scale=scale)
    worker = workers_of(business)[1]  # Agus Santoso, Rp 3.000.000
    _response, html = worker_page(app.test_client(), worker)
    assert dd(html, "worker-programs") == programs
    assert dd(html, "worker-share") == f"{rupiah(worker.worker_contribution)} estimasi".replace("\xa0", " ")
    if scale == "mikro":  # the employer alone pays JKK and JKM
        assert worker.worker_contribution == 0 and dd(html, "worker-share").startswith("Rp 0")
    if scale == "menengah":  # JP adds a worker share on top of JHT's
        kecil = quote_worker(3_000_000, scale="kecil", risk_group=2, day=dt.date(2026, 1, 5), rules=load_rules())
        assert worker.worker_contribution > kecil.worker


def test_a_koperasi_member_sees_the_koperasi(app):
    business = make_business(app, kind="koperasi", name="Koperasi Tani Makmur")
    _response, html = worker_page(app.test_client(), workers_of(business)[0])
    assert dd(html, "worker-employer") == "Koperasi Tani Makmur (Koperasi)"


def test_next_steps_speak_of_the_employer(app, kiosk_business):
    worker = workers_of(kiosk_business)[0]
    client = app.test_client()
    Registration.update(status="active", kpj="12345678901").where(Registration.id == worker.id).execute()
    _response, html = worker_page(client, worker)
    assert "12345678901" in html and "Pemberi kerja membayar iuran setiap bulan" in html
    assert "tanggal 15" not in html  # a walk-in pays by the 15th themself; a worker does not
    Registration.update(status="needs_fix", kpj=None, status_reason="NIK tidak terbaca").where(
        Registration.id == worker.id).execute()
    _response, html = worker_page(client, worker)
    assert "NIK tidak terbaca" in html and "Sampaikan ke pemberi kerja Anda" in html


def test_a_walk_in_page_is_as_before(client):
    _receipt, token = register(client)
    html = client.get(f"/s/{token}").data.decode()
    assert "JKK + JKM + JHT" in html and "Iuran per bulan" in html
    assert "Didaftarkan oleh" not in html and "Bagian Anda" not in html and 'id="worker-share"' not in html


def test_a_business_name_with_markup_is_shown_as_text(app):
    business = make_business(app, name='<script>alert("kj")</script> & "Toko" <b>')
    _response, html = worker_page(app.test_client(), workers_of(business)[0])
    assert "<script>alert" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;kj&#34;)&lt;/script&gt; &amp; &#34;Toko&#34; &lt;b&gt;" in html


def test_a_worker_whose_business_row_is_gone_still_sees_programs_and_shares(app, kiosk_business):
    worker = workers_of(kiosk_business)[0]
    Registration.update(business=None).where(Registration.id == worker.id).execute()
    _response, html = worker_page(app.test_client(), worker)
    assert 'id="worker-employer"' not in html and "Toko Maju Jaya" not in html
    assert dd(html, "worker-programs") == "JKK + JKM + JHT" and 'id="worker-share"' in html


def test_the_worker_page_in_english_names_who_registered_them(app, kiosk_business):
    worker = workers_of(kiosk_business)[0]
    client = app.test_client()
    client.post("/bahasa", data={"lang": "en", "next": f"/s/{worker.token}"})
    _response, html = worker_page(client, worker)
    assert "Registered by" in html and dd(html, "worker-employer") == "Toko Maju Jaya (UMKM)"
