"""Walking a client through the screens: a complete, valid walk-in and business as typed, the walkers that send
them step by step, and a staff sign-in through the real form."""

import re

from kiosk.models import StaffUser
from tests.factories import PASSWORD, make_staff

VALID_NIK = "3578011708850003"  # Surabaya / Karang Pilang, male, 17-08-1985 (domain.md)
FEMALE_NIK = "3578265708850001"

IDENTITY = {"nik": VALID_NIK, "full_name": "Moh. Syafi'i", "birth_place": "Surabaya",
            "mother_name": "Siti Aminah"}
CONTACT = {"phone": "0812 3456 7890", "email": "", "address": "Jl. Kebraon Indah 5, RT 02/RW 03",
           "province": "35", "regency": "35.78", "district": "35.78.01", "village": "35.78.01.1001"}
WORK = {"occupation": "tukang_becak", "work_province": "35", "work_regency": "35.78", "income": "1.500.000"}
PROGRAM = {"package": "jht", "period": "3"}


def start_visit(client):
    client.post("/daftar")
    response = client.post("/daftar/persetujuan", data={"agree": "yes"})
    assert response.status_code == 303, response.data
    return response


def fill_all(client, identity=None, contact=None, work=None, program=None):
    """Walk a fresh visit through every step up to Review; return the last response."""
    start_visit(client)
    for url, data in (("/daftar/identitas", {**IDENTITY, **(identity or {})}),
                      ("/daftar/kontak", {**CONTACT, **(contact or {})}),
                      ("/daftar/pekerjaan", {**WORK, **(work or {})}),
                      ("/daftar/program", {**PROGRAM, **(program or {})})):
        response = client.post(url, data=data)
        assert response.status_code == 303, (url, response.data.decode()[:2000])
    return response


def register(client, **sections):
    """Complete a registration; return (receipt response, status token)."""
    fill_all(client, **sections)
    response = client.post("/daftar/kirim")
    assert response.status_code == 303 and response.location.endswith("/tanda-terima")
    receipt = client.get("/tanda-terima")
    return receipt, token_of(receipt.data.decode())


def token_of(html: str) -> str | None:
    match = re.search(r'class="receipt-url mono">[^<]*/s/([A-Za-z0-9_-]+)<', html)
    return match.group(1) if match else None


# --- A business (UMKM) registering its workers (kiosk.business) ---------------------------------------

def pu_worker_nik(serial: int) -> str:
    """A valid NIK (Surabaya / Karang Pilang, male, 17-08-1985) with this serial; 1001+ stays clear of VALID_NIK."""
    return f"357801170885{serial:04d}"


BUSINESS = {"kind": "umkm", "nib": "9120 0011 22334", "name": "Toko Maju Jaya", "scale": "kecil",
            "sector": "perdagangan", "address": "Jl. Pasar Wonokromo 12", "province": "35", "regency": "35.78",
            "district": "35.78.01", "village": "35.78.01.1001"}
OWNER = {"nik": FEMALE_NIK, "full_name": "Siti Rahayu", "phone": "0813 1111 2222", "email": ""}
WORKERS = [
    {"nik": pu_worker_nik(1001), "full_name": "Budi Santoso", "wage": "2.500.000", "job": "Kasir"},
    {"nik": pu_worker_nik(1002), "full_name": "Dewi Lestari", "wage": "3000000", "job": "Penjahit"},
    {"nik": pu_worker_nik(1003), "full_name": "Agus Prasetyo", "wage": "Rp 2.200.000", "job": "Sopir"},
]
PU_PROGRAM = {"scale": "kecil", "risk_group": "1"}


def start_business(client):
    client.post("/usaha")
    response = client.post("/usaha/persetujuan", data={"agree": "yes"})
    assert response.status_code == 303 and response.location.endswith("/usaha/data"), response.data
    return response


def fill_business(client, business=None, owner=None, workers=None, program=None):
    """Walk a fresh business visit up to Review (workers added one by one; with none, up to the workers step)."""
    start_business(client)
    for url, data in (("/usaha/data", {**BUSINESS, **(business or {})}),
                      ("/usaha/pemilik", {**OWNER, **(owner or {})})):
        response = client.post(url, data=data)
        assert response.status_code == 303, (url, response.data.decode()[:2000])
    workers = WORKERS if workers is None else workers
    for worker in workers:
        response = client.post("/usaha/pekerja/tambah", data=worker)
        assert response.status_code == 303, response.data.decode()[:3000]
    if not workers:  # stays on the workers step
        return response
    for url, data in (("/usaha/pekerja", {}), ("/usaha/program", {**PU_PROGRAM, **(program or {})})):
        response = client.post(url, data=data)
        assert response.status_code == 303, (url, response.data.decode()[:3000])
    return response


def register_business(client, **sections):
    """Complete a business registration; return (receipt response, business status token)."""
    fill_business(client, **sections)
    response = client.post("/usaha/kirim")
    assert response.status_code == 303 and response.location.endswith("/usaha/tanda-terima"), response.data
    receipt = client.get("/usaha/tanda-terima")
    match = re.search(r'id="business-url">[^<]*/u/([A-Za-z0-9_-]+)<', receipt.data.decode())
    return receipt, match.group(1) if match else None


def sign_in(client, role: str, username: str | None = None):
    """Create a staff user of role (if needed) and sign client in; return the user."""
    name = username or f"{role}-test"
    user = StaffUser.get_or_none(StaffUser.username == name) or make_staff(role, name)
    response = client.post("/staff/masuk", data={"username": name, "password": PASSWORD})
    assert response.status_code == 303, response.data.decode()[:500]
    return user
