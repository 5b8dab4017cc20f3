"""Send one hostile request and check its answer: no 5xx, no markup of the payload in the parsed
HTML, a readable message on every rejection, the database untouched by every rejected request.

``Probe.send`` records problems in ``probe.failures`` instead of raising, so one test can send a
few hundred requests and report every problem at once (``probe.assert_clean()``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from markupsafe import escape

from kiosk.db import db
from kiosk.models import AuditEntry, Business, Draft, Event, Kiosk, KioskEvent, Registration, StaffUser
from tests.hostile.corpus import Payload

# --- counting, for the terminal summary ------------------------------------------------------------

STATS = {"requests": 0, "payloads": set(), "fuzz_requests": 0}

# --- parsing responses -----------------------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict
    pairs: frozenset
    classes: tuple
    text: str = ""  # the data right after the start tag, up to the next tag
    all_text: list = field(default_factory=list)  # everything inside, for messages


class PageParser(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.bad_attr_names: list[str] = []
        self._last: Element | None = None

    def handle_starttag(self, tag, attrs):
        values = {k: (v or "") for k, v in attrs}
        element = Element(tag, values, frozenset(values.items()), tuple((values.get("class") or "").split()))
        self.elements.append(element)
        self._last = element
        if tag not in self.VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.open and self.open[-1].tag == tag:
            self.open.pop()

    def handle_endtag(self, tag):
        self._last = None
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        if self._last is not None:
            self._last.text += data
        for element in self.open:
            element.all_text.append(data)


def parse_html(body: str) -> PageParser:
    parser = PageParser()
    parser.feed(body)
    parser.close()
    return parser


SAFE_ATTR_NAME = re.compile(r"^[a-z_:][a-z0-9_:.-]*$")
# Tags the kiosk never renders and that run code, load things or change how the page parses.
DANGEROUS_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "img", "image", "video", "audio",
    "source", "track", "math", "mglyph", "mtext", "template", "style", "marquee", "isindex", "xmp",
    "plaintext", "listing", "animate", "set", "foreignobject", "portal", "param", "bgsound", "layer",
    "xss", "kjwrap",
}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcdoc",
             "cite", "codebase", "ping"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "livescript:")


def _scheme_text(value: str) -> str:
    """The start of a URL attribute as a browser reads it: no spaces, tabs, newlines or controls."""
    return "".join(ch for ch in value if ord(ch) > 0x20).lower()


def markup_problems(page: PageParser, payloads) -> list[str]:
    """Elements/attributes that came from a payload, plus anything that could run code."""
    problems = []
    by_tag: dict[str, list[Element]] = {}
    for el in page.elements:
        by_tag.setdefault(el.tag, []).append(el)
        if not SAFE_ATTR_NAME.match(el.tag):
            problems.append(f"odd element <{el.tag[:40]}>")
        if el.tag in DANGEROUS_TAGS:
            problems.append(f"dangerous element <{el.tag}> {dict(list(el.attrs.items())[:4])}")
        if el.tag == "script" and (el.text.strip() or not el.attrs.get("src", "").startswith("/static/")):
            problems.append(f"inline or foreign <script> {el.attrs} {el.text[:60]!r}")
        if el.tag == "meta" and "http-equiv" in el.attrs:
            problems.append(f"<meta http-equiv> {el.attrs}")
        if el.tag == "link" and not el.attrs.get("href", "").startswith("/static/"):
            problems.append(f"foreign <link> {el.attrs}")
        for name, value in el.attrs.items():
            if not SAFE_ATTR_NAME.match(name):
                problems.append(f"odd attribute name {name[:40]!r} on <{el.tag}>")
            if name.startswith(("on", "hx-on")):
                problems.append(f"event handler attribute {name}={value[:60]!r} on <{el.tag}>")
            if name in URL_ATTRS and _scheme_text(value).startswith(BAD_SCHEMES):
                problems.append(f"script URL {name}={value[:60]!r} on <{el.tag}>")
            if name == "style" and re.search(r"expression|url\(|javascript", value, re.I):
                problems.append(f"style with code {value[:60]!r}")
    for payload in payloads:
        for tag, attrs, text in payload.injected:
            candidates = page.elements if tag == "*" else by_tag.get(tag, ())
            for el in candidates:
                if attrs and set(attrs) <= el.pairs or not attrs and text and el.text.strip() == text:
                    problems.append(f"payload {payload.id} injected <{el.tag} {dict(attrs)}> {text[:40]!r}")
                    break
    return problems


def human_message(page: PageParser, status: int) -> str | None:
    """The message a rejection shows: a field error, an error summary or the error page's title."""
    for el in page.elements:
        if {"field-error", "error-summary"} & set(el.classes):
            text = " ".join("".join(el.all_text).split())
            if text:
                return text
    if status in (400, 403, 404, 405, 413, 429):
        h1 = next((el for el in page.elements if el.tag == "h1"), None)
        lead = next((el for el in page.elements if el.tag == "p" and "lead" in el.classes), None)
        if h1 and lead and "".join(h1.all_text).strip() and "".join(lead.all_text).strip():
            return "".join(h1.all_text).strip()
    return None


