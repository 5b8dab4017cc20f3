"""Test data: a complete, valid walk-in and helpers that walk a client through the steps."""

import re

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
