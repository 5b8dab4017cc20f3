"""Every piece of human text in the templates goes through the catalogues (Flask-Babel _(), gettext...).

Two passes over each template under templates/:
- the markup: every Jinja construct ({{ }}, {% %}, {# #}) is blanked out and the rest parsed as HTML; any text
  node or user-visible attribute (aria-label, title, alt, placeholder...) still holding words is a literal
  that a translator never sees;
- the Jinja code: string constants that are printed ({{ "..." }}, either branch of {{ a if b else "..." }}),
  or passed to a macro, that read like a sentence and are not inside _()/gettext/ngettext.

Allowed as they are: punctuation, numbers, the brand "Kios Jamsos", the institution "BPJS Ketenagakerjaan"
and the program/document acronyms (JKK, JKM, JHT, NIK, KPJ, KTP, ...), which read the same in both languages.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))

# Same in every language: brand, institution, acronyms. Longest first (so "BPJS Ketenagakerjaan" goes whole).
ALLOWED_WORDS = sorted([
    "Kios Jamsos", "BPJS Ketenagakerjaan", "BPJS", "JKK", "JKM", "JHT", "NIK", "KPJ", "KTP", "QR", "UMKM",
    "PP", "HP", "CSV", "XLSX", "UTC", "KJ",
], key=len, reverse=True)
ALLOWED = re.compile("|".join(r"\b" + re.escape(w) + r"\b" for w in ALLOWED_WORDS))
WORDS = re.compile(r"[^\W\d_]{2,}")  # two or more letters in a row, any script
VISIBLE_ATTRS = {"aria-label", "aria-description", "aria-roledescription", "aria-placeholder", "aria-valuetext",
                 "title", "alt", "placeholder", "label"}
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "lazy_pgettext", "_l"}
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
BLANK = " "  # a Jinja construct becomes a space (so `<tr{% if %} class=..{% endif %}>` stays a tag)
KEBAB = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")  # `{% block x %} screen-welcome{% endblock %}`: a class


def human(text: str) -> bool:
    """Whether text still has words once the allowed names (and kebab-case identifiers) are taken out."""
    return bool(WORDS.search(KEBAB.sub(" ", ALLOWED.sub(" ", text))))


class TextNodes(HTMLParser):
    """Collects (line, where, text) for every text node and user-visible attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRS and value:
                self.found.append((self.getpos()[0], f"<{tag} {name}>", value))
            if tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button", "reset"):
                self.found.append((self.getpos()[0], f"<{tag} value>", value or ""))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.found.append((self.getpos()[0], "text", data))


def markup_literals(source: str) -> list[str]:
    # Keep line numbers: a blanked construct keeps its newlines.
    blanked = JINJA.sub(lambda m: BLANK + "\n" * m.group(0).count("\n"), source)
    parser = TextNodes()
    parser.feed(blanked)
    parser.close()
    return [f"line {line}: {where} {' '.join(text.split())!r}"
            for line, where, text in parser.found if human(text)]


# A string constant reads like a sentence for a person (not a CSS class, endpoint, format or code).
CODE_LIKE = re.compile(r"^[\w.\-/:#%?=&@+ ]*$")
DATE_PATTERN = re.compile(r"^[dMyHhmsEaz.,:/\- ]+$")


def sentence_like(value: str) -> bool:
    if not human(value) or DATE_PATTERN.match(value):
        return False
    if CODE_LIKE.match(value) and (value == value.lower() or " " not in value.strip()):
        return False  # "btn btn-secondary", "walkin.identity", "id-ID", "medium"
    return True


def _printed_consts(expr):
    """String constants an output expression can print as they are."""
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        yield expr
    elif isinstance(expr, nodes.CondExpr):
        yield from _printed_consts(expr.expr1)
        if expr.expr2 is not None:
            yield from _printed_consts(expr.expr2)
    elif isinstance(expr, (nodes.Concat,)):
        for node in expr.nodes:
            yield from _printed_consts(node)
    elif isinstance(expr, (nodes.Or, nodes.And)):
        yield from _printed_consts(expr.left)
        yield from _printed_consts(expr.right)


def _is_gettext(call: nodes.Call) -> bool:
    return isinstance(call.node, nodes.Name) and call.node.name in GETTEXT


def code_literals(source: str, env: Environment) -> list[str]:
    tree = env.parse(source)
    problems = []
    for output in tree.find_all(nodes.Output):
        for expr in output.nodes:
            if isinstance(expr, nodes.TemplateData):
                continue
            for const in _printed_consts(expr):
                if sentence_like(const.value):
                    problems.append(f"line {const.lineno}: printed string {const.value!r}")
    for call in tree.find_all(nodes.Call):
        if _is_gettext(call):
            continue
        args = list(call.args) + [kw.value for kw in call.kwargs]
        for arg in args:
            for const in _printed_consts(arg):
                if sentence_like(const.value):
                    problems.append(f"line {const.lineno}: string passed to a call {const.value!r}")
    return problems


@pytest.fixture(scope="module")
def env():
    return Environment(extensions=["jinja2.ext.i18n"])


def test_templates_found():
    assert len(TEMPLATE_FILES) > 20, TEMPLATE_FILES


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_untranslated_text(path, env):
    source = path.read_text(encoding="utf-8")
    problems = markup_literals(source) + code_literals(source, env)
    assert not problems, (
        f"templates/{path.relative_to(TEMPLATES)} shows text outside the catalogues; wrap it in "
        "{{ _(\"...\") }} (Indonesian msgid), then `make translations-update` and translate the English:\n  "
        + "\n  ".join(problems))


@pytest.mark.parametrize("sample, flagged", [
    ("<p>Halo dunia</p>", True),
    ('<p>{{ _("Halo dunia") }}</p>', False),
    ('<button aria-label="Tutup">×</button>', True),
    ("<span>JKK + JKM</span> <b>Kios Jamsos · BPJS Ketenagakerjaan</b> (16) —", False),
    ('<a class="btn btn-primary" href="{{ url_for(\'x\') }}">{{ label }}</a>', False),
    ('{{ "Belum ada" }}', True),
    ('{{ x if y else "Tidak ada data" }}', True),
    ('{{ post_button(url, "Simpan data", "btn btn-secondary") }}', True),
    ('{{ r.created_at|datetimeformat("d MMM yyyy HH.mm") }} '
     '{{ url_for("walkin.identity", kembali="periksa") }}', False),
    ("<script>var a = 'text here';</script>", False),
])
def test_the_checker_itself(sample, flagged, env):
    assert bool(markup_literals(sample) + code_literals(sample, env)) is flagged
