"""What the access log keeps: the server's figures (status, size, duration) readable; tokens, NIKs, phone
numbers and query strings masked, on every public and staff path that carries one."""

import logging

from gunicorn.glogging import SafeAtoms

from kiosk.web.logs import MaskPersonalData, mask

FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss'  # gunicorn.conf.py's access_log_format


def access_line(request_line: str, status="200", size="1234", duration="0.012345") -> str:
    """Format one access record as gunicorn's access logger does, through the app's filter."""
    atoms = SafeAtoms({"h": "203.0.113.7", "t": "[01/Dec/2026:21:00:00 +0000]", "r": request_line,
                       "s": status, "b": size, "L": duration, "U": request_line.split()[1]})
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, FORMAT, (atoms,), None)
    MaskPersonalData().filter(record)
    return record.getMessage()


def test_access_lines_keep_status_size_and_duration():
    line = access_line("GET /daftar/identitas HTTP/1.1", status="303", size="0", duration="0.004213")
    assert line.endswith('"GET /daftar/identitas HTTP/1.1" 303 0 0.004213s')
    assert access_line("GET /static/css/kiosk.css?v=3810461028d9 HTTP/1.1").endswith(" 200 1234 0.012345s")


def test_access_lines_mask_every_token_path():
    token = "Xq3vR9_kT2-pLm8nB4wZcA"
    for path in (f"/s/{token}", f"/u/{token}", f"/staff/usaha/{token}", f"/staff/s/{token}/panel"):
        line = access_line(f"GET {path} HTTP/1.1")
        assert token not in line and "[token]" in line and line.endswith(" 200 1234 0.012345s"), line


def test_access_lines_mask_niks_phones_and_queries():
    line = access_line("GET /staff/cari/3578011708850003?q=Siti+Aminah&hp=081234567890 HTTP/1.1")
    assert "3578011708850003" not in line and "Siti" not in line and "0812" not in line
    assert "?[query]" in line and line.endswith(" 200 1234 0.012345s")


def test_free_text_still_masks_numbers_with_spaces():
    assert "0812 3456 7890" not in mask("telepon 0812 3456 7890 salah")
