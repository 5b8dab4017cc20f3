"""Property-based fuzzing (hypothesis) of the domain services and of every POST endpoint.

(a) Domain functions get arbitrary text (any code point, malformed-UTF-8-decoded bytes, corpus
    entries, 10-40 K character strings) and inputs shaped like the real thing (NIKs with separators
    and unicode digits, Indonesian mobile numbers, rupiah amounts, KPJ numbers, status changes).
    They may only raise their own domain exception, and what they return must hold its invariants:
    a parsed NIK is 16 ASCII digits that agree with the decoded region, birth date and sex; a mobile
    number is +62 and E.164, and normalising it again changes nothing; a quote's totals are
    non-negative and the sum of its months; a cleaned name is NFC, trimmed, within its length and
    cleaning it again changes nothing; a masked name is only initials and stars; a planned status
    change is one the workflow allows for that role, version and reason.

(b) Every POST endpoint (walk-in steps at their stage, session endpoints, staff sign-in and scan,
    status change and reveal as a supervisor, every admin form as an admin, the business flow's steps,
    upload and submit at their stage, the desk's business action and reveal) gets hypothesis-built
    form bodies: real and invented field names, any text, raw bytes, huge values, repeated fields.
    No answer may be a 5xx (or an unhandled exception), and every answer passes the same markup,
    header and readable-rejection checks as the corpus suite (tests/hostile/probe.py).

Budget (examples per property, deadline off, no example database written):
    DOMAIN_EXAMPLES = 1000 for each domain property (PHONE/QUOTE_EXAMPLES = 500 for the slower
    libphonenumber and quote properties), ENDPOINT_EXAMPLES = 50 for each of the 45 POST endpoints.
    About 25-40 s on 2 cores.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.services import workflow
from kiosk.services.contributions import InvalidIncome, InvalidPeriod, parse_income, quote_bpu
from kiosk.services.kpj import InvalidKpj, normalise_kpj
from kiosk.services.nik import InvalidNik, normalise_nik, parse_nik
from kiosk.services.person import InvalidName, clean_name, mask_name, name_key
from kiosk.services.phone import InvalidPhone, normalise_mobile
from kiosk.services.rules import RulesError, load_rules
from tests.conftest import TEST_KEYS
from tests.hostile.corpus import CORPUS, Payload
from tests.hostile.probe import STATS, Probe

DOMAIN_EXAMPLES = 1000
PHONE_EXAMPLES = 500
QUOTE_EXAMPLES = 500
ENDPOINT_EXAMPLES = 50

DOMAIN = settings(max_examples=DOMAIN_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- strategies ---------------------------------------------------------------------------------------

SEPARATORS = " .-\u2212\u2010\u2013\t\u00a0"
UNICODE_DIGIT_BASES = (0x0660, 0x06F0, 0xFF10, 0x0966, 0x1D7CE)

corpus_text = st.sampled_from([p.text for p in CORPUS if len(p.wire) < 20_000])
decoded_bytes = st.binary(max_size=64).map(lambda b: b.decode("utf-8", "replace"))
huge_text = st.builds(lambda piece, n: piece * n, st.text(min_size=1, max_size=4), st.integers(2_500, 10_000))
any_text = st.one_of(st.text(), st.text(st.characters(codec="utf-8"), max_size=40), decoded_bytes, corpus_text,
                     huge_text)


def _sprinkle(draw, text: str, separators: str, unicode_digits: bool = False) -> str:
    """Insert the separators people type, now and then swap a digit for a unicode one."""
    out = []
    for ch in text:
        if draw(st.integers(0, 7)) == 0:
            out.append(draw(st.sampled_from(separators)))
        if unicode_digits and ch.isdigit() and draw(st.integers(0, 99)) == 0:
            ch = chr(draw(st.sampled_from(UNICODE_DIGIT_BASES)) + int(ch))
        out.append(ch)
    return "".join(out)


@st.composite
def nik_like(draw):
    """Sixteen digits, mostly a plausible NIK, with separators, unicode digits or a wrong part now and then."""
    place = draw(st.sampled_from(["357801", "357826", "357899", "317101", "357301", "990101", "350001", "000000"]))
    day = draw(st.integers(1, 28) | st.integers(41, 68) | st.integers(1, 31) | st.integers(41, 71) | st.integers(0, 99))
    month = draw(st.integers(1, 12) if draw(st.integers(0, 4)) else st.integers(0, 99))
    year = draw(st.integers(0, 99))
    serial = draw(st.one_of(st.integers(1, 9999), st.just(0)))
    digits = f"{place}{day:02d}{month:02d}{year:02d}{serial:04d}"
    if draw(st.integers(0, 5)) == 0:
        digits = digits[:draw(st.integers(0, 16))] + draw(st.text("0123456789", max_size=3))
    return _sprinkle(draw, digits, SEPARATORS, unicode_digits=True)


@st.composite
def phone_like(draw):
    prefix = draw(st.sampled_from(["0", "+62", "62", "+62 ", "(0", "0062", "+6262", "+1", "+", "00", "08"]))
    operator = draw(st.sampled_from(["811", "812", "813", "821", "822", "852", "857", "878", "881", "895", "896",
                                     "21", "31", "800", "9"]))
    rest = draw(st.one_of(st.text("0123456789", min_size=6, max_size=9), st.text("0123456789", max_size=14)))
    return _sprinkle(draw, prefix + operator + rest, " -.)(")


@st.composite
def kpj_like(draw):
    digits = draw(st.one_of(st.text("0123456789", min_size=11, max_size=11), st.text("0123456789", max_size=14)))
    return _sprinkle(draw, digits, " .-\u2212\u2010", unicode_digits=True)


@st.composite
def rupiah_like(draw):
    amount = draw(st.integers(-10, 2_000_000_000))
    style = draw(st.sampled_from(["plain", "dots", "spaces", "rp", "idr", "comma00", "dash"]))
    grouped = f"{abs(amount):,}".replace(",", ".")
    text = {"plain": str(abs(amount)), "dots": grouped, "spaces": grouped.replace(".", " "),
            "rp": "Rp " + grouped, "idr": "IDR" + str(abs(amount)), "comma00": grouped + ",00",
            "dash": "Rp" + grouped + ",-"}[style]
    return ("-" if amount < 0 else "") + text


FEMALE_OFFSET = 40
REGIONS = {"35": "Jawa Timur", "35.78": "Kota Surabaya", "35.78.01": "Karang Pilang", "35.78.26": "Mulyorejo",
           "35.73": "Kota Malang", "31": "DKI Jakarta", "31.71": "Kota Jakarta Selatan", "31.71.01": "Tebet"}


class StubRegions:
    def name(self, code):
        return REGIONS.get(code)


# --- (a) domain functions ----------------------------------------------------------------------------------

@DOMAIN
@given(raw=st.one_of(nik_like(), any_text, st.none()), today=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
def test_parse_nik_returns_16_ascii_digits_that_agree_with_what_it_decodes(raw, today):
    try:
        info = parse_nik(raw, StubRegions(), today)
    except InvalidNik as exc:
        assert exc.code in InvalidNik.CODES
        return
    nik = info.nik
    assert len(nik) == 16 and all(ch in "0123456789" for ch in nik)
    assert nik == normalise_nik(raw)
    assert (info.province_code, info.regency_code, info.district_code) == (
        nik[:2], f"{nik[:2]}.{nik[2:4]}", f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}")
    assert info.province_code in REGIONS and info.regency_code in REGIONS
    assert info.district_known == (info.district_code in REGIONS)
    assert info.sex in ("L", "P")
    day = int(nik[6:8]) - (FEMALE_OFFSET if info.sex == "P" else 0)
    assert (info.birth_date.day, info.birth_date.month, info.birth_date.year % 100) == (
        day, int(nik[8:10]), int(nik[10:12]))
    assert info.birth_date <= today
    assert info.serial == nik[12:] != "0000"
    assert set(info.warnings) <= {"district_unknown", "age_unusual"}
    assert ("district_unknown" in info.warnings) == (not info.district_known)


@DOMAIN
@given(raw=st.one_of(nik_like(), any_text, st.none()))
def test_normalise_nik_only_drops_separators_and_is_idempotent(raw):
    result = normalise_nik(raw)
    assert isinstance(result, str)
    assert normalise_nik(result) == result
    source = iter(str(raw or ""))
    assert all(ch in source for ch in result)  # a subsequence of the input: nothing added or reordered
    assert not any(ch.isspace() or ch == "." or unicodedata.category(ch) == "Pd" for ch in result)


@settings(DOMAIN, max_examples=PHONE_EXAMPLES)
@given(raw=st.one_of(phone_like(), any_text, st.none()))
def test_normalise_mobile_returns_plus62_e164_or_refuses(raw):
    try:
        result = normalise_mobile(raw)
    except InvalidPhone as exc:
        assert exc.code in InvalidPhone.CODES
        return
    assert re.fullmatch(r"\+62[0-9]{8,13}", result), result
    assert normalise_mobile(result) == result
    typed_digits = "".join(ch for ch in raw if ch in "0123456789")
    assert typed_digits.endswith(result[3:])  # the number is the one typed, not an invented one


@DOMAIN
@given(raw=st.one_of(rupiah_like(), any_text, st.none()), today=st.dates(dt.date(2016, 1, 1), dt.date(2040, 1, 1)))
def test_parse_income_returns_a_positive_amount_within_the_sanity_limit(raw, today):
    rules = load_rules()
    try:
        amount = parse_income(raw, rules, today)
    except InvalidIncome as exc:
        assert exc.code in InvalidIncome.CODES
        return
    assert type(amount) is int and 0 < amount <= rules.bpu_for(today).income_sanity_max
    assert str(amount) in "".join(ch for ch in raw if ch in "0123456789")


@DOMAIN
@given(amount=st.integers(1, 1_000_000_000), style=st.sampled_from([".", " ", ""]),
       prefix=st.sampled_from(["", "Rp", "Rp ", "IDR "]))
def test_parse_income_reads_back_every_amount_written_the_indonesian_way(amount, style, prefix):
    text = prefix + (f"{amount:,}".replace(",", style) if style else str(amount))
    assert parse_income(text, load_rules(), dt.date(2026, 6, 1)) == amount


@settings(DOMAIN, max_examples=QUOTE_EXAMPLES)
@given(income=st.one_of(st.integers(-10, 10**12), st.booleans(), st.floats(allow_nan=True), st.text(max_size=5)),
       jht=st.booleans(), period=st.one_of(st.sampled_from([1, 3, 6, 12]), st.integers(-3, 40), st.booleans()),
       start=st.dates(dt.date(2010, 1, 1), dt.date(2060, 12, 31)), transport=st.booleans(),
       payer=st.sampled_from(["self", "PEMDA", "pemda ", "", "other"]))
def test_quote_totals_are_non_negative_and_the_sum_of_the_months(income, jht, period, start, transport, payer):
    try:
        quote = quote_bpu(income, jht=jht, period_months=period, start=start, transport=transport, payer=payer)
    except (InvalidIncome, InvalidPeriod, RulesError):
        return
    assert len(quote.months) == quote.period_months == period
    assert quote.monthly == quote.months[0]
    assert quote.period_total >= 0 and quote.period_total == sum(m.total for m in quote.months)
    month = start.replace(day=1)
    for line in quote.months:
        assert line.month == month
        month = (month + dt.timedelta(days=32)).replace(day=1)
        assert min(line.jkk, line.jkm, line.jht, line.discount, line.total) >= 0
        assert line.total == line.jkk + line.jkm + line.jht - line.discount
        assert line.discount <= line.jkk + line.jkm + line.jht
        assert jht or line.jht == 0
    totals = quote.per_program_period
    assert totals["JKK"] + totals["JKM"] + totals["JHT"] - totals["discount"] == quote.period_total
    assert 0 < quote.base_income and (quote.base_income == income or quote.raised_to_minimum or quote.capped)


@DOMAIN
@given(raw=st.one_of(any_text, st.none(), st.text(st.characters(categories=["L", "M", "Zs"]), max_size=30)),
       max_len=st.integers(1, 200))
def test_clean_name_is_nfc_trimmed_bounded_and_idempotent(raw, max_len):
    try:
        name = clean_name(raw, max_len=max_len)
    except InvalidName as exc:
        assert exc.code in InvalidName.CODES
        return
    assert name and len(name) <= max_len
    assert name == unicodedata.normalize("NFC", name) == name.strip() and "  " not in name
    assert any(unicodedata.category(ch)[0] == "L" for ch in name)
    assert all(unicodedata.category(ch)[0] in "LM" or ch in "'.-, " for ch in name)
    assert clean_name(name, max_len=max_len) == name


@DOMAIN
@given(name=st.one_of(any_text, st.none(), st.text(st.characters(categories=["L", "M", "Zs", "Nd"]), max_size=40)))
def test_mask_name_shows_initials_and_stars_only(name):
    masked = mask_name(name)
    if masked == "***":
        return
    words = unicodedata.normalize("NFC", name or "").split()
    tokens = masked.split(" ")
    assert 1 <= len(tokens) <= len(words)
    letters = {ch.upper() for ch in unicodedata.normalize("NFC", name or "") if ch.isalpha()}
    for token in tokens:
        initial, stars = token[:-3], token[-3:]
        assert stars == "***" and 1 <= len(initial) <= 3, masked  # str.upper() can give up to 3 chars
        assert initial in letters and "*" not in initial, masked


@DOMAIN
@given(raw=st.one_of(any_text, st.none()))
def test_name_key_keeps_only_letters_and_digits(raw):
    key = name_key(raw)
    assert all(ch.isalnum() for ch in key)


@DOMAIN
@given(words=st.lists(st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8),
                      min_size=1, max_size=5),
       glue=st.lists(st.sampled_from([" ", "  ", ". ", "'", "-", ", ", "\t"]), min_size=4, max_size=4))
def test_name_key_ignores_case_spacing_and_punctuation_of_latin_names(words, glue):
    plain = " ".join(words)
    noisy = "".join(w + glue[i % len(glue)] for i, w in enumerate(words))
    assert name_key(plain) == name_key(noisy.upper()) == name_key(plain.lower())


@DOMAIN
@given(raw=st.one_of(kpj_like(), any_text, st.none(), st.integers(-10, 10**12)))
def test_normalise_kpj_returns_11_ascii_digits_or_refuses(raw):
    try:
        kpj = normalise_kpj(raw)
    except InvalidKpj as exc:
        assert exc.code in InvalidKpj.CODES
        return
    assert len(kpj) == 11 and all(ch in "0123456789" for ch in kpj)
    assert normalise_kpj(kpj) == kpj
    source = iter(str(raw))
    assert all(ch in source for ch in kpj)


statuses = st.one_of(st.sampled_from(workflow.STATUSES), st.text(max_size=12))
roles = st.one_of(st.sampled_from(workflow.ROLES), st.text(max_size=12))


@DOMAIN
@given(status=statuses, target=statuses, role=roles, version=st.integers(-2, 3), expected=st.integers(-2, 3),
       reason=st.one_of(st.none(), any_text, st.text(" \t\n", max_size=4)),
       kpj=st.one_of(st.none(), kpj_like(), any_text))
def test_plan_transition_only_plans_allowed_changes(status, target, role, version, expected, reason, kpj):
    try:
        change = workflow.plan_transition(status, target, role=role, version=version, expected_version=expected,
                                          reason=reason, kpj=kpj)
    except workflow.TransitionError as exc:
        assert exc.code in workflow.TransitionError.CODES
        return
    move = next(t for t in workflow.TRANSITIONS if (t.source, t.target) == (status, target))
    assert target in workflow.allowed_targets(status, role)
    assert workflow.role_at_least(role, move.min_role)
    assert version == expected and change.new_version == version + 1
    assert (change.source, change.target) == (status, target)
    if change.reason is not None:
        assert change.reason == change.reason.strip() and 0 < len(change.reason) <= workflow.MAX_REASON_LENGTH
    assert change.reason is not None or not move.needs_reason
    if move.needs_kpj:
        assert len(change.kpj) == 11 and change.kpj.isascii() and change.kpj.isdigit()
    else:
        assert change.kpj is None


# --- (b) every POST endpoint -----------------------------------------------------------------------------------

field_value = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.binary(max_size=100),
    corpus_text,
    st.builds(lambda piece, n: piece * n, st.text(min_size=1, max_size=3), st.integers(1_000, 120_000)),
    st.integers(-10**20, 10**20).map(str),
)


def form_bodies(fields):
    names = st.one_of(st.sampled_from(sorted(fields) or ["junk"]), st.text(max_size=12), st.binary(max_size=8))
    known = st.fixed_dictionaries({name: st.one_of(st.just(value), field_value)
                                   for name, value in fields.items() if value is not None})
    extra = st.lists(st.tuples(names, field_value), max_size=6)
    return st.tuples(known, extra).map(lambda both: list(both[0].items()) + both[1])


def test_every_post_endpoint_survives_generated_forms(hostile_app):
    from tests.hostile.test_hostile_inputs import _post_endpoints, assert_every_post_route_is_covered

    probe = Probe(hostile_app, secrets=list(TEST_KEYS.values()))
    endpoints = _post_endpoints(hostile_app, probe)
    assert_every_post_route_is_covered(hostile_app, [url for _, url, _ in endpoints])
    for client, url, fields in endpoints:
        @settings(max_examples=ENDPOINT_EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(pairs=form_bodies(fields), htmx=st.booleans())
        def fuzz(pairs, htmx):
            headers = {"HX-Request": "true", "HX-Target": "screen"} if htmx else None
            STATS["fuzz_requests"] += 1
            try:
                response = client.post(url, data=urlencode(pairs), content_type="application/x-www-form-urlencoded",
                                       headers=headers)
            except Exception as exc:
                raise AssertionError(f"{url}: unhandled {type(exc).__name__}: {exc}") from exc
            before = len(probe.failures)
            sent = b"\n".join(v if isinstance(v, bytes) else str(v).encode() for pair in pairs for v in pair)
            payload = Payload("fuzz", "fuzz", sent)
            probe.check(response, [payload], f"fuzz {url}")
            assert len(probe.failures) == before, probe.failures[before:]

        fuzz()
