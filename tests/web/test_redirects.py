"""Redirect targets taken from input (next=): only paths on this site, and never a 500 whatever is sent."""

import pytest

from kiosk.web.navigation import safe_next
from tests.factories import PASSWORD, make_business, make_staff
from tests.flows import sign_in
from tests.staff.test_staff_business import form_values, page

HOSTILE_NEXT = [
    "/\r\nSet-Cookie: planted=1", "/a\rb", "/a\nb", "\r\n", "/%0d%0aSet-Cookie:%20planted=1", "/\t/evil.example",
    "/\x00", "/\x7f", "/" + "a" * 100_000, "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "http://evil.example/", "https://evil.example", "//evil.example", "///evil.example", "javascript:alert(1)",
    "evil.example", " /", "\u2028/", "/\u0085",
]


def assert_own_location(response, fallback):
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location and "planted" not in response.headers.get("Set-Cookie", "")
    assert location == fallback or (location.startswith("/") and not location.startswith("//")
                                    and "evil" not in location), location


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_safe_next_refuses_anything_but_a_plain_path(target):
    assert safe_next(target, "/fallback") in ("/fallback", target)
    if any(ch in target for ch in "\r\n\t\x00\x7f\\") or len(target) > 2000 or not target.startswith("/") \
            or target.startswith("//"):
        assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", ["/daftar/identitas?", "/s/AAAA?x=1", "/%0d%0a", "/caf\u00e9"])
def test_safe_next_keeps_own_paths(target):
    assert safe_next(target, "/fallback") == target


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_language_switch_with_a_hostile_next_goes_home(client, target):
    response = client.post("/bahasa", data={"lang": "en", "next": target})
    assert_own_location(response, "/")


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_staff_sign_in_with_a_hostile_next_goes_to_the_queue(client, target):
    make_staff("petugas")
    if len(target) > 5000:  # a query string that long never reaches the app behind gunicorn (414)
        target = target[:5000]
    response = client.post("/staff/masuk", query_string={"next": target},
                           data={"username": "petugas-test", "password": PASSWORD})
    assert_own_location(response, "/staff/antrian")


def test_staff_sign_in_still_follows_a_plain_next(client):
    make_staff("petugas")
    response = client.post("/staff/masuk?next=/staff/pindai", data={"username": "petugas-test", "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/pindai"


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: planted=1", "//evil.example", "/" + "a" * 100_000])
def test_business_action_with_a_hostile_next_stays_on_the_business(app, client, target):
    sign_in(client, "petugas")
    business = make_business(app)
    seen = form_values(page(client, business), "verify_all")
    response = client.post(f"/staff/usaha/{business.token}/status",
                           data={"action": "verify_all", **seen, "next": target})
    assert_own_location(response, f"/staff/usaha/{business.token}")