def location_problem(location: str) -> str | None:
    """Where a browser would really go (tabs/newlines dropped, backslash read as slash) must be here."""
    if any(ch in location for ch in "\r\n"):
        return f"CR/LF in Location {location[:80]!r}"
    cleaned = "".join(ch for ch in location if ch not in "\t\n\r").strip("\x00 \x1f").replace("\\", "/")
    target = urlsplit(urljoin("http://localhost/x/y", cleaned))
    if target.scheme not in ("http", "https") or target.hostname not in ("localhost", None):
        return f"redirect off the site: {location[:80]!r}"
    return None


# --- the database ------------------------------------------------------------------------------------

TABLES = (Business, Registration, Draft, StaffUser, Kiosk, Event, KioskEvent, AuditEntry)
EXPECTED_AUDIT = ("login_failed", "login_throttled", "login_locked")
SEALED = ("personal_enc", "owner_enc", "address_enc")  # several fields in one encrypted token


def snapshot(ignore_audit=EXPECTED_AUDIT, vault=None) -> dict:
    """Row count and checksum per table (audit entries for failed sign-ins left out); NULs found, also
    inside the sealed columns when the vault is given.

    Plain SQL through the driver's cursor: the audit log grows with every accepted change, and
    building peewee rows for every table twice per request would cost more than the requests.
    """
    db.connect(reuse_if_open=True)
    state = {}
    for model in TABLES:
        table = model._meta.table_name
        sql, params = f"SELECT * FROM {table}", ()
        if model is AuditEntry and ignore_audit:
            sql += f" WHERE action NOT IN ({', '.join([db.param] * len(ignore_audit))})"
            params = tuple(ignore_audit)
        cursor = db.execute_sql(sql + " ORDER BY id", params)
        rows = cursor.fetchall()
        state[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16])
        sealed = [i for i, column in enumerate(cursor.description) if column[0] in SEALED] if vault else []
        texts = [v for row in rows for v in row if type(v) is str]
        texts += [v for row in rows for i in sealed if row[i] for v in vault.unseal(row[i]).values()
                  if type(v) is str]
        nul = next((v for v in texts if "\x00" in v), None)
        if nul is not None:
            state[table + ":NUL"] = repr(nul[:60])
    # Left open: the next request reuses this connection (and closes it at its end), which halves
    # the connections opened per checked request - what a PostgreSQL run spends most time on.
    return state


# --- the probe --------------------------------------------------------------------------------------

def encode_pairs(pairs) -> str:
    """application/x-www-form-urlencoded from (name, str|bytes) pairs; bytes go as they are."""
    return urlencode([(k if isinstance(k, (str, bytes)) else str(k), v) for k, v in pairs])


