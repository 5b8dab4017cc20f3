"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`."""

import os

bind = os.environ.get("KIOSK_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KIOSK_WORKERS", "4"))
# Threads keep a worker responsive while a long export streams (a sync worker would be killed by
# the timeout mid-download) and let SQLite's WAL readers overlap.
worker_class = "gthread"
threads = int(os.environ.get("KIOSK_THREADS", "4"))
timeout = 120
graceful_timeout = 30
accesslog = "-"
# The app's log filter masks tokens, NIKs, phone numbers and query strings in these lines.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss'
# Each worker gets its own listening socket (SO_REUSEPORT), so the kernel spreads new connections over the
# workers. With one shared socket, the worker that is already awake wins nearly every accept() and keeps
# each kiosk's keep-alive connection: one worker at full CPU while the others idle.
# Only for TCP: on a unix socket each worker would unlink and rebind the file and only the last one be reached.
reuse_port = not bind.startswith(("unix:", "fd://"))
