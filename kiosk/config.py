"""Default settings. Override with KIOSK_* environment variables, DATABASE_URL, or a test mapping."""

# sqlite:///<relative path> is resolved inside the instance folder.
DATABASE_URL = "sqlite:///kiosk.db"

# Secrets: when unset they are generated once into the instance folder (see kiosk.crypto).
SECRET_KEY = None
DATA_KEYS = None  # comma-separated Fernet keys; the first encrypts, all decrypt
INDEX_KEY = None  # HMAC key for the NIK blind index and the mother's-name check

# Base of the URL printed in the receipt QR, e.g. "https://kios.dinkop.jatimprov.go.id". Required, except in
# `make run`'s demo (KIOSK_DEMO=1) and tests: the URL the kiosk was reached at would follow the Host header.
PUBLIC_BASE_URL = None
# Requests for any other host than PUBLIC_BASE_URL's are refused (400). Other names the server answers to,
# comma-separated, e.g. the LAN address the kiosks use: "10.0.0.5,kios.lan".
ALLOWED_HOSTS = ""
# The demo of `make run`: no public base URL needed, receipts point wherever the kiosk reached the server.
DEMO = False
# Says "this is a real server" where nothing else does (seed-demo then refuses).
PRODUCTION = False

# Cookies get the Secure flag on every request that came over https (directly or, with TRUSTED_PROXIES,
# through the TLS proxy), and not on a kiosk's plain-http LAN link, where a browser would drop them.
# True: on every response, also plain http. HSTS is sent on https requests anyway.
HTTPS = False

# Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
TRUSTED_PROXIES = 0

# Receipt paper width in mm: 80 or 58.
RECEIPT_PAPER_MM = 80

BABEL_DEFAULT_LOCALE = "id"
# Where the kiosks stand: "today" (rules, events, ages) and every time shown (kiosk.clock). Asia/Makassar for
# WITA, Asia/Jayapura for WIT. Instants are stored in UTC whatever this says.
TIMEZONE = "Asia/Jakarta"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

# Kiosk hygiene (seconds)
IDLE_WARN_SECONDS = 60
IDLE_WIPE_SECONDS = 90
# A draft untouched this long is discarded by the server even if the kiosk page never wiped it.
DRAFT_MAX_IDLE_SECONDS = 600

# Retention (flask --app wsgi privacy purge): visits never submitted, and rejected applications.
DRAFT_RETENTION_HOURS = 24
# Drafts past DRAFT_MAX_IDLE_SECONDS are deleted by the app itself this often at most (seconds; 0: only
# by `privacy purge-drafts`), on a request that starts a visit.
DRAFT_PURGE_EVERY_SECONDS = 300
REJECTED_RETENTION_DAYS = 365

# Failed reprint attempts (NIK + mother's name) per kiosk/IP
REPRINT_FAILURE_LIMIT = "5 per 15 minutes"
# ... per NIK, whatever the client (the mother's name is guessable: common names, many tries)
REPRINT_NIK_FAILURE_LIMIT = "5 per day"
# ... from everyone together: past this, reprints wait (an attack spread over many addresses)
REPRINT_FAILURE_CEILING = "300 per hour"
# Registrations submitted per kiosk/IP (a busy booth takes one every few minutes).
SUBMIT_LIMIT = "60 per hour"
# Visits started (walk-in and business together) per kiosk/IP: each one is a draft in the database.
VISIT_START_LIMIT = "30 per 10 minutes"
# NIKs looked up in the register ("already registered?") per kiosk/IP, both flows together: one per walk-in,
# one per listed worker, so a 1000-worker list fits; a NIK search by trial gets a few thousand tries a day.
NIK_LOOKUP_LIMIT = "1100 per hour;3000 per day"
# Different NIKs a visit may find registered; at this many the visit ends and must start over.
TAKEN_NIKS_PER_VISIT = 3
# Status page views per IP (many phones share a carrier's IP: keep it generous).
STATUS_LIMIT = "60 per minute;1000 per hour"
# Failed staff sign-ins per IP: each tier is a longer wait (increasing back-off).
LOGIN_FAILURE_LIMIT = "5 per minute;20 per hour;50 per day"
# Staff are signed out after this long without a request...
STAFF_IDLE_MINUTES = 30
# ... and this long after signing in, however busy (kiosk.accounts sessions).
STAFF_SESSION_MAX_HOURS = 12
# Failed sign-ins per typed username, whatever the address or cookie (kiosk.signins): this many lock the
# name, each further failure for the next number of minutes (the last repeats); a day without a failure
# forgets them, as does a successful sign-in.
STAFF_LOCK_AFTER_FAILURES = 5
STAFF_LOCK_MINUTES = [1, 5, 15, 60]
STAFF_FAILURES_FORGOTTEN_HOURS = 24
# Audit rows of anonymous failed or throttled sign-ins: one per username per window, a few overall.
STAFF_SIGNIN_AUDIT_WINDOW_MINUTES = 15
STAFF_SIGNIN_AUDIT_PER_MINUTE = 4
# Where limits are counted: shared by every worker and app server. The app's own database by default
# (kiosk.ratestore); Redis when there is one, e.g. KIOSK_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0.
RATELIMIT_STORAGE_URI = "kiosk-db://"
# If that store stops answering, each worker counts in memory until it is back (never no limit at all).
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
RATELIMIT_HEADERS_ENABLED = False

# The consent text shown (templates/consent/<version>.html) and stored with each registration.
# Published versions are kept unchanged; a new text gets a new file and version.
CONSENT_VERSION = "2026-11-01"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the visit's session
MAX_CONTENT_LENGTH = 256 * 1024
