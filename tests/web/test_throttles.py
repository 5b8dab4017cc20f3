"""Limits a client cannot reset: attacks that change the kiosk cookie or the address on every request, or
spread guesses of one person's mother's name over many clients, are refused all the same."""

import secrets

from kiosk.models import Draft
from tests.factories import make_staff
from tests.flows import IDENTITY, VALID_NIK, register

WRONG = {"nik": VALID_NIK, "mother_name": "Sri Wahyuni"}


def made_up_cookie(client):
    client.set_cookie("kiosk", secrets.token_urlsafe(30) + "." + secrets.token_urlsafe(20))


def from_address(n):
    return {"REMOTE_ADDR": f"198.51.{n // 250}.{n % 250 + 1}"}


def test_a_new_made_up_kiosk_cookie_per_try_does_not_reset_the_reprint_limit(client):
    register(client)
    codes = []
    for _ in range(25):
        made_up_cookie(client)
        codes.append(client.post("/cek", data=WRONG).status_code)
    assert codes[:5] == [422] * 5 and set(codes[5:]) == {429}


def test_a_new_made_up_kiosk_cookie_per_view_does_not_reset_the_status_limit(app, client):
    app.config["STATUS_LIMIT"] = "60 per day"  # a per-minute window could end mid-test and start afresh
    _, token = register(client)
    codes = []
    for _ in range(70):
        made_up_cookie(client)
        codes.append(client.get(f"/s/{token}").status_code)
    assert codes.count(200) == 60 and set(codes[60:]) == {429}


def test_a_new_made_up_kiosk_cookie_per_try_does_not_reset_the_sign_in_limit(client):
    make_staff("petugas")
    codes = []
    for _ in range(30):
        made_up_cookie(client)
        codes.append(client.post("/staff/masuk", data={"username": "petugas-test", "password": "salah"}).status_code)
    assert 429 in codes[:6] and set(codes[6:]) == {429}


def test_guesses_of_one_mothers_name_from_many_clients_lock_that_nik(app):
    register(app.test_client())
    guesses = ["Siti Aminah" if n == 7 else f"Nama Tebakan {n}" for n in range(12)]
    answers = []
    for n, guess in enumerate(guesses):
        client = app.test_client()  # a new client, cookie and address for every guess
        response = client.post("/cek", data={"nik": VALID_NIK, "mother_name": guess}, environ_base=from_address(n))
        answers.append(response.status_code)
    # Five wrong guesses, then even the right name is refused: the person goes to the desk with the KTP.
    assert answers[:5] == [422] * 5 and set(answers[5:]) == {429}
    page = app.test_client().post("/cek", data={"nik": VALID_NIK, "mother_name": "Siti Aminah"},
                                  environ_base=from_address(99)).data.decode()
    assert "minta bantuan petugas" in page
    assert Draft.select().count() == 1  # only the registration's own visit: no reprint visit was opened


def test_another_nik_is_not_locked_by_guesses_at_one(app):
    register(app.test_client())
    other = app.test_client()
    register(other, identity={"nik": "3578104102000002", "sex": ""})
    for n in range(6):
        app.test_client().post("/cek", data=WRONG, environ_base=from_address(n))
    response = app.test_client().post("/cek", data={"nik": "3578104102000002", "mother_name": IDENTITY["mother_name"]},
                                      environ_base=from_address(50))
    assert response.status_code == 303


def test_failed_reprints_from_everyone_together_hit_a_ceiling(app):
    app.config["REPRINT_FAILURE_CEILING"] = "10 per hour"
    register(app.test_client())
    codes = []
    for n in range(14):
        nik = f"35780117088500{n + 10:02d}"  # a different, unregistered NIK each time
        codes.append(app.test_client().post("/cek", data={"nik": nik, "mother_name": "X"},
                                            environ_base=from_address(n)).status_code)
    assert codes[:10] == [422] * 10 and set(codes[10:]) == {429}
    response = app.test_client().post("/cek", data={"nik": VALID_NIK, "mother_name": IDENTITY["mother_name"]},
                                      environ_base=from_address(77))
    assert response.status_code == 429


def test_the_reprint_screen_never_shows_the_nik_and_the_mothers_name_together(client):
    register(client)
    page = client.post("/cek", data=WRONG).data.decode()
    assert VALID_NIK in page  # what was typed is kept where it is not a secret
    assert WRONG["mother_name"] not in page


HTMX_SCREEN = {"HX-Request": "true", "HX-Target": "screen", "HX-Current-URL": "http://localhost/cek"}


def test_failed_reprints_sent_as_htmx_swaps_count_too(client):
    """The kiosk's own screen posts as htmx, which gets its wrong-answer screen with a 200."""
    codes = []
    for n in range(8):
        nik = f"35780117088500{n + 30:02d}"  # a different NIK each time: only the per-client limit applies
        codes.append(client.post("/cek", data={"nik": nik, "mother_name": "X"}, headers=HTMX_SCREEN).status_code)
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}


def test_addresses_of_one_ipv6_subscriber_share_a_limit(app):
    codes = []
    for n in range(8):
        address = {"REMOTE_ADDR": f"2001:db8:1234:5678::{n + 1:x}"}  # a new address in the same /64 each time
        nik = f"35780117088500{n + 40:02d}"
        codes.append(app.test_client().post("/cek", data={"nik": nik, "mother_name": "X"},
                                            environ_base=address).status_code)
    assert codes[:5] == [422] * 5 and set(codes[5:]) == {429}