class Probe:
    """Send requests through a Flask test client and check every answer."""

    def __init__(self, app, secrets=()):
        self.app = app
        self.failures: list[str] = []
        self.sent = 0
        self.payloads_seen: dict[str, Payload] = {}
        self.secrets = [s for s in secrets if s]
        self._state: dict | None = None

    def fail(self, label: str, problem: str) -> None:
        self.failures.append(f"{label}: {problem}")

    def refresh(self) -> None:
        """Forget the cached database state (call after changing the database outside send())."""
        self._state = None

    def send(self, client, method: str, path: str, *, payloads=(), form=None, query=None, body=None,
             content_type=None, headers=None, label: str = "", mutating=None, expect_status=None):
        """Send one request and check it. form/query are lists of (name, value) pairs.

        mutating: the statuses after which the database may have changed (default: none for GET,
        a 303 redirect for POST); after any other answer it must be exactly as before.
        """
        if query:
            path = f"{path}?{encode_pairs(query)}"
        if form is not None:
            body = encode_pairs(form)
            content_type = content_type or "application/x-www-form-urlencoded"
        if mutating is None:
            mutating = () if method in ("GET", "HEAD") else (303,)
        before = self._state or snapshot(vault=self.app.extensions["vault"])
        self.sent += 1
        STATS["requests"] += 1
        for p in payloads:
            self.payloads_seen[p.id] = p
            STATS["payloads"].add(p.id)
        ids = ",".join(p.id for p in payloads) or "-"
        try:
            response = client.open(path, method=method, data=body, content_type=content_type, headers=headers)
        except Exception as exc:  # noqa: BLE001 - TESTING propagates what would be a 500 in production
            self._state = None
            self.fail(f"{label or ''} {method} {path[:90]!r} [{ids}]",
                      f"server error (unhandled {type(exc).__name__}: {str(exc)[:120]})")
            return None
        after = self._state = snapshot(vault=self.app.extensions["vault"])
        where = f"{label or ''} {method} {path[:90]!r} [{ids}] -> {response.status_code}"
        self.check(response, payloads, where)
        if response.status_code not in mutating and before != after:
            changed = {k: (before.get(k), after.get(k))
                       for k in set(before) | set(after) if before.get(k) != after.get(k)}
            self.fail(where, f"database changed by a request that did not succeed: {changed}")
        for key, value in after.items():
            if key.endswith(":NUL") and before.get(key) != value:
                self.fail(where, f"NUL stored in {key[:-4]} ({value}): PostgreSQL refuses it")
        if expect_status is not None and response.status_code not in expect_status:
            self.fail(where, f"expected status {expect_status}")
        return response

    def check(self, response, payloads, where: str) -> None:
        status = response.status_code
        if status >= 500:
            self.fail(where, "server error")
        for name, value in response.headers.items():
            if "\r" in value or "\n" in value or name.lower().startswith("x-kj"):
                self.fail(where, f"injected header {name}: {value[:60]!r}")
            if name.lower() == "set-cookie" and "kj=" in value:
                self.fail(where, f"injected cookie {value[:60]!r}")
        if 300 <= status < 400 and response.location is not None:
            problem = location_problem(response.location)
            if problem:
                self.fail(where, problem)
        data = response.get_data()
        text = data.decode("utf-8", "replace")
        for secret in self.secrets:
            if secret in text:
                self.fail(where, "a secret key is in the response")
        if "Traceback (most recent call last)" in text:
            self.fail(where, "a traceback is in the response")
        # A signature that another payload on the page spells out itself ("{{config.SECRET_KEY}}" shown as
        # typed holds "SECRET_KEY") is no sign of evaluation: look for it with those payloads taken out.
        shown = [p.text for p in payloads if p.text] + [str(escape(p.text)) for p in payloads if p.text]
        for p in payloads:
            if p.evaluated and p.evaluated in text:
                rest = text
                for literal in sorted(shown, key=len, reverse=True):
                    if p.evaluated in literal:
                        rest = rest.replace(literal, "")
                if p.evaluated in rest:
                    self.fail(where, f"template payload {p.id} was evaluated ({p.evaluated!r} in the page)")
        is_html = response.mimetype == "text/html"
        if is_html and data:
            page = parse_html(text)
            for problem in markup_problems(page, payloads):
                self.fail(where, problem)
            if 400 <= status < 500 and human_message(page, status) is None:
                self.fail(where, "rejected without a readable message (.field-error, .error-summary or error page)")
        elif 400 <= status < 500:
            self.fail(where, f"rejected with a {response.mimetype or 'bodyless'} answer, no readable message")

    def check_page(self, client, path: str, label: str = "stored", payloads=None):
        """GET a page that shows stored values and check it against every payload sent so far."""
        return self.send(client, "GET", path, label=label,
                         payloads=list(payloads if payloads is not None else self.payloads_seen.values()))

    def assert_clean(self, limit: int = 40) -> None:
        if self.failures:
            shown = "\n".join(self.failures[:limit])
            more = f"\n... and {len(self.failures) - limit} more" if len(self.failures) > limit else ""
            raise AssertionError(f"{len(self.failures)} problem(s) in {self.sent} requests:\n{shown}{more}")
