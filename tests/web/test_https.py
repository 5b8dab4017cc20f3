"""The app behind TLS, as the README's production setup serves it: forms work over https when the client
behaves as Chromium does with the Referrer-Policy the page sent; cross-site posts are still refused."""

import re
from urllib.parse import urlsplit

import pytest

from kiosk.models import Registration
from tests.factories import PASSWORD, make_staff
from tests.flows import CONTACT, IDENTITY, PROGRAM, WORK, token_of

ORIGIN = "https://kios.example.go.id"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
META_POLICY = re.compile(r'<meta name="referrer" content="([^"]+)"')


class Browser:
    """A test client that posts the page's CSRF token and sends Referer and Origin as Chromium would under
    the Referrer-Policy of the page the form is on (no-referrer: no Referer, Origin "null")."""

    def __init__(self, app, base=ORIGIN, seen_as=ORIGIN, **environ):
        self.client = app.test_client()
        self.base = base  # where the request goes (the app itself, or what the TLS proxy forwards to)
        self.seen_as = seen_as  # the page's URL in the browser's address bar
        self.environ = environ
        self.page = seen_as + "/"
        self.policy = "strict-origin-when-cross-origin"  # Chromium's default
        self.token = None

    def _seen(self, path, response):
        self.page = self.seen_as + path
        self.policy = response.headers.get("Referrer-Policy", self.policy)
        html = response.get_data(as_text=True)
        meta = META_POLICY.search(html)  # a <meta name="referrer"> overrides the header
        if meta:
            self.policy = meta.group(1)
        found = TOKEN.search(html)
        if found:
            self.token = found.group(1) or found.group(2)
        return response

    def get(self, path):
        return self._seen(path, self.client.get(self.base + path, environ_overrides=self.environ))

    def post(self, path, data=None, follow=True):
        url = self.base + path
        headers = {}
        if self.policy != "no-referrer":
            headers["Referer"] = self.page
        page_origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.page))
        headers["Origin"] = page_origin if self.policy != "no-referrer" else "null"
        response = self.client.post(url, data={"csrf_token": self.token, **(data or {})}, headers=headers,
                                    environ_overrides=self.environ)
        if follow and response.status_code == 303:
            return self.get(urlsplit(response.location).path or "/")
        return response


@pytest.fixture
def tls_app(csrf_app):
    csrf_app.config.update(PUBLIC_BASE_URL=ORIGIN, HTTPS=True)
    return csrf_app


def walk_in(browser):
    browser.get("/")
    assert browser.post("/daftar").status_code == 200
    for path, data in (("/daftar/persetujuan", {"agree": "yes"}), ("/daftar/identitas", IDENTITY),
                       ("/daftar/kontak", CONTACT), ("/daftar/pekerjaan", WORK), ("/daftar/program", PROGRAM)):
        response = browser.post(path, data)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
        assert urlsplit(browser.page).path != path, f"{path} did not move on"
    return browser.post("/daftar/kirim")


def test_a_walk_in_registers_over_https(tls_app):
    receipt = walk_in(Browser(tls_app))
    html = receipt.get_data(as_text=True)
    assert receipt.status_code == 200 and token_of(html)
    assert f"{ORIGIN}/s/" in html
    assert Registration.select().count() == 1


def test_a_walk_in_registers_behind_the_tls_proxy(tls_app):
    """nginx terminates TLS and says so in X-Forwarded-Proto; the app trusts one proxy."""
    tls_app.config["TRUSTED_PROXIES"] = 1
    from werkzeug.middleware.proxy_fix import ProxyFix

    tls_app.wsgi_app = ProxyFix(tls_app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    browser = Browser(tls_app, base="http://kios.example.go.id",
                      HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.7")
    receipt = walk_in(browser)
    assert receipt.status_code == 200 and Registration.select().count() == 1


def test_staff_sign_in_over_https(tls_app):
    with tls_app.app_context():
        make_staff("petugas")
    browser = Browser(tls_app)
    browser.get("/staff/masuk")
    response = browser.post("/staff/masuk", {"username": "petugas-test", "password": PASSWORD})
    assert response.status_code == 200 and urlsplit(browser.page).path.startswith("/staff")
    assert "masuk" not in urlsplit(browser.page).path


def test_pages_never_send_their_url_to_other_sites(tls_app):
    policy = Browser(tls_app).get("/").headers["Referrer-Policy"]
    assert policy in ("same-origin", "no-referrer")  # status URLs carry the token


def test_a_post_from_another_site_is_refused_over_https(tls_app):
    browser = Browser(tls_app)
    browser.get("/")
    response = browser.client.post(ORIGIN + "/daftar", data={"csrf_token": browser.token},
                                   headers={"Referer": "https://evil.example/page", "Origin": "https://evil.example"})
    assert response.status_code == 400
    response = browser.client.post(ORIGIN + "/daftar", data={"csrf_token": browser.token})  # no Referer at all
    assert response.status_code == 400
    assert Registration.select().count() == 0
